/**
 * Refusing a bad name before any socket is opened, with the protocol's own rule and words.
 * @module
 */
import { validateName } from '../protocol/index.js';

/** Why a name cannot be used, for a person; undefined when the name is fine. */
export const nameProblem = (name: string): string | undefined => {
  const checked = validateName(name);
  return checked.ok ? undefined : `${checked.error.reason} — choose another --name (names cannot contain , ; : or control characters)`;
};
