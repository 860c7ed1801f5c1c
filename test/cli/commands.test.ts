import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/cli/commands.js';

const runs = Number(process.env['IMSTATE_FUZZ_RUNS'] ?? 200);

describe('parseCommand', () => {
  it('reads /msg with the text kept exactly: commas, inner spaces, CJK', () => {
    expect(parseCommand('/msg bob hi, there  —  你好,世界')).toEqual({ kind: 'msg', to: 'bob', text: 'hi, there  —  你好,世界' });
    expect(parseCommand('/msg 剑痴 天涯 says hi')).toEqual({ kind: 'msg', to: '剑痴', text: '天涯 says hi' });
  });

  it('drops a trailing carriage return and accepts leading spaces and upper case', () => {
    expect(parseCommand('/msg bob hi\r')).toEqual({ kind: 'msg', to: 'bob', text: 'hi' });
    expect(parseCommand('  /USERS')).toEqual({ kind: 'users' });
    expect(parseCommand('/quit')).toEqual({ kind: 'quit' });
  });

  it('tells how to use /msg when the name or the text is missing', () => {
    for (const line of ['/msg', '/msg ', '/msg bob', '/msg bob    ']) {
      const command = parseCommand(line);
      expect(command.kind, line).toBe('bad');
      if (command.kind === 'bad') expect(command.message).toContain('usage: /msg <name> <text>');
    }
  });

  it('names the unknown command and lists the real ones', () => {
    const command = parseCommand('/shout bob hi');
    expect(command).toEqual({ kind: 'bad', message: expect.stringContaining('unknown command /shout') });
    if (command.kind === 'bad') expect(command.message).toContain('/msg <name> <text>, /users, /quit');
  });

  it('refuses arguments after /users and /quit', () => {
    expect(parseCommand('/users now').kind).toBe('bad');
    expect(parseCommand('/quit please').kind).toBe('bad');
  });

  it('treats blank lines as empty and other lines as text', () => {
    expect(parseCommand('')).toEqual({ kind: 'empty' });
    expect(parseCommand('   \t')).toEqual({ kind: 'empty' });
    expect(parseCommand('hello, world')).toEqual({ kind: 'text', text: 'hello, world' });
  });

  it('gives back any name and text it was given (property)', () => {
    const name = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((s) => !/\s/.test(s));
    const text = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).filter((s) => s.trim() !== '' && !s.endsWith('\r'));
    fc.assert(
      fc.property(name, text, (to, said) => {
        expect(parseCommand(`/msg ${to} ${said}`)).toEqual({ kind: 'msg', to, text: said });
      }),
      { numRuns: runs },
    );
  });

  it('never throws, whatever the line (property)', () => {
    // Command words, separators, any grapheme and lone surrogates: the pieces a mangled line is made of.
    const piece = fc.oneof(
      fc.constantFrom('/msg', '/users', '/quit', '/', ' ', '\t', '\r', '\n', ','),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
      fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
    );
    fc.assert(
      fc.property(fc.string({ unit: piece, maxLength: 30 }), (line) => {
        const command = parseCommand(line);
        expect(['msg', 'users', 'quit', 'text', 'empty', 'bad']).toContain(command.kind);
      }),
      { numRuns: runs },
    );
  });
});
