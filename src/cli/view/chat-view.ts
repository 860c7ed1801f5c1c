/**
 * The chat client's view as a pure reducer: who is online, which conversations are open, which one is shown and how
 * far it is scrolled back, unread counts, the notice for a message that arrived elsewhere, the input line with its
 * cursor and the lines sent before. The terminal components only draw a {@link ChatView}; everything that decides
 * lives here, so it can be tested without a terminal.
 * @module
 */
import { Immer } from 'immer';
import type { ChatMessage, LifecycleState, LogEntry } from '../../engine/types.js';
import type { User } from '../../presence/types.js';
import { editLine, type EditKey } from '../edit/line-editor.js';
import { activeConversation, isOnline, listedUsers, listFilter, peerOf } from './chat-select.js';
import { conversationLines } from './conversation-lines.js';
import { moveInList } from './online-list.js';

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
  /** The user it is about: a line saying that user is offline goes away when they come back. */
  readonly offline?: string;
}

/** Everything the chat client shows. */
export interface ChatView {
  readonly self: string;
  readonly state: LifecycleState;
  /** When `state` came (ms since the epoch; 0 when not told): a retry's countdown starts there. */
  readonly stateAt: number;
  /** The peer's view of the online list (itself included). */
  readonly users: readonly User[];
  /** The user the cursor in the online list is on (never self). */
  readonly selected: string | undefined;
  /** In the order they were opened. */
  readonly conversations: readonly Conversation[];
  /** The conversation shown, by peer name. */
  readonly active: string | undefined;
  /** How many lines the shown conversation is scrolled back from its newest line (0: following new messages). */
  readonly scroll: number;
  /** The conversation pane's text area, as last drawn: scrolling moves by its height and stops at the top. */
  readonly pane: { readonly width: number; readonly height: number };
  readonly notice: Notice | undefined;
  readonly input: string;
  /** Where the cursor is in `input` (a UTF-16 offset on a grapheme boundary). */
  readonly cursor: number;
  /** Lines sent before, oldest first, for ↑/↓ (Ctrl-P/Ctrl-N). */
  readonly sent: readonly string[];
  /** While walking `sent`: how many lines back from the newest (1 = the last one sent). */
  readonly recall: number | undefined;
  readonly status: StatusLine | undefined;
  /** The latest engine log entries, newest last. */
  readonly log: readonly LogEntry[];
}

/** Everything that changes the view: engine events and the user's keys, already interpreted. */
export type ChatAction =
  | { readonly type: 'state'; readonly state: LifecycleState; readonly at?: number }
  | { readonly type: 'users'; readonly users: readonly User[] }
  | { readonly type: 'message'; readonly message: ChatMessage }
  | { readonly type: 'restore'; readonly conversations: ReadonlyMap<string, readonly ChatMessage[]> }
  | { readonly type: 'log'; readonly entry: LogEntry }
  | { readonly type: 'open'; readonly peer: string }
  | { readonly type: 'open-selected' }
  | { readonly type: 'cycle'; readonly direction: 1 | -1 }
  | { readonly type: 'move-cursor'; readonly delta: number }
  | { readonly type: 'type'; readonly text: string }
  | { readonly type: 'erase' }
  | { readonly type: 'edit'; readonly key: EditKey }
  | { readonly type: 'clear-input' }
  | { readonly type: 'sent'; readonly text: string }
  | { readonly type: 'recall'; readonly direction: 1 | -1 }
  | { readonly type: 'scroll'; readonly pages: number }
  | { readonly type: 'scroll-end' }
  | { readonly type: 'pane'; readonly width: number; readonly height: number }
  | { readonly type: 'status'; readonly status: StatusLine };

/** Older messages are dropped past this many per conversation, so a long chat cannot grow without bound. */
export const MAX_MESSAGES = 500;
/** How many log entries the view keeps. */
export const MAX_LOG = 50;
/** How many sent lines ↑/↓ can recall. */
export const MAX_SENT = 100;

/** The view before anything happened. */
export const initialChatView = (self: string): ChatView => ({
  self,
  state: { value: 'idle' },
  stateAt: 0,
  users: [],
  selected: undefined,
  conversations: [],
  active: undefined,
  scroll: 0,
  pane: { width: 60, height: 10 },
  notice: undefined,
  input: '',
  cursor: 0,
  sent: [],
  recall: undefined,
  status: undefined,
  log: [],
});

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
  if (view.active !== peer) view.scroll = 0;
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
  // Someone reading back keeps their place: the new lines are below, counted from the bottom.
  if (isNew && view.active === peer && view.scroll > 0) {
    view.scroll += conversationLines([message], view.pane.width).length;
  }
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

