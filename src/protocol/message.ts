/**
 * The messages of the classic protocol (docs/PROTOCOL.md §4–5) and of imstate's negotiated extensions (§7), as
 * one tagged union keyed by `type`. The `type` strings are the words on the wire.
 * @module
 */

/** A UDP endpoint as .NET's `IPEndPoint.ToString()` prints it: `1.2.3.4:5` or `[::1]:5`. */
export interface Endpoint {
  readonly family: 'IPv4' | 'IPv6';
  /** The address without brackets, e.g. `127.0.0.1` or `::1`. */
  readonly address: string;
  /** 1–65535. */
  readonly port: number;
}

/** Why a user left the online list: the `reason=` of a forwarded `logout`. */
export type LeaveReason = 'logout' | 'expired' | 'replaced';

/**
 * imstate's appended `key=value` fields, decoded (./extensions.ts): each is present only when the datagram carried
 * it, and the codec has checked its value, so no reader parses text. Unknown appended fields stay in `extensions`.
 */
export interface ExtensionValues {
  /** `imstate=1` (true) or `imstate=0`: the sender (or, forwarded, the joining user) speaks imstate's extensions. */
  readonly imstate?: boolean;
  /** `hb=<ms>` (1 or more): the server wants a `ping` this often. */
  readonly heartbeatMs?: number;
  /** `seq=<n>` (0 or more): the presence log's sequence number. */
  readonly seq?: number;
  /** `session=<id>`: one login of a name (an id: 1–64 printable characters, no `,`). */
  readonly session?: string;
  /** `reason=logout|expired|replaced`: why a user left. */
  readonly reason?: LeaveReason;
  /** `batch=1` (true) or `batch=0`, on an imstate peer's `login`: it reads batch datagrams ({@link BatchMessage}). */
  readonly batch?: boolean;
  /**
   * `secret=<s>`: the session secret an imstate server gives a peer in its `Accept` (never broadcast, never listed),
   * which that peer's `logout` and `ping` carry back (an id: 1–64 printable characters, no `,`).
   */
  readonly secret?: string;
  /**
   * `by=<endpoint>`, only on the replaced notice the server sends a replaced imstate peer (never broadcast): the
   * endpoint of the login that replaced it, so that peer can say where its name went.
   */
  readonly by?: Endpoint;
}

/** Appended fields the codec does not know, kept verbatim and in order (written after the known ones). */
export interface OtherExtensions {
  /** Empty for a classic party. A field here never has a known key (those are the typed fields). */
  readonly extensions: readonly string[];
}

/** `login,<name>,<endpoint>[,<ext>...]`: a peer logs in (peer → server) or the server forwards a login (server → peers). */
export interface LoginMessage extends ExtensionValues, OtherExtensions {
  readonly type: 'login';
  readonly name: string;
  /** The peer's own UDP receive endpoint (not the datagram's source). */
  readonly endpoint: Endpoint;
}

/** `Accept,<tcpPort>[,<ext>...]`: the server accepts a login and names its TCP list port. */
export interface AcceptMessage extends ExtensionValues, OtherExtensions {
  readonly type: 'Accept';
  readonly tcpPort: number;
}

/** `logout,<name>,<endpoint>[,<ext>...]`: a peer leaves (peer → server) or the server forwards a leave. */
export interface LogoutMessage extends ExtensionValues, OtherExtensions {
  readonly type: 'logout';
  readonly name: string;
  readonly endpoint: Endpoint;
}

/** `talk,<time>,<name>,<text>`: a chat line, peer → peer. The text is everything after the third comma. */
export interface TalkMessage {
  readonly type: 'talk';
  /** Free text: the sender's `ToLongTimeString()`, e.g. `10:41:40`. */
  readonly time: string;
  /** The sender. */
  readonly name: string;
  readonly text: string;
}

/** Extension `rtalk,<id>,<time>,<name>,<text>`: a talk that wants a receipt. Only to peers that advertised `imstate`. */
export interface ReliableTalkMessage {
  readonly type: 'rtalk';
  /** Sender-unique message id (no commas). */
  readonly id: string;
  readonly time: string;
  readonly name: string;
  readonly text: string;
}

/** Extension `receipt,<id>,<name>`: `name` (the receiver) confirms it got talk `id`. */
export interface ReceiptMessage {
  readonly type: 'receipt';
  readonly id: string;
  readonly name: string;
}

/**
 * Extension `ping,<name>,<session>[,secret=<s>]`: a heartbeat, peer → server, only when the server advertised
 * heartbeats; `secret` is the session secret its `Accept` carried, when it carried one.
 */
export interface PingMessage {
  readonly type: 'ping';
  readonly name: string;
  readonly session: string;
  readonly secret?: string;
}

/** Extension `pong,<seq>`: the server knows the session; `seq` is its latest presence sequence number. */
export interface PongMessage {
  readonly type: 'pong';
  readonly seq: number;
}

/** Extension `unknown,<name>`: the server does not know this session (it restarted, or the session expired). */
export interface UnknownMessage {
  readonly type: 'unknown';
  readonly name: string;
}

/** Extension `Refuse,<reason>`: the server refuses a login; the reason is text for a person (commas kept). */
export interface RefuseMessage {
  readonly type: 'Refuse';
  readonly reason: string;
}

/** A user came online, inside a {@link BatchMessage}: what a sequenced forwarded `login` says. */
export interface BatchLogin {
  readonly type: 'login';
  readonly name: string;
  readonly endpoint: Endpoint;
  /** The login's session (a classic user's session is its endpoint as printed). */
  readonly session: string;
  /** The joining user speaks imstate's extensions. */
  readonly imstate: boolean;
}

/** A user left, inside a {@link BatchMessage}: what a sequenced forwarded `logout` says (its endpoint is not needed). */
export interface BatchLogout {
  readonly type: 'logout';
  readonly name: string;
  readonly session: string;
  readonly reason: LeaveReason;
}

/** One presence event of a batch; its sequence number is the batch's `first` plus its index. */
export type BatchEntry = BatchLogin | BatchLogout;

/**
 * Extension `batch`: consecutive presence events in one datagram (UTF-8, not UTF-16LE; docs/PROTOCOL.md §7, Batched
 * presence), numbered `first`, `first + 1`, …. Only to a peer whose `login` carried `batch=1`.
 */
export interface BatchMessage {
  readonly type: 'batch';
  /** The sequence number of the first entry (1 or more). */
  readonly first: number;
  /** At least one. */
  readonly entries: readonly BatchEntry[];
}

/** The messages of the original program. */
export type ClassicMessage = LoginMessage | AcceptMessage | LogoutMessage | TalkMessage;

/** imstate's extension messages: never sent to a party that has not advertised `imstate`. */
export type ExtensionMessage =
  | ReliableTalkMessage
  | ReceiptMessage
  | PingMessage
  | PongMessage
  | UnknownMessage
  | RefuseMessage
  | BatchMessage;

/** Every datagram the engine sends or receives. */
export type Message = ClassicMessage | ExtensionMessage;

/** The `type` strings of {@link Message}. */
export type MessageType = Message['type'];
