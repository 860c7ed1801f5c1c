/**
 * The chat client's whole screen, drawn from a {@link ChatView} alone: header with the lifecycle state, the online
 * list beside the shown conversation, the row of open conversations with unread counts, the notice for a message
 * that arrived elsewhere, the answer to the last action, the input line and the keys.
 * @module
 */
import { Box, Text } from 'ink';
import { activeConversation, inputLine, isOnline, totalUnread } from '../view/chat-select.js';
import { type ChatView } from '../view/chat-view.js';
import { outageText } from '../view/outage.js';
import { KEY_HELP } from './keys.js';
import { StateText } from './StateText.js';
import { ConversationPane, PANE_CHROME_ROWS } from './ConversationPane.js';
import { InputLine } from './InputLine.js';
import { paint } from './theme.js';
import { UserList } from './UserList.js';

/** Props of {@link ChatScreen}. */
export interface ChatScreenProps {
  readonly view: ChatView;
  /** The peer's own UDP endpoint, once bound. */
  readonly endpoint: string | undefined;
  readonly server: string;
  readonly columns: number;
  readonly rows: number;
  /** The time the screen is drawn at (ms since the epoch): a retry's countdown is counted from it. */
  readonly now?: number;
}

/** Lines outside the two boxes: header, tabs, notice, status, input, and one spare so ink never scrolls; plus the keys. */
const CHROME_ROWS = 6;
/** The online list's width, borders included. */
export const LIST_WIDTH = 26;

/** How many lines of key help a terminal of `rows` rows shows. */
const helpLines = (rows: number): number => (rows >= 20 ? KEY_HELP.length : 1);

/** The conversation pane's text area for a terminal of this size: what scrolling pages by. */
export const paneSize = (columns: number, rows: number): { readonly width: number; readonly height: number } => ({
  width: Math.max(1, columns - LIST_WIDTH - 2),
  height: Math.max(1, Math.max(5, rows - CHROME_ROWS - helpLines(rows)) - PANE_CHROME_ROWS),
});

const Tabs = ({ view }: { readonly view: ChatView }) => {
  if (view.conversations.length === 0) return <Text dimColor>Chats: none yet</Text>;
  return (
    <Text wrap="truncate-end">
      Chats:
      {view.conversations.map((conversation) => {
        const shown = conversation.peer === view.active;
        const label = shown ? `[${conversation.peer}]` : conversation.peer;
        return (
          <Text key={conversation.peer}>
            {' '}
            <Text bold={shown} inverse={shown}>
              {label}
            </Text>
            {conversation.unread > 0 && (
              <Text color={paint('magenta')} bold>
                {' '}
                ({conversation.unread})
              </Text>
            )}
          </Text>
        );
      })}
    </Text>
  );
};

/** The chat client's screen. */
export const ChatScreen = ({ view, endpoint, server, columns, rows, now = Date.now() }: ChatScreenProps) => {
  const outage = outageText(view.state, view.stateAt, now);
  const height = Math.max(5, rows - CHROME_ROWS - helpLines(rows));
  const unread = totalUnread(view);
  const pane = paneSize(columns, rows);
  return (
    <Box flexDirection="column" width={columns}>
      <Text wrap="truncate-end">
        <Text bold>imstate</Text> · <Text bold>{view.self}</Text>
        {/* An outage is what matters most then: right after the name, so that 80 columns keep all of it. */}
        {outage !== undefined && (
          <>
            {' · '}
            <Text color={paint('yellow')} bold>
              {outage}
            </Text>
            {' ·'}
          </>
        )}
        {endpoint !== undefined && ` at ${endpoint}`} · server {server} ·{' '}
        {unread > 0 && <Text color={paint('magenta')}>{unread} unread · </Text>}
        {/* Last: the state's nested detail is what a narrow terminal can best lose. */}
        <StateText state={view.state} />
      </Text>
      <Box flexDirection="row" height={height}>
        <UserList view={view} width={LIST_WIDTH} height={height} />
        <ConversationPane
          conversation={activeConversation(view)}
          online={view.active !== undefined && isOnline(view, view.active)}
          height={height}
          width={pane.width}
          scroll={view.scroll}
        />
      </Box>
      <Tabs view={view} />
      {view.notice === undefined ? (
        <Text> </Text>
      ) : (
        <Text color={paint('magenta')} wrap="truncate-end">
          ✉ new message from {view.notice.from}: {view.notice.text} — press Tab to read
        </Text>
      )}
      {view.status === undefined ? (
        <Text> </Text>
      ) : (
        <Text color={paint(view.status.level === 'error' ? 'red' : undefined)} wrap="truncate-end">
          {view.status.level === 'error' ? '✗ ' : ''}
          {view.status.text}
        </Text>
      )}
      <InputLine prompt={view.active === undefined ? '>' : `to ${view.active} >`} line={inputLine(view)} columns={columns} />
      {KEY_HELP.slice(0, helpLines(rows)).map((help) => (
        <Text key={help} dimColor wrap="truncate-end">
          {help}
        </Text>
      ))}
    </Box>
  );
};
