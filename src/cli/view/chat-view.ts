/**
 * The chat client's view as a pure reducer: who is online, which conversations are open, which one is shown,
 * unread counts, the notice for a message that arrived elsewhere, the input line. The terminal components only
 * draw a {@link ChatView}; everything that decides lives here, so it can be tested without a terminal.
 * @module
 */
import { Immer } from 'immer';
import type { ChatMessage, LifecycleState, LogEntry } from '../../engine/types.js';
import type { User } from '../../presence/types.js';

/** The messages exchanged with one peer, like one chat window of the original. */
export interface Conversation {
  readonly peer: string;
  /** Oldest first; a message whose status changed keeps its place. */
  readonly messages: readonly ChatMessage[];
  /** Incoming messages not yet seen (arrived while another conversation was shown). */
  readonly unread: number;
}

/** A message arrived in a conversation that is not shown. */
export interface Notice {
  readonly from: string;
  readonly text: string;
}

/** A one-line answer to what the user just did (an error, or the online list asked for with /users). */
export interface StatusLine {
  readonly level: 'info' | 'error';
  readonly text: string;
}

/** Everything the chat client shows. */
export interface ChatView {
  readonly self: string;
  readonly state: LifecycleState;
  /** The peer's view of the online list (itself included). */
  readonly users: readonly User[];
  /** The user the cursor in the online list is on (never self). */
  readonly selected: string | undefined;
  /** In the order they were opened. */
  readonly conversations: readonly Conversation[];
  /** The conversation shown, by peer name. */
  readonly active: string | undefined;
  readonly notice: Notice | undefined;
  readonly input: string;
  readonly status: StatusLine | undefined;
  /** The latest engine log entries, newest last. */
  readonly log: readonly LogEntry[];
}

/** Everything that changes the view: engine events and the user's keys, already interpreted. */
export type ChatAction =
  | { readonly type: 'state'; readonly state: LifecycleState }
  | { readonly type: 'users'; readonly users: readonly User[] }
  | { readonly type: 'message'; readonly message: ChatMessage }
  | { readonly type: 'log'; readonly entry: LogEntry }
  | { readonly type: 'open'; readonly peer: string }
  | { readonly type: 'open-selected' }
  | { readonly type: 'cycle'; readonly direction: 1 | -1 }
  | { readonly type: 'move-cursor'; readonly delta: number }
  | { readonly type: 'type'; readonly text: string }
  | { readonly type: 'erase' }
  | { readonly type: 'clear-input' }
  | { readonly type: 'status'; readonly status: StatusLine };

/** Older messages are dropped past this many per conversation, so a long chat cannot grow without bound. */
export const MAX_MESSAGES = 500;
/** How many log entries the view keeps. */
export const MAX_LOG = 50;

/** The view before anything happened. */
export const initialChatView = (self: string): ChatView => ({
  self,
  state: { value: 'idle' },
  users: [],
  selected: undefined,
  conversations: [],
  active: undefined,
  notice: undefined,
  input: '',
  status: undefined,
  log: [],
});

/** The online users other than self: the ones the cursor can be on. */
export const others = (view: ChatView): readonly User[] => view.users.filter((user) => user.name !== view.self);

/** True when `name` is in the online list. */
export const isOnline = (view: ChatView, name: string): boolean => view.users.some((user) => user.name === name);

/** The conversation shown, if any. */
export const activeConversation = (view: ChatView): Conversation | undefined =>
  view.conversations.find((conversation) => conversation.peer === view.active);

/** Unread messages over all conversations. */
export const totalUnread = (view: ChatView): number =>
  view.conversations.reduce((sum, conversation) => sum + conversation.unread, 0);

/** The peer a message belongs to, from this side. */
export const peerOf = (message: ChatMessage): string => (message.direction === 'in' ? message.from : message.to);

// The view holds the engine's own message and user objects: they must not be frozen behind the engine's back.
const immer = new Immer({ autoFreeze: false });

type Draft = { -readonly [K in keyof ChatView]: ChatView[K] };

