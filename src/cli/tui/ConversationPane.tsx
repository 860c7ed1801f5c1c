/**
 * One conversation, like one of the original's chat windows: the exchanged messages with their times, and the
 * delivery status of one's own. The newest messages stay in view: the pane is bottom-aligned and clips the top.
 * @module
 */
import { Box, Text } from 'ink';
import type { ChatMessage } from '../../engine/types.js';
import type { Conversation } from '../view/chat-view.js';
import { statusColour, statusLabel } from './theme.js';

/** Props of {@link ConversationPane}. */
export interface ConversationPaneProps {
  readonly conversation: Conversation | undefined;
  readonly online: boolean;
  readonly height: number;
  /** How many messages to draw at most (the rest is clipped anyway; this bounds the work). */
  readonly limit: number;
}

const MessageRow = ({ message }: { readonly message: ChatMessage }) => {
  const who = message.direction === 'out' ? 'you' : message.from;
  const label = statusLabel(message.status, message.reason);
  return (
    <Box flexShrink={0}>
      <Text wrap="wrap">
        <Text dimColor>[{message.time}] </Text>
        <Text bold color={message.direction === 'out' ? 'cyan' : 'magenta'}>
          {who}:
        </Text>{' '}
        {message.text}
        {label !== '' && <Text color={statusColour(message.status)}> ({label})</Text>}
      </Text>
    </Box>
  );
};

/** The shown conversation, or how to open one. */
export const ConversationPane = ({ conversation, online, height, limit }: ConversationPaneProps) => {
  if (conversation === undefined) {
    return (
      <Box flexDirection="column" borderStyle="single" flexGrow={1} height={height} overflowY="hidden">
        <Text bold>No conversation open</Text>
        <Text dimColor>Choose a user with ↑/↓ and press Enter, or type /msg name text.</Text>
      </Box>
    );
  }
  return (
    <Box flexDirection="column" borderStyle="single" flexGrow={1} height={height}>
      <Text bold>
        Chat with {conversation.peer}
        {!online && <Text color="yellow"> (offline)</Text>}
      </Text>
      <Box flexDirection="column" flexGrow={1} justifyContent="flex-end" overflowY="hidden">
        {conversation.messages.length === 0 && <Text dimColor>Say hello: type and press Enter.</Text>}
        {conversation.messages.slice(-limit).map((message) => (
          <MessageRow key={message.id} message={message} />
        ))}
      </Box>
    </Box>
  );
};
