/**
 * Which characters the wire's text fields cannot carry, and how to name one for a person.
 * @module
 */

/**
 * Forbidden in names: the separators of the datagram (`,`), the user list (`;`) and the original's endpoint split
 * (`:`), control characters, line and paragraph separators, and unpaired surrogates (UTF-8 cannot carry them).
 */
export const nameForbidden = /[,;:\p{Cc}\p{Zl}\p{Zp}\p{Cs}]/u;

/** Forbidden in ids and extension fields: the field separator, control characters, line breaks, unpaired surrogates. */
export const fieldForbidden = /[,\p{Cc}\p{Zl}\p{Zp}\p{Cs}]/u;

/** Any unpaired surrogate: UTF-16 text that no encoder can turn into valid UTF-16LE or UTF-8 bytes. */
export const unpairedSurrogate = /\p{Cs}/u;

/** `U+000A`: a code point as Unicode charts write it. */
export const codePointName = (codePoint: number): string =>
  `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;

/** Names one character for a reason: `a comma`, `the control character U+000A`, `an unpaired surrogate (U+D800)`. */
export const describeChar = (char: string): string => {
  if (char === ',') return 'a comma';
  if (char === ';') return 'a semicolon';
  if (char === ':') return 'a colon';
  const codePoint = char.codePointAt(0) ?? 0;
  if (codePoint >= 0xd800 && codePoint <= 0xdfff) return `an unpaired surrogate (${codePointName(codePoint)})`;
  if (/\p{Cc}/u.test(char)) return `the control character ${codePointName(codePoint)}`;
  return `the line separator ${codePointName(codePoint)}`;
};

/** Length in code points (what a person calls characters, near enough): 剑痴 is 2, 👍 is 1. */
export const codePointLength = (text: string): number => {
  let surrogatePairs = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        surrogatePairs++;
        i++;
      }
    }
  }
  return text.length - surrogatePairs;
};
