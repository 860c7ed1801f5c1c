/**
 * Refusing a bad name before any socket is opened, with the protocol's own rule and words.
 * @module
 */

/** Why a name cannot be used, for a person; undefined when the name is fine. */
export const nameProblem = (name: string): string | undefined => {
  if (name.length === 0) return 'the name is empty — pick a name such as alice';
  // The wire splits on these, so the original program would misread a name containing one.
  const bad = [...name].find((ch) => ch === ',' || ch === ';' || ch === ':' || /\p{Cc}/u.test(ch));
  if (bad !== undefined) {
    const shown = /\p{Cc}/u.test(bad) ? `a control character (U+${bad.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')})` : `"${bad}"`;
    return `the name "${name}" contains ${shown}, which the protocol cannot carry — names cannot contain , ; : or control characters`;
  }
  return undefined;
};
