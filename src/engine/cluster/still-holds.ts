/**
 * When a decision made on an older shared log still holds: each leave's session is the one online, each join's name
 * is free (after the leaves before it in the same decision). The rule the Redis append script applies (its
 * `still_holds`, in ../redis/scripts.ts), here for the in-memory model, so that both stores accept the same appends.
 * @module
 */
import type { PresenceChange } from '../../presence/types.js';

/** Whether `changes`, decided on an older list, may be appended to the list whose sessions `online` reports. */
export const stillHolds = (changes: readonly PresenceChange[], online: (name: string) => string | undefined): boolean => {
  const shadow = new Map<string, string | undefined>();
  for (const change of changes) {
    const name = change.type === 'joined' ? change.user.name : change.name;
    const now = shadow.has(name) ? shadow.get(name) : online(name);
    if (change.type === 'joined') {
      if (now !== undefined) return false;
      shadow.set(name, change.user.session);
    } else {
      if (now !== change.session) return false;
      shadow.set(name, undefined);
    }
  }
  return true;
};
