/**
 * One conversation, like one of the original's chat windows: the exchanged messages with their times, and the
 * delivery status of one's own. The title stays put: messages are wrapped to the pane (src/cli/view/wrap.ts) and the
 * pane shows the lines that fit, the newest unless PgUp scrolled it back.
 * @module
 */
import { Box, Text } from 'ink';
import type { Conversation } from '../view/chat-view.js';
import { conversationLines, scrolledLines, type ConversationLine } from '../view/conversation-lines.js';
import { paint, statusColour } from './theme.js';

/** Props of {@link ConversationPane}. */
export interface ConversationPaneProps {
  readonly conversation: Conversation | undefined;
  readonly online: boolean;
  /** The pane's height, borders included. */
  readonly height: number;
  /** The pane's text width (inside the borders). */
  readonly width: number;
  /** Lines scrolled back from the newest. */
  readonly scroll: number;
}

/** Rows of the pane that are not conversation lines: the border (2) and the title. */
export const PANE_CHROME_ROWS = 3;

const LineRow = ({ line }: { readonly line: ConversationLine }) => (
  <Text wrap="truncate-end">
    {line.head !== undefined && (
      <>
        <Text dimColor>[{line.head.time}] </Text>
        <Text bold color={paint(line.head.direction === 'out' ? 'cyan' : 'magenta')}>
          {line.head.who}:
        </Text>{' '}
      </>
    )}
    {line.text.replace(/\n/gu, ' ')}
    {line.status !== undefined && <Text color={paint(statusColour(line.status.status))}>{line.status.label}</Text>}
    {line.head === undefined && line.text === '' && line.status === undefined && ' '}
  </Text>
);

/** The shown conversation, or how to open one. */
export const ConversationPane = ({ conversation, online, height, width, scroll }: ConversationPaneProps) => {
  if (conversation === undefined) {
    return (
      <Box flexDirection="column" borderStyle="single" flexGrow={1} height={height} overflowY="hidden">
        <Text bold>No conversation open</Text>
        <Text dimColor wrap="wrap">
          Choose a user with ↑/↓ and press Enter, or type /msg name text.
        </Text>
      </Box>
    );
  }
  const rows = Math.max(1, height - PANE_CHROME_ROWS);
  const { shown, scroll: at, above } = scrolledLines(conversationLines(conversation.messages, width), rows, scroll);
  return (
    <Box flexDirection="column" borderStyle="single" flexGrow={1} height={height} overflowY="hidden">
      <Text bold wrap="truncate-end">
        Chat with {conversation.peer}
        {!online && <Text color={paint('yellow')}> (offline)</Text>}
        {at > 0 && (
          <Text dimColor>
            {' '}
            · scrolled back {at} lines ({above} more above) · PgDn
          </Text>
        )}
        {at === 0 && above > 0 && <Text dimColor> · PgUp for {above} earlier lines</Text>}
      </Text>
      <Box flexDirection="column" flexGrow={1} justifyContent="flex-end" overflowY="hidden">
        {conversation.messages.length === 0 && <Text dimColor>Say hello: type and press Enter.</Text>}
        {shown.map((line) => (
          <LineRow key={line.key} line={line} />
        ))}
      </Box>
    </Box>
  );
};
