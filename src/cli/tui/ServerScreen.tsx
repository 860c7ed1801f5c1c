/**
 * The server console's whole screen, drawn from a {@link ServerView} alone: the addresses and the lifecycle state,
 * the online users beside the live log (the original's list box), the counters and the keys. The list keeps its
 * `Online (N)` heading however many users there are: it scrolls with the cursor and says how many rows are not drawn.
 * @module
 */
import { Box, Text } from 'ink';
import { serverListed, type ServerView } from '../view/server-view.js';
import { listWindow } from '../view/online-list.js';
import { formatClock, formatEndpoint, levelColour, paint } from './theme.js';
import { SERVER_KEY_HELP } from './server-keys.js';
import { StateText } from './StateText.js';

/** Props of {@link ServerScreen}. */
export interface ServerScreenProps {
  readonly view: ServerView;
  /** What was asked for, shown until the real ports are known. */
  readonly requested: { readonly host: string; readonly port: number };
  readonly columns: number;
  readonly rows: number;
}

/** Lines outside the two boxes: header, counters, keys, and one spare so ink never scrolls. */
const CHROME_ROWS = 4;
const USERS_WIDTH = 40;
/** Rows of the users box that are not users: the border (2) and the heading. */
const LIST_FIXED_ROWS = 3;

export { SERVER_KEY_HELP };

const formatStats = (stats: Readonly<Record<string, number>>): string =>
  Object.entries(stats)
    .map(([name, value]) => `${name} ${value}`)
    .join(' · ');

/** The server console's screen. */
export const ServerScreen = ({ view, requested, columns, rows }: ServerScreenProps) => {
  const height = Math.max(5, rows - CHROME_ROWS);
  const where =
    view.address === undefined
      ? formatEndpoint(requested.host, requested.port)
      : `UDP ${formatEndpoint(view.address.host, view.address.udpPort)} · TCP ${formatEndpoint(view.address.host, view.address.tcpPort)}`;
  const listed = serverListed(view);
  const window = listWindow(listed, view.cursor, height - LIST_FIXED_ROWS);
  const filterShown = view.filter !== '' || view.filtering;
  return (
    <Box flexDirection="column" width={columns}>
      <Text wrap="truncate-end">
        <Text bold>imstate server</Text> · {where} · <StateText state={view.state} />
      </Text>
      <Box flexDirection="row" height={height}>
        <Box flexDirection="column" borderStyle="single" width={USERS_WIDTH} height={height} flexShrink={0} overflowY="hidden">
          <Text bold wrap="truncate-end">
            Online ({view.users.length})
            {filterShown && (
              <Text color={paint('cyan')}>
                {' '}
                /{view.filter}
                {view.filtering ? '▏' : ''}: {listed.length}
              </Text>
            )}
          </Text>
          {listed.length === 0 && <Text dimColor>{view.users.length === 0 ? 'nobody yet' : 'nobody matches'}</Text>}
          {window.above > 0 && <Text dimColor>↑ {window.above} more</Text>}
          {window.rows.map((user, i) => (
            <Text key={user.session + user.name} wrap="truncate-end" inverse={window.start + i === view.cursor && listed.length > 1}>
              {user.name} <Text dimColor>{user.endpoint}</Text>
              {!user.imstate && <Text color={paint('yellow')}> classic</Text>}
            </Text>
          ))}
          {window.below > 0 && <Text dimColor>…and {window.below} more</Text>}
        </Box>
        <Box flexDirection="column" borderStyle="single" flexGrow={1}>
          <Text bold>Log</Text>
          <Box flexDirection="column" flexGrow={1} justifyContent="flex-end" overflowY="hidden">
            {view.log.slice(-height).map((entry, index) => (
              <Box key={`${entry.at}-${index}`} flexShrink={0}>
                <Text wrap="wrap" color={paint(levelColour(entry.level))}>
                  <Text dimColor>{formatClock(entry.at)}</Text> {entry.text}
                </Text>
              </Box>
            ))}
          </Box>
        </Box>
      </Box>
      <Text dimColor wrap="truncate-end">
        {formatStats(view.stats) || ' '}
      </Text>
      <Text dimColor wrap="truncate-end">
        {SERVER_KEY_HELP}
      </Text>
    </Box>
  );
};
