/**
 * The chat client's online list, like the original's "online users" list view: a cursor to pick someone,
 * the unread count of each conversation, and which conversation is shown.
 * @module
 */
import { Box, Text } from 'ink';
import type { ChatView } from '../view/chat-view.js';

/** Props of {@link UserList}. */
export interface UserListProps {
  readonly view: ChatView;
  readonly width: number;
  readonly height: number;
}

/** The online list; self is listed last and cannot be chosen. */
export const UserList = ({ view, width, height }: UserListProps) => {
  const unread = new Map(view.conversations.map((conversation) => [conversation.peer, conversation.unread]));
  const others = view.users.filter((user) => user.name !== view.self);
  const selfListed = view.users.some((user) => user.name === view.self);
  return (
    <Box flexDirection="column" borderStyle="single" width={width} height={height} flexShrink={0} overflowY="hidden">
      <Text bold>Online ({view.users.length})</Text>
      {others.length === 0 && <Text dimColor>nobody else yet</Text>}
      {others.map((user) => {
        const cursor = user.name === view.selected ? '>' : ' ';
        const count = unread.get(user.name) ?? 0;
        const shown = user.name === view.active;
        return (
          <Box key={user.session + user.name}>
            <Text inverse={user.name === view.selected}>
              {cursor} {user.name}
            </Text>
            {shown && <Text color="cyan"> •</Text>}
            {count > 0 && (
              <Text color="magenta" bold>
                {' '}
                ({count})
              </Text>
            )}
          </Box>
        );
      })}
      {selfListed && <Text dimColor>  {view.self} (you)</Text>}
    </Box>
  );
};
