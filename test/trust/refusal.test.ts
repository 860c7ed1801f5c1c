import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatRefusal, readRefusal, refusalCodes, refusalForms, refusalText, type Refusal } from '../../src/trust/index.js';

describe('refusals', () => {
  it('round-trips every refusal through its wire text (property)', () => {
    const refusal = fc.record(
      {
        code: fc.constantFrom(...refusalCodes),
        holder: fc.ipV4(),
        retryAfterS: fc.integer({ min: 0, max: 999_999 }),
      },
      { requiredKeys: ['code'] },
    );
    fc.assert(fc.property(refusal, (r: Refusal) => {
      expect(readRefusal(formatRefusal(r))).toEqual(r);
    }));
  });

  it('reads anything else as text, never throwing', () => {
    expect(readRefusal('the name is taken')).toEqual({ code: 'other', text: 'the name is taken' });
    expect(readRefusal('name-taken,holder=evil;rm')).toEqual({ code: 'other', text: 'name-taken,holder=evil;rm' });
    fc.assert(fc.property(fc.string(), (text) => {
      expect(readRefusal(text).code).toBeDefined();
    }));
  });

  it('offers shorter forms, longest first, down to the code alone', () => {
    expect(refusalForms({ code: 'name-taken', holder: '127.0.0.1', retryAfterS: 24 })).toEqual([
      'name-taken,holder=127.0.0.1,retry=24',
      'name-taken,retry=24',
      'name-taken',
    ]);
    expect(refusalForms({ code: 'source-mismatch' })).toEqual(['source-mismatch']);
  });

  it('says who holds a name and when to retry, in one sentence', () => {
    expect(refusalText({ code: 'name-taken', holder: '127.0.0.1', retryAfterS: 24 }, 'alice')).toBe(
      'alice is already online from 127.0.0.1 (a live session the server will not replace from another host); try again in 24 s',
    );
    expect(refusalText({ code: 'other', text: 'no' }, 'alice')).toBe('no');
  });
});
