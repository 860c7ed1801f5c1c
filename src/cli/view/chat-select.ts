/**
 * What the chat client's screen reads off a {@link ChatView} (./chat-view.ts): the online list as the cursor moves
 * over it, the conversation shown, unread counts, the input line. Pure functions of the view.
 * @module
 */
import type { ChatMessage } from '../../engine/types.js';
import type { User } from '../../presence/types.js';
import type { EditLine } from '../edit/line-editor.js';
import type { ChatView, Conversation } from './chat-view.js';
import { matchesFilter, sortUsers } from './online-list.js';

/** The online users other than self, unfiltered and unsorted. */
export const others = (view: ChatView): readonly User[] => view.users.filter((user) => user.name !== view.self);

/** True when `name` is in the online list. */
export const isOnline = (view: ChatView, name: string): boolean => view.users.some((user) => user.name === name);

/** The filter typed as `@text` in the input line ('' when the line does not start with `@`). */
export const listFilter = (view: ChatView): string => (view.input.startsWith('@') ? view.input.slice(1).trim() : '');

/** Unread counts by peer. */
export const unreadByPeer = (view: ChatView): ReadonlyMap<string, number> =>
  new Map(view.conversations.filter((c) => c.unread > 0).map((c) => [c.peer, c.unread]));

/** The rows of the online list the cursor moves over: others, filtered by {@link listFilter}, in the documented order. */
export const listedUsers = (view: ChatView): User[] => {
  const filter = listFilter(view);
  return sortUsers(
    others(view).filter((user) => matchesFilter(user.name, filter)),
    unreadByPeer(view),
  );
};

/** The conversation shown, if any. */
export const activeConversation = (view: ChatView): Conversation | undefined =>
  view.conversations.find((conversation) => conversation.peer === view.active);

/** Unread messages over all conversations. */
export const totalUnread = (view: ChatView): number =>
  view.conversations.reduce((sum, conversation) => sum + conversation.unread, 0);

/** The peer a message belongs to, from this side. */
export const peerOf = (message: ChatMessage): string => (message.direction === 'in' ? message.from : message.to);

/** The input line as an editor line (for drawing the cursor). */
export const inputLine = (view: ChatView): EditLine => ({ text: view.input, cursor: view.cursor });
