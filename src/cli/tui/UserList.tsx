/**
 * The chat client's online list, like the original's "online users" list view: a cursor to pick someone, the unread
 * count of each conversation, and which conversation is shown. Sorted (unread first, then by name), filtered by
 * `@text` in the input line, and scrolled so that the cursor is always on a drawn row, with `…and N more` for the
 * rest: the cursor moves over exactly the rows of src/cli/view/chat-view.ts's `listedUsers`.
 * @module
 */
import { Box, Text } from 'ink';
import { listedUsers, listFilter, unreadByPeer } from '../view/chat-select.js';
import { type ChatView } from '../view/chat-view.js';
import { listWindow } from '../view/online-list.js';
import { knowsList, listIsStale } from '../view/outage.js';
import { paint } from './theme.js';

/** Props of {@link UserList}. */
export interface UserListProps {
  readonly view: ChatView;
  readonly width: number;
  readonly height: number;
}

/** Rows inside the box that are not users: the border (2), the heading, and the line for oneself. */
const FIXED_ROWS = 4;

/** The online list; self is listed last and cannot be chosen. */
export const UserList = ({ view, width, height }: UserListProps) => {
  const unread = unreadByPeer(view);
  const filter = listFilter(view);
  const listed = listedUsers(view);
  const selfListed = view.users.some((user) => user.name === view.self);
  const cursor = listed.findIndex((user) => user.name === view.selected);
  const window = listWindow(listed, cursor, Math.max(1, height - FIXED_ROWS));
  const known = knowsList(view);
  const stale = listIsStale(view.state);
  return (
    <Box flexDirection="column" borderStyle="single" width={width} height={height} flexShrink={0} overflowY="hidden">
      <Text bold wrap="truncate-end">
        Online ({filter === '' ? view.users.length : `${listed.length} of ${view.users.length}`})
        {stale && <Text color={paint('yellow')}> stale</Text>}
      </Text>
      {!known && <Text dimColor>not logged in yet</Text>}
      {known && listed.length === 0 && <Text dimColor>{filter === '' ? 'nobody else yet' : 'nobody matches'}</Text>}
      {window.above > 0 && <Text dimColor>↑ {window.above} more</Text>}
      {window.rows.map((user) => {
        const selected = user.name === view.selected;
        const count = unread.get(user.name) ?? 0;
        const shown = user.name === view.active;
        return (
          <Box key={user.session + user.name}>
            <Text inverse={selected} wrap="truncate-end">
              {selected ? '>' : ' '} {user.name}
            </Text>
            {shown && <Text color={paint('cyan')}> (open)</Text>}
            {count > 0 && (
              <Text color={paint('magenta')} bold>
                {' '}
                ({count})
              </Text>
            )}
          </Box>
        );
      })}
      {window.below > 0 && <Text dimColor>…and {window.below} more</Text>}
      {selfListed && <Text dimColor wrap="truncate-end">  {view.self} (you)</Text>}
    </Box>
  );
};