// The cursor stays on its user while that user is listed; otherwise it goes to the first row.
const keepCursor = (view: Draft): void => {
  const names = listedUsers(view).map((user) => user.name);
  if (view.selected === undefined || !names.includes(view.selected)) view.selected = names[0];
};

const setInput = (view: Draft, text: string, cursor = text.length): void => {
  const filter = listFilter(view);
  view.input = text;
  view.cursor = cursor;
  // Only a change of filter can take the cursor's user off the list (and sorting 200 names per key is not free).
  if (listFilter(view) !== filter) keepCursor(view);
};

const edit = (view: Draft, key: EditKey): void => {
  const next = editLine({ text: view.input, cursor: view.cursor }, key);
  if (next.text !== view.input) {
    view.status = undefined;
    view.recall = undefined;
  }
  setInput(view, next.text, next.cursor);
};

const recall = (view: Draft, direction: 1 | -1): void => {
  const back = (view.recall ?? 0) + (direction === -1 ? 1 : -1);
  if (back > view.sent.length || view.sent.length === 0) return;
  if (back <= 0) {
    view.recall = undefined;
    setInput(view, '');
    return;
  }
  view.recall = back;
  setInput(view, view.sent[view.sent.length - back] ?? '');
};

const scroll = (view: Draft, pages: number): void => {
  const conversation = activeConversation(view);
  if (conversation === undefined) return;
  const total = conversationLines(conversation.messages, view.pane.width).length;
  const maxScroll = Math.max(0, total - view.pane.height);
  const step = Math.max(1, view.pane.height - 1);
  view.scroll = Math.max(0, Math.min(maxScroll, view.scroll + Math.round(pages * step)));
};

/** The reducer: returns the next view; never throws, never mutates `view`. */
export const chatReducer = (view: ChatView, action: ChatAction): ChatView =>
  immer.produce(view, (draft: Draft) => {
    switch (action.type) {
      case 'state':
        draft.state = action.state;
        draft.stateAt = action.at ?? 0;
        return;
      case 'users': {
        draft.users = action.users;
        keepCursor(draft);
        const gone = draft.status?.offline;
        if (gone !== undefined && isOnline(draft, gone)) draft.status = undefined;
        return;
      }
      case 'message':
        addMessage(draft, action.message);
        return;
      case 'restore':
        // Conversations read back from disk: listed (Tab opens them), nothing unread, nothing shown by itself.
        for (const [peer, messages] of action.conversations) {
          if (peer === draft.self || draft.conversations.some((c) => c.peer === peer)) continue;
          draft.conversations = [...draft.conversations, { peer, messages: messages.slice(-MAX_MESSAGES), unread: 0 }];
        }
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
          draft.status = { level: 'info', text: listFilter(draft) === '' ? 'nobody else is online yet' : `nobody online matches "${listFilter(draft)}"` };
          return;
        }
        show(draft, draft.selected);
        return;
      case 'cycle':
        cycle(draft, action.direction);
        return;
      case 'move-cursor':
        draft.selected = moveInList(
          listedUsers(draft).map((user) => user.name),
          draft.selected,
          action.delta,
        );
        return;
      case 'type':
        edit(draft, { kind: 'insert', text: action.text });
        return;
      case 'erase':
        edit(draft, { kind: 'backspace' });
        return;
      case 'edit':
        edit(draft, action.key);
        return;
      case 'clear-input':
        draft.recall = undefined;
        setInput(draft, '');
        return;
      case 'sent':
        draft.sent = [...draft.sent.filter((line) => line !== action.text), action.text].slice(-MAX_SENT);
        draft.recall = undefined;
        return;
      case 'recall':
        recall(draft, action.direction);
        return;
      case 'scroll':
        scroll(draft, action.pages);
        return;
      case 'scroll-end':
        draft.scroll = 0;
        return;
      case 'pane':
        draft.pane = { width: Math.max(1, action.width), height: Math.max(1, action.height) };
        return;
      case 'status':
        draft.status = action.status;
        return;
    }
  });
