/**
 * The slash commands typed on stdin (JSON line mode) or in the chat client's input line: `/msg <name> <text>`,
 * `/users`, `/quit`. One parser for the server, the peer and the terminal client, total: any line gives a value.
 * @module
 */

/** `/msg <name> <text>`: say `text` to the online user `to`. */
export interface MsgCommand {
  readonly kind: 'msg';
  readonly to: string;
  readonly text: string;
}

/** `/users`: print the whole online list. */
export interface ShowUsersCommand {
  readonly kind: 'users';
}

/** `/quit`: log out (peer) or stop (server), then exit 0. */
export interface QuitCommand {
  readonly kind: 'quit';
}

/** A line without a leading `/` (or with `//`, which says one `/`): text for the open conversation, or a mistake in JSON mode. */
export interface TextInput {
  readonly kind: 'text';
  readonly text: string;
}

/** A blank line: nothing to do. */
export interface EmptyInput {
  readonly kind: 'empty';
}

/** A line that starts with `/` but is not a command, or a command used wrongly; `message` says how to fix it. */
export interface BadCommand {
  readonly kind: 'bad';
  readonly message: string;
}

/** What a line of input means. */
export type Command = MsgCommand | ShowUsersCommand | QuitCommand | TextInput | EmptyInput | BadCommand;

/** One line of usage per command, for error messages and help screens. */
export const COMMAND_USAGE: readonly string[] = ['/msg <name> <text>', '/users', '/quit'];

const MSG_USAGE = 'usage: /msg <name> <text>';

/**
 * Reads one line of input. The text of `/msg` is everything after the single space that ends the name, kept
 * exactly (commas, further spaces, any script), since the wire carries it verbatim after the third comma.
 */
export const parseCommand = (line: string): Command => {
  // readline strips \n; a Windows-style \r may remain.
  const input = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (input.trim() === '') return { kind: 'empty' };
  if (!input.trimStart().startsWith('/')) return { kind: 'text', text: input };
  // `//` escapes a leading slash: `//shrug` says "/shrug".
  if (input.trimStart().startsWith('//')) return { kind: 'text', text: input.trimStart().slice(1) };
  const body = input.trimStart();
  const space = body.search(/\s/);
  const word = space === -1 ? body : body.slice(0, space);
  const rest = space === -1 ? '' : body.slice(space + 1);
  switch (word.toLowerCase()) {
    case '/msg': {
      const args = rest.trimStart();
      const end = args.search(/\s/);
      if (args === '') return { kind: 'bad', message: `/msg needs a name and a text — ${MSG_USAGE}` };
      if (end === -1) return { kind: 'bad', message: `/msg ${args} needs a text — ${MSG_USAGE}` };
      const to = args.slice(0, end);
      const text = args.slice(end + 1);
      if (text.trim() === '') return { kind: 'bad', message: `/msg ${to} needs a text — ${MSG_USAGE}` };
      return { kind: 'msg', to, text };
    }
    case '/users':
      return rest.trim() === '' ? { kind: 'users' } : { kind: 'bad', message: '/users takes nothing after it' };
    case '/quit':
      return rest.trim() === '' ? { kind: 'quit' } : { kind: 'bad', message: '/quit takes nothing after it' };
    default:
      return { kind: 'bad', message: `unknown command ${word} — the commands are ${COMMAND_USAGE.join(', ')}` };
  }
};
