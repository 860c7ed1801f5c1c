/**
 * The peer machine's timings and counters, with defaults. Every number here becomes a named delay or a guard in
 * peer.machine.ts / talk.machine.ts, so a simulated clock drives all of them in tests.
 * @module
 */

/** How patient a peer is. All times in milliseconds. */
export interface PeerOptions {
  /** Wait for `Accept` after the first `login` (then doubled each try, see {@link PeerOptions.loginBackoff}). */
  readonly loginRetryMs: number;
  /** Factor between two successive waits for `Accept`. */
  readonly loginBackoff: number;
  /** Longest wait for `Accept` after one `login`, whatever the backoff says. */
  readonly loginRetryMaxMs: number;
  /** `login` datagrams sent before giving up ("no answer from … after N tries"). */
  readonly loginTries: number;
  /**
   * Once online, the server lost (heartbeats unanswered, or it forgot the session): the first wait for `Accept` while
   * logging in again, then times the backoff, up to {@link PeerOptions.reconnectRetryMaxMs}.
   */
  readonly reconnectRetryMs: number;
  /** Longest wait between two `login`s while logging in again. */
  readonly reconnectRetryMaxMs: number;
  /** `login`s of one reconnection before giving up; `Infinity` (the default): never give up. */
  readonly reconnectTries: number;
  /** How long one TCP list fetch may take (or, after a failed fetch, how long to wait before the next). */
  readonly listTimeoutMs: number;
  /** List fetches before giving up. */
  readonly listTries: number;
  /** After a gap in the presence sequence, how long to wait for the late datagram before fetching the list again. */
  readonly resyncDelayMs: number;
  /** Unanswered `ping`s in a row after which the server is taken as gone and the peer logs in again. */
  readonly pongMisses: number;
  /** How long to wait for the server to confirm a `logout` (imstate servers only). */
  readonly logoutTimeoutMs: number;
  /** Wait for a `receipt` after sending an `rtalk`. */
  readonly receiptTimeoutMs: number;
  /** `rtalk` transmissions before the message is reported failed. */
  readonly talkTries: number;
  /** Message ids remembered per sender to drop duplicated `rtalk`s. */
  readonly recentTalkIds: number;
}

/**
 * The defaults: 5 login tries waiting 0.5, 1, 2, 4 and 8 s (15.5 s in all), 3 list fetches of 3 s each; once online, a
 * lost server is asked again forever, after 2, 4, 8, 16, then every 30 s.
 */
export const defaultPeerOptions: PeerOptions = {
  loginRetryMs: 500,
  loginBackoff: 2,
  loginRetryMaxMs: 8_000,
  loginTries: 5,
  reconnectRetryMs: 2_000,
  reconnectRetryMaxMs: 30_000,
  reconnectTries: Number.POSITIVE_INFINITY,
  listTimeoutMs: 3_000,
  listTries: 3,
  resyncDelayMs: 500,
  pongMisses: 3,
  logoutTimeoutMs: 1_000,
  receiptTimeoutMs: 1_000,
  talkTries: 5,
  recentTalkIds: 64,
};

const whole = (value: number | undefined, fallback: number, min: number): number =>
  value !== undefined && Number.isFinite(value) && value >= min ? Math.floor(value) : fallback;

/**
 * Fills in the defaults. Total: a missing, non-finite or too small value takes the default rather than throwing,
 * so a bad option can never stop a machine (counts are at least 1, times at least 1 ms, the backoff at least 1; only
 * `reconnectTries` may be infinite).
 */
export const resolvePeerOptions = (options: Partial<PeerOptions> = {}): PeerOptions => {
  const d = defaultPeerOptions;
  const loginBackoff =
    options.loginBackoff !== undefined && Number.isFinite(options.loginBackoff) && options.loginBackoff >= 1
      ? options.loginBackoff
      : d.loginBackoff;
  const loginRetryMs = whole(options.loginRetryMs, d.loginRetryMs, 1);
  const reconnectRetryMs = whole(options.reconnectRetryMs, d.reconnectRetryMs, 1);
  return {
    loginRetryMs,
    loginBackoff,
    loginRetryMaxMs: Math.max(loginRetryMs, whole(options.loginRetryMaxMs, d.loginRetryMaxMs, 1)),
    loginTries: whole(options.loginTries, d.loginTries, 1),
    reconnectRetryMs,
    reconnectRetryMaxMs: Math.max(reconnectRetryMs, whole(options.reconnectRetryMaxMs, d.reconnectRetryMaxMs, 1)),
    // Infinity is the default, and a count given is at least 1.
    reconnectTries: whole(options.reconnectTries, d.reconnectTries, 1),
    listTimeoutMs: whole(options.listTimeoutMs, d.listTimeoutMs, 1),
    listTries: whole(options.listTries, d.listTries, 1),
    resyncDelayMs: whole(options.resyncDelayMs, d.resyncDelayMs, 1),
    pongMisses: whole(options.pongMisses, d.pongMisses, 1),
    logoutTimeoutMs: whole(options.logoutTimeoutMs, d.logoutTimeoutMs, 1),
    receiptTimeoutMs: whole(options.receiptTimeoutMs, d.receiptTimeoutMs, 1),
    talkTries: whole(options.talkTries, d.talkTries, 1),
    recentTalkIds: whole(options.recentTalkIds, d.recentTalkIds, 1),
  };
};

/** The wait for `Accept` after the `tries`-th `login` (1-based): the first wait, times the backoff, capped. */
export const loginRetryDelay = (options: PeerOptions, tries: number): number =>
  Math.min(options.loginRetryMaxMs, Math.round(options.loginRetryMs * options.loginBackoff ** Math.max(0, tries - 1)));

/** The wait for `Accept` after the `tries`-th `login` of a reconnection (1-based), like {@link loginRetryDelay}. */
export const reconnectRetryDelay = (options: PeerOptions, tries: number): number =>
  Math.min(
    options.reconnectRetryMaxMs,
    Math.round(options.reconnectRetryMs * options.loginBackoff ** Math.max(0, tries - 1)),
  );
