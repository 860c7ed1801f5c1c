/**
 * The server console's whole screen, drawn from a {@link ServerView} alone: the addresses and the lifecycle state,
 * the online users beside the live log (the original's list box), the counters and the keys.
 * @module
 */
import { Box, Text } from 'ink';
import type { ServerView } from '../view/server-view.js';
import { formatClock, formatEndpoint, levelColour } from './theme.js';
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

/** Keys of the server console. */
export const SERVER_KEY_HELP = 'q or Ctrl-C: stop the server and quit';

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
  return (
    <Box flexDirection="column" width={columns}>
      <Text wrap="truncate-end">
        <Text bold>imstate server</Text> · {where} · <StateText state={view.state} />
      </Text>
      <Box flexDirection="row" height={height}>
        <Box flexDirection="column" borderStyle="single" width={USERS_WIDTH} flexShrink={0} overflowY="hidden">
          <Text bold>Online ({view.users.length})</Text>
          {view.users.length === 0 && <Text dimColor>nobody yet</Text>}
          {view.users.map((user) => (
            <Text key={user.session + user.name} wrap="truncate-end">
              {user.name} <Text dimColor>{user.endpoint}</Text>
              {!user.imstate && <Text color="yellow"> classic</Text>}
            </Text>
          ))}
        </Box>
        <Box flexDirection="column" borderStyle="single" flexGrow={1}>
          <Text bold>Log</Text>
          <Box flexDirection="column" flexGrow={1} justifyContent="flex-end" overflowY="hidden">
            {view.log.slice(-height).map((entry, index) => (
              <Box key={`${entry.at}-${index}`} flexShrink={0}>
                <Text wrap="wrap" color={levelColour(entry.level)}>
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
