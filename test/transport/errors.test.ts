/**
 * TransportError: stable name and code, Node's errno mapped, the cause kept, and a message a person can act on.
 */
import { describe, expect, it } from 'vitest';
import { codeOfErrno, fromNodeError, TransportError, transportError } from '../../src/transport/errors.js';
import { formatAddress, socketAddress } from '../../src/transport/address.js';

const nodeError = (code: string, message: string): Error => Object.assign(new Error(message), { code });

describe('TransportError', () => {
  it('maps Node errno codes to stable codes', () => {
    expect(codeOfErrno('EADDRINUSE')).toBe('address-in-use');
    expect(codeOfErrno('EADDRNOTAVAIL')).toBe('address-not-available');
    expect(codeOfErrno('ENOTFOUND')).toBe('address-not-available');
    expect(codeOfErrno('ECONNREFUSED')).toBe('connection-refused');
    expect(codeOfErrno('ETIMEDOUT')).toBe('timeout');
    expect(codeOfErrno('ECONNRESET')).toBe('closed');
    expect(codeOfErrno('EPIPE')).toBe('closed');
    expect(codeOfErrno('EACCES')).toBe('other');
    expect(codeOfErrno(undefined)).toBe('other');
  });

  it('wraps a Node error with its cause, its endpoint and advice', () => {
    const cause = nodeError('EADDRINUSE', 'bind EADDRINUSE 127.0.0.1:9000');
    const error = fromNodeError(cause, 'bind-udp', { address: '127.0.0.1', port: 9000 });
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('TransportError');
    expect(error.code).toBe('address-in-use');
    expect(error.cause).toBe(cause);
    expect(error.endpoint).toBe('127.0.0.1:9000');
    expect(error.message).toMatch(/^127\.0\.0\.1:9000 is already in use — is another server running\? choose another port \(0 picks a free one\)/);
  });

  it('says what was being done when the failure has no better name', () => {
    const error = fromNodeError(nodeError('EACCES', 'permission denied'), 'listen-tcp', { address: '::1', port: 80 });
    expect(error.code).toBe('other');
    expect(error.message).toBe('listening for TCP on [::1]:80 failed (permission denied)');
  });

  it('keeps a TransportError as it is, and wraps things that are not errors', () => {
    const original = transportError('timeout', 'connect-tcp', { address: '127.0.0.1', port: 1 });
    expect(fromNodeError(original, 'tcp-stream', { address: 'x', port: 2 })).toBe(original);
    const odd = fromNodeError('a string', 'send-udp', { address: '127.0.0.1', port: 3 });
    expect(odd.code).toBe('other');
    expect(odd.message).toContain('a string');
  });

  it('words each code for a person', () => {
    const at = { address: '127.0.0.1', port: 9001 };
    expect(transportError('connection-refused', 'connect-tcp', at).message).toBe(
      '127.0.0.1:9001 refused the TCP connection — is the server running, and is that its list port?',
    );
    expect(transportError('timeout', 'connect-tcp', at).message).toContain('no answer from 127.0.0.1:9001');
    expect(transportError('closed', 'tcp-stream', at).message).toContain('closed before it finished');
    expect(transportError('address-not-available', 'bind-udp', at).message).toContain('not on this machine');
  });
});

describe('addresses', () => {
  it('prints endpoints as .NET does, IPv6 in brackets', () => {
    expect(formatAddress({ address: '127.0.0.1', port: 5001 })).toBe('127.0.0.1:5001');
    expect(formatAddress({ address: '::1', port: 5001 })).toBe('[::1]:5001');
  });

  it('derives the family from the address', () => {
    expect(socketAddress('::1', 1)).toEqual({ address: '::1', port: 1, family: 'IPv6' });
    expect(socketAddress('127.0.0.1', 1).family).toBe('IPv4');
  });
});
