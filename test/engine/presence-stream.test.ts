/**
 * The handles' `presence$`, over real loopback sockets: the server and a peer report joins and leaves as single
 * updates (a replaced session leaves before its successor joins), `users$` is exactly `presence$` folded into the list
 * (one list per decision, never a half-done replacement), and a late subscriber to `users$` starts from the list now.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIndexServer } from '../../src/engine/server.js';
import type { PresenceUpdate } from '../../src/engine/types.js';
import { createMemoryLog } from '../../src/presence/log.js';
import type { User } from '../../src/presence/types.js';
import { createLab, current, entries, sameUsers, until, waitFor, type Lab } from './support/harness.js';

const said = (updates: readonly PresenceUpdate[]): string[] => updates.map(({ type, user }) => `${type} ${user.name} ${user.session}`);

/** Folds updates into a list by hand, as a consumer would. */
const fold = (users: readonly User[], updates: readonly PresenceUpdate[]): User[] =>
  updates.reduce<User[]>(
    (list, update) => (update.type === 'joined' ? [...list, update.user] : list.filter((user) => user.name !== update.user.name)),
    [...users],
  );

describe('presence$ over loopback', () => {
  let lab: Lab;
  beforeEach(async () => {
    lab = await createLab();
  });
  afterEach(() => lab.cleanup());

  it('the server and a peer report each join and leave once, and users$ is that stream folded in', async () => {
    const server = await lab.server();
    const serverUpdates: PresenceUpdate[] = [];
    const serverLists: (readonly User[])[] = [];
    server.handle.presence$.subscribe((update) => serverUpdates.push(update));
    server.handle.users$.subscribe((users) => serverLists.push(users));

    const bob = lab.peer(server, 'bob');
    const bobUpdates: PresenceUpdate[] = [];
    bob.handle.presence$.subscribe((update) => bobUpdates.push(update));
    await bob.handle.login();
    const alice = await lab.online(server, 'alice');
    await waitFor(bob.handle.users$, (users) => users.length === 2, 'bob to see alice');
    const aliceUser = (await current(server.handle.users$)).find((user) => user.name === 'alice')!;
    const bobUser = (await current(server.handle.users$)).find((user) => user.name === 'bob')!;

    await alice.handle.logout();
    await until(() => bobUpdates.length === 3, 'bob to see alice leave');

    expect(said(serverUpdates)).toEqual([
      `joined bob ${bobUser.session}`,
      `joined alice ${aliceUser.session}`,
      `left alice ${aliceUser.session}`,
    ]);
    // bob's first list (himself) is a join like any other; alice joins and leaves as the server said.
    expect(said(bobUpdates)).toEqual(said(serverUpdates));
    // The same users, except what only the server needs: which peers take batched presence (`batch=1`).
    const asPeersSee = ({ batch, ...user }: User): User => (expect(batch).toBe(true), user);
    expect(bobUpdates.map((update) => update.user)).toEqual(serverUpdates.map((update) => asPeersSee(update.user)));
    // users$: the empty list on subscribing, then one list per change, each the fold of the updates so far.
    expect(serverLists.map(entries)).toEqual([0, 1, 2, 3].map((n) => entries(fold([], serverUpdates.slice(0, n)))));
    expect(entries(await current(bob.handle.users$))).toEqual(entries([bobUser]));
  });

  it('a new session of a name is one decision: the old session leaves, then the new one joins, in one list', async () => {
    const server = await lab.server();
    const bob = await lab.online(server, 'bob');
    const first = await lab.online(server, 'alice');
    await waitFor(bob.handle.users$, (users) => users.length === 2, 'bob to see the first alice');
    const firstAt = first.handle.endpoint;

    const serverUpdates: PresenceUpdate[] = [];
    const serverLists: (readonly User[])[] = [];
    const bobUpdates: PresenceUpdate[] = [];
    server.handle.presence$.subscribe((update) => serverUpdates.push(update));
    server.handle.users$.subscribe((users) => serverLists.push(users));
    bob.handle.presence$.subscribe((update) => bobUpdates.push(update));

    const second = await lab.online(server, 'alice');
    await waitFor(first.handle.state$, (state) => state.value === 'failed', 'the first alice to be replaced');
    const now = await waitFor(bob.handle.users$, (users) => users.some((user) => user.endpoint === second.handle.endpoint), 'bob to see the second alice');

    expect(serverUpdates.map(({ type, user }) => `${type} ${user.endpoint}`)).toEqual([
      `left ${firstAt}`,
      `joined ${second.handle.endpoint}`,
    ]);
    expect(firstAt).not.toBe(second.handle.endpoint);
    expect(said(bobUpdates)).toEqual(said(serverUpdates));
    // The list on subscribing, then one list with the second alice in place: never one without any alice.
    expect(serverLists).toHaveLength(2);
    expect(serverLists.every((users) => users.some((user) => user.name === 'alice'))).toBe(true);
    expect(sameUsers(serverLists[1]!, now)).toBe(true);
  });

  it('a server started on a log that outlived another reports the users it brings back as joins', async () => {
    const log = createMemoryLog();
    const old = await lab.server({ log });
    await lab.online(old, 'alice');
    await lab.online(old, 'bob');
    const before = await waitFor(old.handle.users$, (users) => users.length === 2, 'both online');
    await old.handle.stop();

    const restarted = createIndexServer({ log });
    const updates: PresenceUpdate[] = [];
    restarted.presence$.subscribe((update) => updates.push(update));
    expect(await current(restarted.users$)).toEqual([]);
    lab.defer(() => restarted.stop());
    await restarted.start();
    expect(updates.every((update) => update.type === 'joined')).toBe(true);
    expect(entries(updates.map((update) => update.user))).toEqual(entries(before));
    expect(entries(await current(restarted.users$))).toEqual(entries(before));
  });
});
