/**
 * Message ⇄ text: the fields of a datagram, split on `,` as the original splits them. Decoding is total; encoding
 * refuses whatever a classic party would misread, so that `parseMessage(formatMessage(m)) = m`.
 * @module
 */
import { parseEndpoint, parsePort, validateEndpoint, formatEndpoint } from './endpoint.js';
import { decodeExtensions, encodeExtensions, formatSeq, parseSeq } from './extensions.js';
import { validateId, validateTime } from './field.js';
import type { CodecLimits } from './limits.js';
import type { Endpoint, ExtensionValues, Message, MessageType } from './message.js';
import { validateName } from './name.js';
import { fail, ok, quote, within, type Result } from './result.js';

/** The types written as UTF-16LE text: all but `batch`, which is UTF-8 bytes of its own (./batch.ts). */
type TextMessageType = Exclude<MessageType, 'batch'>;

/** How many fields each type has, and whether more may follow (extensions, or text that keeps its commas). */
const shapes: Readonly<Record<TextMessageType, { readonly fields: number; readonly open: boolean; readonly form: string }>> = {
  login: { fields: 3, open: true, form: 'login,<name>,<endpoint>[,<extension>...]' },
  logout: { fields: 3, open: true, form: 'logout,<name>,<endpoint>[,<extension>...]' },
  Accept: { fields: 2, open: true, form: 'Accept,<tcpPort>[,<extension>...]' },
  talk: { fields: 4, open: true, form: 'talk,<time>,<name>,<text>' },
  rtalk: { fields: 5, open: true, form: 'rtalk,<id>,<time>,<name>,<text>' },
  receipt: { fields: 3, open: false, form: 'receipt,<id>,<name>' },
  ping: { fields: 3, open: true, form: 'ping,<name>,<session>[,secret=<s>]' },
  pong: { fields: 2, open: false, form: 'pong,<seq>' },
  unknown: { fields: 2, open: false, form: 'unknown,<name>' },
  Refuse: { fields: 2, open: true, form: 'Refuse,<reason>' },
};

const isMessageType = (type: string): type is TextMessageType => Object.hasOwn(shapes, type);


/** The text after the first `count` fields, commas kept: a talk's text, a refusal's reason. */
const after = (text: string, fields: readonly string[], count: number): string => {
  let offset = 0;
  for (let i = 0; i < count; i++) offset += (fields[i] ?? '').length + 1;
  return text.slice(offset);
};

const parseFields = (type: TextMessageType, fields: readonly string[], text: string, limits?: Partial<CodecLimits>): Result<Message> => {
  const [, f1 = '', f2 = '', f3 = ''] = fields;
  switch (type) {
    case 'login':
    case 'logout': {
      const name = validateName(f1, limits);
      if (!name.ok) return name;
      const endpoint = parseEndpoint(f2);
      if (!endpoint.ok) return endpoint;
      const extensions = decodeExtensions(fields.slice(3));
      if (!extensions.ok) return extensions;
      return ok({ type, name: name.value, endpoint: endpoint.value, ...extensions.value.values, extensions: extensions.value.others });
    }
    case 'Accept': {
      const tcpPort = parsePort(f1);
      if (!tcpPort.ok) return tcpPort;
      const extensions = decodeExtensions(fields.slice(2));
      if (!extensions.ok) return extensions;
      return ok({ type, tcpPort: tcpPort.value, ...extensions.value.values, extensions: extensions.value.others });
    }
    case 'talk': {
      const name = validateName(f2, limits);
      return name.ok ? ok({ type, time: f1, name: name.value, text: after(text, fields, 3) }) : name;
    }
    case 'rtalk': {
      const id = validateId(f1, 'message id');
      if (!id.ok) return id;
      const name = validateName(f3, limits);
      if (!name.ok) return name;
      return ok({ type, id: id.value, time: f2, name: name.value, text: after(text, fields, 4) });
    }
    case 'receipt': {
      const id = validateId(f1, 'message id');
      if (!id.ok) return id;
      const name = validateName(f2, limits);
      return name.ok ? ok({ type, id: id.value, name: name.value }) : name;
    }
    case 'ping': {
      const name = validateName(f1, limits);
      if (!name.ok) return name;
      const session = validateId(f2, 'session');
      if (!session.ok) return session;
      // Only the secret counts on a ping; any other appended field is read (so a bad one fails) and dropped.
      const extensions = decodeExtensions(fields.slice(3));
      if (!extensions.ok) return extensions;
      const { secret } = extensions.value.values;
      return ok({ type, name: name.value, session: session.value, ...(secret === undefined ? {} : { secret }) });
    }
    case 'pong': {
      const seq = parseSeq(f1);
      return seq.ok ? ok({ type, seq: seq.value }) : seq;
    }
    case 'unknown': {
      const name = validateName(f1, limits);
      return name.ok ? ok({ type, name: name.value }) : name;
    }
    case 'Refuse':
      return ok({ type, reason: after(text, fields, 1) });
  }
};

