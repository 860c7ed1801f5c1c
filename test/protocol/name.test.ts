/** What a name, an id, an extension field and a time may hold. */
import { describe, expect, it } from 'vitest';
import { validateName } from '../../src/protocol/index.js';
import { validateExtensionField, validateId, validateTime } from '../../src/protocol/field.js';
import { expectFailure, valueOf } from './helpers.js';

describe('validateName', () => {
  it.each(['alice', '剑痴', '天涯', 'Zoë', '👍', '👨‍👩‍👧', 'a b', 'end', 'x=1', '[x]', 'name-with.dots_and%'])(
    'accepts %j unchanged',
    (name) => {
      expect(valueOf(validateName(name))).toBe(name);
    },
  );

  it('counts characters, not UTF-16 units: 64 emoji fit, 65 do not', () => {
    expect(valueOf(validateName('😀'.repeat(64)))).toHaveLength(128);
    expect(expectFailure(validateName('😀'.repeat(65)), 'bad-name')).toContain('65 characters');
    expect(expectFailure(validateName('a'.repeat(65)), 'bad-name')).toContain('the limit is 64');
  });

  it('takes a configurable limit', () => {
    expect(valueOf(validateName('abcd', { maxNameLength: 4 }))).toBe('abcd');
    expectFailure(validateName('abcde', { maxNameLength: 4 }), 'bad-name');
  });

  it.each([
    ['', 'empty'],
    ['a,b', 'a comma'],
    ['a;b', 'a semicolon'],
    ['a:b', 'a colon'],
    ['a\nb', 'U+000A'],
    ['\u0000', 'U+0000'],
    ['a\u007f', 'U+007F'],
    ['a\u0085', 'U+0085'],
    ['a\u2028', 'U+2028'],
    ['a\ud800b', 'unpaired surrogate'],
    ['\udc00', 'unpaired surrogate'],
  ])('refuses %j, naming %s', (name, words) => {
    expect(expectFailure(validateName(name), 'bad-name')).toContain(words);
  });
});

describe('validateId', () => {
  it('accepts printable ids up to 64 characters', () => {
    expect(valueOf(validateId('7f3c9a10-5b2e-4c1d-9e8f-0123456789ab'))).toBe('7f3c9a10-5b2e-4c1d-9e8f-0123456789ab');
    expect(valueOf(validateId('x'.repeat(64)))).toHaveLength(64);
    expect(valueOf(validateId('a:b;c=d'))).toBe('a:b;c=d');
  });

  it.each(['', 'a,b', 'a\tb', 'x'.repeat(65), '\ud800'])('refuses %j with bad-field', (id) => {
    expect(expectFailure(validateId(id, 'session'), 'bad-field')).toContain('session');
  });
});

describe('validateExtensionField and validateTime', () => {
  it('accepts key=value text, and empty fields (a trailing comma)', () => {
    expect(valueOf(validateExtensionField('session=a:b=c'))).toBe('session=a:b=c');
    expect(valueOf(validateExtensionField(''))).toBe('');
  });

  it.each(['a,b', 'seq=1\n', 'x\u0000'])('refuses the field %j', (field) => {
    expectFailure(validateExtensionField(field), 'bad-field');
  });

  it('takes any time without a comma', () => {
    expect(valueOf(validateTime('10:41:40 AM'))).toBe('10:41:40 AM');
    expect(valueOf(validateTime(''))).toBe('');
    expectFailure(validateTime('10,41'), 'bad-field');
  });
});