// Shows `peer`'s conversation (opening it if needed); seeing it clears its unread count and its notice.
const show = (view: Draft, peer: string): void => {
  if (!view.conversations.some((conversation) => conversation.peer === peer)) {
    view.conversations = [...view.conversations, { peer, messages: [], unread: 0 }];
  }
  view.conversations = view.conversations.map((conversation) =>
    conversation.peer === peer ? { ...conversation, unread: 0 } : conversation,
  );
  view.active = peer;
  if (view.notice?.from === peer) view.notice = undefined;
};

const addMessage = (view: Draft, message: ChatMessage): void => {
  const peer = peerOf(message);
  const existing = view.conversations.find((conversation) => conversation.peer === peer);
  if (existing === undefined) {
    view.conversations = [...view.conversations, { peer, messages: [], unread: 0 }];
  }
  // With nothing shown yet, the first conversation simply appears; there is nowhere else to be notified.
  if (view.active === undefined) view.active = peer;
  let isNew = false;
  view.conversations = view.conversations.map((conversation) => {
    if (conversation.peer !== peer) return conversation;
    const at = conversation.messages.findIndex((known) => known.id === message.id);
    if (at !== -1) {
      const messages = conversation.messages.slice();
      messages[at] = message;
      return { ...conversation, messages };
    }
    isNew = true;
    const unseen = message.direction === 'in' && view.active !== peer;
    return {
      ...conversation,
      messages: [...conversation.messages, message].slice(-MAX_MESSAGES),
      unread: conversation.unread + (unseen ? 1 : 0),
    };
  });
  if (isNew && message.direction === 'in' && view.active !== peer) view.notice = { from: peer, text: message.text };
};

// `next` goes to a conversation with unread messages first, so one key answers whoever just wrote.
const cycle = (view: Draft, direction: 1 | -1): void => {
  const peers = view.conversations.map((conversation) => conversation.peer);
  if (peers.length === 0) {
    view.status = { level: 'info', text: 'no conversations yet — choose a user with ↑/↓ and press Enter' };
    return;
  }
  const here = view.active === undefined ? -1 : peers.indexOf(view.active);
  const order = peers.map((_, step) => peers[(((here + direction * (step + 1)) % peers.length) + peers.length) % peers.length]);
  const unread = direction === 1 ? order.find((peer) => view.conversations.some((c) => c.peer === peer && c.unread > 0)) : undefined;
  const target = unread ?? order[0];
  if (target !== undefined) show(view, target);
};

const moveCursor = (view: Draft, delta: number): void => {
  const list = others(view);
  if (list.length === 0) {
    view.selected = undefined;
    return;
  }
  const here = list.findIndex((user) => user.name === view.selected);
  const next = here === -1 ? (delta < 0 ? list.length - 1 : 0) : Math.min(list.length - 1, Math.max(0, here + delta));
  view.selected = list[next]?.name;
};

/** The reducer: returns the next view; never throws, never mutates `view`. */
export const chatReducer = (view: ChatView, action: ChatAction): ChatView =>
  immer.produce(view, (draft: Draft) => {
    switch (action.type) {
      case 'state':
        draft.state = action.state;
        return;
      case 'users': {
        draft.users = action.users;
        const list = others(draft);
        // The cursor stays on its user; if that user left it moves to the first one.
        if (draft.selected === undefined || !list.some((user) => user.name === draft.selected)) draft.selected = list[0]?.name;
        return;
      }
      case 'message':
        addMessage(draft, action.message);
        return;
      case 'log':
        draft.log = [...draft.log, action.entry].slice(-MAX_LOG);
        return;
      case 'open':
        if (action.peer === draft.self) {
          draft.status = { level: 'error', text: 'that is you — choose someone else to talk to' };
          return;
        }
        show(draft, action.peer);
        return;
      case 'open-selected':
        if (draft.selected === undefined) {
          draft.status = { level: 'info', text: 'nobody else is online yet' };
          return;
        }
        show(draft, draft.selected);
        return;
      case 'cycle':
        cycle(draft, action.direction);
        return;
      case 'move-cursor':
        moveCursor(draft, action.delta);
        return;
      case 'type':
        draft.input += action.text;
        draft.status = undefined;
        return;
      case 'erase':
        draft.input = [...draft.input].slice(0, -1).join('');
        return;
      case 'clear-input':
        draft.input = '';
        return;
      case 'status':
        draft.status = action.status;
        return;
    }
  });
