/**
 * The bytes the original C# program reads and writes, done the way it does them and independently of src/protocol
 * (a fake that shared our codec would share its bugs): `Encoding.Unicode` datagrams, `message.Split(',')`, .NET's
 * `IPEndPoint` parse by `Split(':')`, and `BinaryWriter.Write(string)` / `BinaryReader.ReadString()` framing.
 * @module
 */
import { createSocket } from 'node:dgram';

/** `Encoding.Unicode.GetBytes(text)`: UTF-16LE, no BOM. */
export const unicodeBytes = (text: string): Buffer => Buffer.from(text, 'utf16le');

/** `Encoding.Unicode.GetString(bytes)`. */
export const unicodeText = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf16le');

/** `BinaryWriter.Write(string)`: the UTF-8 byte length as 7-bit groups, low first, then the UTF-8 bytes. */
export const binaryWriterString = (text: string): Buffer => {
  const body = Buffer.from(text, 'utf8');
  const prefix: number[] = [];
  let length = body.length;
  while (length >= 0x80) {
    prefix.push((length & 0x7f) | 0x80);
    length >>>= 7;
  }
  prefix.push(length);
  return Buffer.concat([Buffer.from(prefix), body]);
};

/**
 * `BinaryReader.ReadString()` over what has arrived so far: the string and the bytes it used, or undefined while it
 * is incomplete. Throws, as .NET does, on a length prefix longer than five bytes.
 */
export const readBinaryString = (bytes: Buffer): { text: string; used: number } | undefined => {
  let length = 0;
  for (let i = 0; i < 5; i++) {
    const byte = bytes[i];
    if (byte === undefined) return undefined;
    length |= (byte & 0x7f) << (7 * i);
    if ((byte & 0x80) === 0) {
      const end = i + 1 + length;
      return bytes.length < end ? undefined : { text: bytes.subarray(i + 1, end).toString('utf8'), used: end };
    }
  }
  throw new Error('Format_Bad7BitInt32: the length prefix is longer than five bytes');
};

const ipv4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * The original's `new IPEndPoint(IPAddress.Parse(s.Split(':')[0]), int.Parse(s.Split(':')[1]))`, strict: throws on
 * anything it would throw on (no `:`, an address that is not dotted IPv4, a port that is not a number in range).
 */
export const parseOriginalEndpoint = (text: string): { address: string; port: number } => {
  const parts = text.split(':');
  const [address, port] = parts;
  if (address === undefined || port === undefined) throw new Error(`IndexOutOfRangeException: no ':' in endpoint "${text}"`);
  if (!ipv4.test(address)) throw new Error(`FormatException: "${address}" is not an IP address the original can parse`);
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) throw new Error(`ArgumentOutOfRangeException: port "${port}"`);
  return { address, port: Number(port) };
};

/**
 * Sends one datagram from a throw-away socket, as the original's `new UdpClient(0); Send(...); Close()` does (so the
 * source port is never the sender's receive port). Resolves once the socket's handle is released.
 */
export const sendFromThrowAway = (bytes: Uint8Array, to: { address: string; port: number }): Promise<void> =>
  new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.on('error', () => undefined);
    socket.send(bytes, to.port, to.address, () => socket.close(() => setImmediate(resolve)));
  });
