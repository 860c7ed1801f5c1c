/**
 * Presence: the online list as the fold of the server's event log, the duplicate-name policy, the log, a peer's
 * replica of it, and the classic list text. Named re-exports only.
 * @module
 */
export type { JoinedEvent, LeaveReason, LeftEvent, PresenceChange, PresenceEvent, Snapshot, User } from './types.js';
export type { PresenceChanges, PresenceState } from './state.js';
export {
  applyEvent,
  applyEvents,
  emptyPresence,
  findUser,
  forEachUser,
  fromSnapshot,
  listUsers,
  presenceChanges,
  presenceSeq,
  presenceSize,
  removeUser,
  toSnapshot,
  upsertUser,
} from './state.js';
export { decideExpiry, decideLogin, decideLogout } from './policy.js';
export type { AppendResult, MemoryLogOptions, MemoryPresenceLog, PresenceLog, Resync } from './log.js';
export { createMemoryLog, PresenceLogError, resync } from './log.js';
export type { ClassicPresence, Replica, ReplicaOptions } from './replica.js';
export {
  createReplica,
  receiveClassic,
  receiveEvent,
  receiveEvents,
  receiveResync,
  receiveServerSeq,
  receiveSnapshot,
  replicaFindUser,
  replicaReady,
  replicaSeq,
  replicaUsers,
  resyncNeeded,
} from './replica.js';
export type { ClassicListOptions } from './classic.js';
export { classicListToSnapshot, snapshotToClassicList, snapshotToListExtension } from './classic.js';
