/**
 * `imstate/protocol`: the wire codec, for tools that speak the wire themselves. The classic protocol of the original
 * C# program byte for byte, and imstate's extensions (docs/PROTOCOL.md describes both). Pure and total: decoders never
 * throw, encoders refuse what the wire cannot carry; both return a {@link Result}.
 *
 * Curated: datagrams, the TCP list (its text, its BinaryWriter-string framing and imstate's list extension), endpoints
 * and names as the wire writes them, and the codec's errors and limits. The helpers behind them stay inside the
 * package; `test/api/entries.test.ts` pins the list.
 * @module
 */
export type { ProtocolError, ProtocolErrorCode, Result } from './result.js';
export type {
  AcceptMessage,
  BatchEntry,
  BatchLogin,
  BatchLogout,
  BatchMessage,
  ClassicMessage,
  Endpoint,
  ExtensionMessage,
  ExtensionValues,
  LeaveReason,
  LoginMessage,
  LogoutMessage,
  Message,
  MessageType,
  OtherExtensions,
  PingMessage,
  PongMessage,
  ReceiptMessage,
  RefuseMessage,
  ReliableTalkMessage,
  TalkMessage,
  UnknownMessage,
} from './message.js';
export { defaultLimits, type CodecLimits } from './limits.js';
export { decodeDatagram, encodeDatagram } from './datagram.js';
export { formatEndpoint, parseEndpoint } from './endpoint.js';
export { validateName } from './name.js';
export { formatUserList, parseUserList, type ListEntry } from './user-list.js';
export { createBinaryStringReader, encodeBinaryString, type BinaryStringReader } from './binary-string.js';
export { formatListExtension, parseListExtension, type ListExtension, type ListExtensionUser } from './list-extension.js';
