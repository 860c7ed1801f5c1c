/**
 * The wire codec: the classic protocol of the original C# program, byte for byte, and imstate's extensions.
 * Pure and total: decoders never throw, encoders refuse what the wire cannot carry.
 * @module
 */
export type { ProtocolError, ProtocolErrorCode, Result } from './result.js';
export { fail, ok } from './result.js';
export type {
  AcceptMessage,
  ClassicMessage,
  Endpoint,
  ExtensionMessage,
  LoginMessage,
  LogoutMessage,
  Message,
  MessageType,
  PingMessage,
  PongMessage,
  ReceiptMessage,
  RefuseMessage,
  ReliableTalkMessage,
  TalkMessage,
  UnknownMessage,
} from './message.js';
export type { CodecLimits } from './limits.js';
export { defaultLimits } from './limits.js';
export { canonicalIPv6 } from './ip-address.js';
export { endpointFrom, formatEndpoint, parseEndpoint, parsePort, validateEndpoint } from './endpoint.js';
export { validateName } from './name.js';
export { maxIdLength, validateExtensionField, validateId, validateTime } from './field.js';
export { formatMessage, parseMessage } from './text.js';
export { decodeDatagram, encodeDatagram } from './datagram.js';
export type { ListEntry } from './user-list.js';
export { formatUserList, parseUserList } from './user-list.js';
export type { BinaryStringReader } from './binary-string.js';
export { createBinaryStringReader, encodeBinaryString } from './binary-string.js';
export { extensionFields, extensionKeys, readExtensions } from './extensions.js';
export type { ListExtension, ListExtensionUser } from './list-extension.js';
export { formatListExtension, parseListExtension } from './list-extension.js';