/**
 * Reads one message from its text. Never throws: fails with `empty`, `unknown-type` (types are case-sensitive, as
 * on the wire), `field-count`, `bad-name`, `bad-endpoint`, `bad-port` or `bad-field`, each with a readable reason.
 */
export function parseMessage(text: string, limits?: Partial<CodecLimits>): Result<Message> {
  if (text.length === 0) return fail('empty', 'the message is empty');
  const fields = text.split(',');
  const type = fields[0] ?? '';
  if (!isMessageType(type)) return fail('unknown-type', `unknown message type ${quote(type)}`);
  const shape = shapes[type];
  if (fields.length < shape.fields || (!shape.open && fields.length > shape.fields)) {
    const expected = `${shape.open ? 'at least' : 'exactly'} ${shape.fields}`;
    return fail('field-count', `a ${type} has ${expected} fields (${shape.form}); this one has ${fields.length}`);
  }
  return within(type, parseFields(type, fields, text, limits));
}

/** Joins checked fields with `,`, or returns the first refusal. */
const joinChecked = (parts: readonly Result<string>[]): Result<string> => {
  const texts: string[] = [];
  for (const part of parts) {
    if (!part.ok) return part;
    texts.push(part.value);
  }
  return ok(texts.join(','));
};

const endpointText = (endpoint: Endpoint): Result<string> => {
  const checked = validateEndpoint(endpoint);
  return checked.ok ? ok(formatEndpoint(checked.value)) : checked;
};

/** The appended fields of a message: its typed extension values, then its other fields. */
const extensionTexts = (m: ExtensionValues & { readonly extensions: readonly string[] }): Result<string>[] => {
  const fields = encodeExtensions(m, m.extensions);
  return fields.ok ? fields.value.map((field) => ok(field)) : [fields];
};

const portText = (port: number): Result<string> =>
  Number.isInteger(port) && port >= 1 && port <= 65535 ? ok(String(port)) : fail('bad-port', `the port ${port} is not from 1 to 65535`);

const formatFields = (m: Message, limits?: Partial<CodecLimits>): Result<string> => {
  const type = ok(m.type);
  switch (m.type) {
    case 'login':
    case 'logout':
      return joinChecked([type, validateName(m.name, limits), endpointText(m.endpoint), ...extensionTexts(m)]);
    case 'Accept':
      return joinChecked([type, portText(m.tcpPort), ...extensionTexts(m)]);
    case 'talk':
      return joinChecked([type, validateTime(m.time), validateName(m.name, limits), ok(m.text)]);
    case 'rtalk':
      return joinChecked([type, validateId(m.id, 'message id'), validateTime(m.time), validateName(m.name, limits), ok(m.text)]);
    case 'receipt':
      return joinChecked([type, validateId(m.id, 'message id'), validateName(m.name, limits)]);
    case 'ping':
      return joinChecked([
        type,
        validateName(m.name, limits),
        validateId(m.session, 'session'),
        ...(m.secret === undefined ? [] : [validateId(m.secret, 'secret').ok ? ok(`secret=${m.secret}`) : validateId(m.secret, 'secret')]),
      ]);
    case 'pong':
      return joinChecked([type, formatSeq(m.seq)]);
    case 'unknown':
      return joinChecked([type, validateName(m.name, limits)]);
    case 'Refuse':
      return joinChecked([type, ok(m.reason)]);
    case 'batch':
      return fail('unknown-type', 'a batch is not text: it is written by encodeDatagram, in UTF-8');
  }
};

/**
 * Writes one message as text. Fails, instead of writing what a classic party would misread, with `bad-name`,
 * `bad-endpoint`, `bad-port`, `bad-field` (an id, time or extension field holding `,` or control characters) or
 * `unknown-type`.
 */
export function formatMessage(m: Message, limits?: Partial<CodecLimits>): Result<string> {
  const type: unknown = (m as { type?: unknown }).type;
  if (typeof type !== 'string' || !isMessageType(type)) {
    return fail('unknown-type', `cannot encode a message of type ${quote(String(type))}`);
  }
  return within(m.type, formatFields(m, limits));
}
