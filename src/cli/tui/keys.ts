/**
 * The chat client's keyboard, as a pure function from a key press to view actions and at most one effect for the
 * engine. Keys: type and Enter to send to the open conversation; Tab / Shift-Tab to switch conversations (Tab
 * goes to unread ones first); ↑/↓ and Enter on an empty line to open a conversation with a user; Esc clears the
 * line; Ctrl-C or /quit logs out and quits.
 * @module
 */
import { parseCommand } from '../commands.js';
import { chatReducer, isOnline, others, type ChatAction, type ChatView } from '../view/chat-view.js';

/** Something only the engine can do. */
export type ChatEffect = { readonly kind: 'say'; readonly to: string; readonly text: string } | { readonly kind: 'quit' };

/** What a key press does. */
export interface KeyOutcome {
  readonly actions: readonly ChatAction[];
  readonly effect?: ChatEffect;
}

/** The flags of ink's `Key` that the chat client reads (all optional, so a test names only what it presses). */
export interface KeyFlags {
  readonly ctrl?: boolean;
  readonly meta?: boolean;
  readonly shift?: boolean;
  readonly tab?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly backspace?: boolean;
  readonly delete?: boolean;
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
}

/** One line of key help for the screen. */
export const KEY_HELP = 'Enter send · Tab/Shift-Tab switch chat · ↑/↓ + Enter open chat · Esc clear · /msg name text · /users · /quit or Ctrl-C';

const error = (text: string): KeyOutcome => ({ actions: [{ type: 'status', status: { level: 'error', text } }] });

/** What Enter does with the input line. */
export const interpretSubmit = (view: ChatView): KeyOutcome => {
  const command = parseCommand(view.input);
  switch (command.kind) {
    case 'empty':
      return { actions: [{ type: 'open-selected' }] };
    case 'quit':
      return { actions: [{ type: 'clear-input' }], effect: { kind: 'quit' } };
    case 'users': {
      const names = view.users.map((user) => (user.name === view.self ? `${user.name} (you)` : user.name));
      return {
        actions: [
          { type: 'clear-input' },
          { type: 'status', status: { level: 'info', text: `online (${names.length}): ${names.join(', ')}` } },
        ],
      };
    }
    case 'bad':
      return error(command.message);
    case 'msg':
      if (command.to === view.self) return error('that is you — choose someone else to talk to');
      if (!isOnline(view, command.to)) return error(`${command.to} is not online — the list on the left shows who is`);
      return {
        actions: [{ type: 'open', peer: command.to }, { type: 'clear-input' }],
        effect: { kind: 'say', to: command.to, text: command.text },
      };
    case 'text':
      if (view.active === undefined) {
        return error(
          others(view).length === 0
            ? 'nobody else is online yet — wait for someone to log in'
            : 'no conversation is open — choose a user with ↑/↓ and press Enter first',
        );
      }
      if (!isOnline(view, view.active)) return error(`${view.active} is offline — the message was not sent`);
      return { actions: [{ type: 'clear-input' }], effect: { kind: 'say', to: view.active, text: command.text } };
  }
};

/** What one key press does, given the view it was pressed on. */
export const interpretKey = (view: ChatView, input: string, key: KeyFlags): KeyOutcome => {
  if (key.ctrl === true && input === 'c') return { actions: [], effect: { kind: 'quit' } };
  if (key.return === true) return interpretSubmit(view);
  if (key.tab === true) return { actions: [{ type: 'cycle', direction: key.shift === true ? -1 : 1 }] };
  if (key.upArrow === true) return { actions: [{ type: 'move-cursor', delta: -1 }] };
  if (key.downArrow === true) return { actions: [{ type: 'move-cursor', delta: 1 }] };
  if (key.escape === true) return { actions: [{ type: 'clear-input' }] };
  // Terminals send DEL (0x7f) for Backspace, which ink reports as `delete`; there is no cursor, so both erase.
  if (key.backspace === true || key.delete === true) return { actions: [{ type: 'erase' }] };
  if (key.ctrl === true || key.meta === true) return { actions: [] };
  const text = input.replace(/\p{Cc}/gu, '');
  return text === '' ? { actions: [] } : { actions: [{ type: 'type', text }] };
};

/** Everything one chunk of input does: the view actions in order and the effects in order. */
export interface InputOutcome {
  readonly actions: readonly ChatAction[];
  readonly effects: readonly ChatEffect[];
}

/** The keys a terminal sends as one control character, as ink would report each alone. */
const CONTROL_KEYS: ReadonlyMap<string, { readonly input: string; readonly key: KeyFlags }> = new Map([
  ['\t', { input: '', key: { tab: true } }],
  ['\r\n', { input: '', key: { return: true } }],
  ['\r', { input: '', key: { return: true } }],
  ['\n', { input: '', key: { return: true } }],
  ['\x7f', { input: '', key: { backspace: true } }],
  ['\b', { input: '', key: { backspace: true } }],
  ['\x03', { input: 'c', key: { ctrl: true } }],
]);

// Splits a chunk into runs of text and single control keys, in order; unknown control characters are dropped.
const splitChunk = (input: string): { readonly input: string; readonly key: KeyFlags }[] =>
  input
    .split(/(\r\n|\p{Cc})/u)
    .flatMap((part) => {
      const control = CONTROL_KEYS.get(part);
      if (control !== undefined) return [control];
      return part === '' || /^\p{Cc}$/u.test(part) ? [] : [{ input: part, key: {} }];
    });

/**
 * What one chunk of terminal input does. Keys pressed faster than the program reads them (typing into the
 * terminal from a script, a paste, a fast typist) arrive as one string: ink reports it as text, so the Tabs,
 * Enters and Backspaces inside are split out here and each is judged on the view as it is after the keys before it.
 */
export const interpretInput = (view: ChatView, input: string, key: KeyFlags): InputOutcome => {
  const presses = [...input].length > 1 && /\p{Cc}/u.test(input) ? splitChunk(input) : [{ input, key }];
  const actions: ChatAction[] = [];
  const effects: ChatEffect[] = [];
  let current = view;
  for (const press of presses) {
    const outcome = interpretKey(current, press.input, press.key);
    for (const action of outcome.actions) {
      actions.push(action);
      current = chatReducer(current, action);
    }
    if (outcome.effect !== undefined) effects.push(outcome.effect);
  }
  return { actions, effects };
};
