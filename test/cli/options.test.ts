import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseHeartbeat, parseHost, parseListenPort, parsePerSecond, parseServerAddress, parseTries, parseUsersPerHost, resolveServerAddress } from '../../src/cli/options.js';

describe('option parsers', () => {
  it('accept ports 0–65535 written as plain digits', () => {
    expect(parseListenPort('0')).toBe(0);
    expect(parseListenPort('9000')).toBe(9000);
    expect(parseListenPort('65535')).toBe(65535);
    for (const bad of ['', '-1', '65536', '1e3', '90a', '12.5']) {
      expect(() => parseListenPort(bad), bad).toThrow(InvalidArgumentError);
    }
  });

  it('accept 1–100 tries', () => {
    expect(parseTries('1')).toBe(1);
    expect(() => parseTries('0')).toThrow(/between 1 and 100/);
  });

  it('accept a heartbeat of 1–300 s, in ms', () => {
    expect(parseHeartbeat('1')).toBe(1_000);
    expect(parseHeartbeat('15')).toBe(15_000);
    for (const bad of ['0', '301', '1.5', '']) expect(() => parseHeartbeat(bad), bad).toThrow(InvalidArgumentError);
  });

  it('accept per-host limits of 1–1,000,000', () => {
    expect(parseUsersPerHost('1')).toBe(1);
    expect(parsePerSecond('1000000')).toBe(1_000_000);
    for (const bad of ['0', '1000001', '2.5', '-3', '']) {
      expect(() => parseUsersPerHost(bad), bad).toThrow(InvalidArgumentError);
      expect(() => parsePerSecond(bad), bad).toThrow(InvalidArgumentError);
    }
  });

  it('accept IP addresses only as hosts', () => {
    expect(parseHost('127.0.0.1')).toBe('127.0.0.1');
    expect(parseHost('::1')).toBe('::1');
    expect(() => parseHost('localhost')).toThrow(/not an IP address/);
  });

  it('read server addresses in the wire form, IPv6 in brackets, a bare port on loopback', () => {
    expect(parseServerAddress('127.0.0.1:9000')).toBe('127.0.0.1:9000');
    expect(parseServerAddress('[::1]:9000')).toBe('[::1]:9000');
    expect(parseServerAddress('9001')).toBe('127.0.0.1:9001');
    expect(() => parseServerAddress('::1:9000')).toThrow(/brackets/);
    expect(() => parseServerAddress('127.0.0.1')).toThrow(/not a server address/);
    expect(() => parseServerAddress('127.0.0.1:0')).toThrow(/between 1 and 65535/);
    expect(parseServerAddress('localhost:9000')).toBe('localhost:9000');
    expect(() => parseServerAddress('bad_host!:9000')).toThrow(/neither an IP address nor a host name/);
  });

  it('look host names up, IPv4 first, and say which name cannot be found', async () => {
    const both = async () => [{ address: '::1', family: 6 }, { address: '127.0.0.1', family: 4 }];
    expect(await resolveServerAddress('localhost:9000', both)).toBe('127.0.0.1:9000');
    expect(await resolveServerAddress('localhost:9000', async () => [{ address: '::1', family: 6 }])).toBe('[::1]:9000');
    expect(await resolveServerAddress('127.0.0.1:9000', async () => { throw new Error('not called'); })).toBe('127.0.0.1:9000');
    await expect(resolveServerAddress('nowhere.invalid:9000', async () => { throw new Error('ENOTFOUND'); })).rejects.toThrow(
      /cannot find the server "nowhere\.invalid" \(ENOTFOUND\)/,
    );
    // The real resolver knows localhost.
    expect(await resolveServerAddress('localhost:9000')).toMatch(/^(127\.0\.0\.1|\[::1\]):9000$/);
  });
});
