/**
 * The online list's index by name, shaped for immer: a fixed-depth hash trie of 32-slot arrays whose leaves are small
 * immutable values.
 *
 * Why: immer copies every object on the path it changes. A list held in one `Map` is one object, so each update copies
 * every user (1.7 ms at 10,000 users). Here an update copies three 32-slot arrays and one leaf of a few users, whatever
 * the number of users. The leaves are instances of a class, which immer treats as values (it never drafts or proxies
 * them): a leaf is replaced, never mutated, so reading a leaf inside a recipe costs no proxy.
 *
 * The functions that mutate take the trie as an immer draft (or as a fresh structure not yet frozen).
 * @module
 */
import type { User } from './types.js';

/** Bits of the name's hash used per level: 32 slots keep a node copy cheap. */
const BITS = 5;
const SLOTS = 1 << BITS;
/** Levels of 32-slot arrays above the leaves: 32³ = 32,768 leaves, about three users a leaf at 100,000 users. */
const LEVELS = 3;

/** A leaf: the users whose names share a hash slot, sorted by name. Immutable; a value to immer. */
export class NameLeaf {
  /** Sorted by name (UTF-16 code unit order), so that listing is a function of who is online, not of history. */
  readonly users: readonly User[];
  constructor(users: readonly User[]) {
    this.users = Object.freeze(users);
    Object.freeze(this);
  }
}

/** An inner node: 32 slots, each a deeper node, a leaf (at the last level), or empty. */
export type NameNode = (NameNode | NameLeaf | undefined)[];

/** A node with every slot present (packed, not holey: V8 copies packed arrays faster). */
const emptyNode = (): NameNode => new Array<undefined>(SLOTS).fill(undefined);

/** An empty index. */
export const emptyNameIndex = (): NameNode => emptyNode();

/** FNV-1a over UTF-16 code units: cheap, and spreads similar names (`user1`, `user2`) across leaves. */
export const hashName = (name: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
};

const slotAt = (hash: number, level: number): number => (hash >>> (level * BITS)) & (SLOTS - 1);

/** The node holding the leaf for `hash` (creating the path when `create`), or undefined. */
const leafParent = (index: NameNode, hash: number, create: boolean): NameNode | undefined => {
  let node = index;
  for (let level = 0; level < LEVELS - 1; level++) {
    const slot = slotAt(hash, level);
    let child = node[slot] as NameNode | undefined;
    if (child === undefined) {
      if (!create) return undefined;
      node[slot] = emptyNode();
      // Read back: inside a recipe this is the new array itself, which immer will freeze at the end.
      child = node[slot] as NameNode;
    }
    node = child;
  }
  return node;
};

/** Where `name` is in a sorted leaf: its index if present, else `-(insertion point) - 1`. */
const search = (users: readonly User[], name: string): number => {
  let low = 0;
  let high = users.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const at = users[mid]!.name;
    if (at === name) return mid;
    if (at < name) low = mid + 1;
    else high = mid - 1;
  }
  return -low - 1;
};

/** The user online under `name`, or undefined. Reads only. */
export const nameGet = (index: NameNode, name: string): User | undefined => {
  const hash = hashName(name);
  const leaf = leafParent(index, hash, false)?.[slotAt(hash, LEVELS - 1)] as NameLeaf | undefined;
  if (leaf === undefined) return undefined;
  const at = search(leaf.users, name);
  return at >= 0 ? leaf.users[at] : undefined;
};

/** Puts `user` in, replacing any user of the same name. Returns true if the name was new. Mutates `index`. */
export const nameUpsert = (index: NameNode, user: User): boolean => {
  const hash = hashName(user.name);
  const parent = leafParent(index, hash, true)!;
  const slot = slotAt(hash, LEVELS - 1);
  const users = (parent[slot] as NameLeaf | undefined)?.users ?? [];
  const at = search(users, user.name);
  const next = users.slice();
  if (at >= 0) next[at] = Object.freeze(user);
  else next.splice(-at - 1, 0, Object.freeze(user));
  parent[slot] = new NameLeaf(next);
  return at < 0;
};

/**
 * Removes the user online under `name`, only if its session is `session` (when given). Returns true if a user was
 * removed. Mutates `index`. Inner nodes stay (there are at most 32² + 32 + 1 of them, whatever the churn).
 */
export const nameRemove = (index: NameNode, name: string, session?: string): boolean => {
  const hash = hashName(name);
  const slot = slotAt(hash, LEVELS - 1);
  // Look before drafting: a stale or unknown leave then copies nothing.
  const parent = leafParent(index, hash, false);
  const users = (parent?.[slot] as NameLeaf | undefined)?.users;
  if (parent === undefined || users === undefined) return false;
  const at = search(users, name);
  if (at < 0 || (session !== undefined && users[at]!.session !== session)) return false;
  parent[slot] = users.length === 1 ? undefined : new NameLeaf(users.filter((_, i) => i !== at));
  return true;
};

/** Every user, in a stable order (trie slot order, then name): the same users always list the same way. O(users). */
export const nameList = (index: NameNode): User[] => {
  const users: User[] = [];
  const walk = (node: NameNode, level: number): void => {
    for (const child of node) {
      if (child === undefined) continue;
      if (level === LEVELS - 1) users.push(...(child as NameLeaf).users);
      else walk(child as NameNode, level + 1);
    }
  };
  walk(index, 0);
  return users;
};
