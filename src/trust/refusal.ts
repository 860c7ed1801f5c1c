/**
 * Why the server refused a login, as typed data and as a sentence for a person. On the wire it travels compact, as
 * `Refuse,<code>[,holder=<ip>][,retry=<s>]`, so that a `Refuse` is never larger than the login that asked for it (it
 * goes to an address that has not proven anything yet); the peer turns it back into {@link Refusal} and
 * {@link refusalText} writes the sentence. Only imstate peers are sent a `Refuse`: the original client cannot read
 * one, so a refused classic login is only logged and counted.
 * @module
 */

/** The codes a `Refuse` carries. */
export const refusalCodes = ['name-taken', 'too-many-sessions', 'busy', 'source-mismatch'] as const;

/** One of {@link refusalCodes}. */
export type RefusalCode = (typeof refusalCodes)[number];

/** A refusal: its code, and for `name-taken` who holds the name and when to retry. */
export interface Refusal {
  readonly code: RefusalCode;
  /** `name-taken`: the IP address the name is online from (already public: every list shows endpoints). */
  readonly holder?: string;
  /** When trying again may work, in whole seconds (`name-taken`: the holder's expiry bound; `busy`: a moment). */
  readonly retryAfterS?: number;
}

/** A refusal the peer could not read as one of ours (an older server, or another implementation): kept as text. */
export interface UnreadRefusal {
  readonly code: 'other';
  readonly text: string;
}

/** The refusal text on the wire: `<code>[,holder=<ip>][,retry=<s>]`. */
export const formatRefusal = (refusal: Refusal): string =>
  [
    refusal.code,
    ...(refusal.holder === undefined ? [] : [`holder=${refusal.holder}`]),
    ...(refusal.retryAfterS === undefined ? [] : [`retry=${refusal.retryAfterS}`]),
  ].join(',');

/**
 * The shortest forms of a refusal, longest first: with everything, without the holder, with the code only. The server
 * sends the first that is no larger than the login it answers.
 */
export const refusalForms = (refusal: Refusal): string[] => {
  const forms = [formatRefusal(refusal)];
  if (refusal.holder !== undefined) forms.push(formatRefusal({ ...refusal, holder: undefined }));
  if (refusal.retryAfterS !== undefined) forms.push(refusal.code);
  return [...new Set(forms)];
};

/** Reads a `Refuse`'s text; anything that is not our compact form comes back as {@link UnreadRefusal}. Total. */
export const readRefusal = (text: string): Refusal | UnreadRefusal => {
  const [code, ...fields] = text.split(',');
  const known = refusalCodes.find((c) => c === code);
  if (known === undefined) return { code: 'other', text };
  let holder: string | undefined;
  let retryAfterS: number | undefined;
  for (const field of fields) {
    if (field.startsWith('holder=') && /^[0-9A-Fa-f.:]{1,45}$/.test(field.slice(7))) holder = field.slice(7);
    else if (field.startsWith('retry=') && /^\d{1,6}$/.test(field.slice(6))) retryAfterS = Number(field.slice(6));
    else return { code: 'other', text };
  }
  return { code: known, ...(holder === undefined ? {} : { holder }), ...(retryAfterS === undefined ? {} : { retryAfterS }) };
};

const retry = (refusal: Refusal): string => (refusal.retryAfterS === undefined ? '' : `; try again in ${refusal.retryAfterS} s`);

/** The refusal as one sentence for a person, e.g. `alice is online from 127.0.0.1 (a live session); try again in 24 s`. */
export const refusalText = (refusal: Refusal | UnreadRefusal, name: string): string => {
  switch (refusal.code) {
    case 'name-taken':
      return `${name} is already online${refusal.holder === undefined ? '' : ` from ${refusal.holder}`} (a live session the server will not replace from another host)${retry(refusal)}`;
    case 'too-many-sessions':
      return `this host already has as many users online as the server allows${retry(refusal)}`;
    case 'busy':
      return `the server is turning logins from this host away for now (too many at once)${retry(refusal)}`;
    case 'source-mismatch':
      return 'the login named an endpoint on another host than it came from (behind NAT? the server can be told to use the observed source)';
    case 'other':
      return refusal.text;
  }
};
