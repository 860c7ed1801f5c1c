/**
 * Trust: what the index server believes about a datagram's sender, as pure building blocks for the server machine's
 * guards: per-source token buckets, the pending-login table, session secrets, typed refusals, and the options that
 * bound them all. Named re-exports only.
 * @module
 */
export type { Bucket, BucketOptions, TokenBuckets } from './token-bucket.js';
export { createTokenBuckets, tokensAt } from './token-bucket.js';
export type { PendingLogin, PendingLogins, PendingOptions, PendingRoom } from './pending.js';
export { createPendingLogins } from './pending.js';
export { SECRET_BYTES, base64url, isSecretShape, newSecret, sameSecret } from './secret.js';
export type { Refusal, RefusalCode, UnreadRefusal } from './refusal.js';
export { formatRefusal, readRefusal, refusalCodes, refusalForms, refusalText } from './refusal.js';
export type { TrustOptions } from './options.js';
export { defaultTrustOptions, resolveTrustOptions } from './options.js';
