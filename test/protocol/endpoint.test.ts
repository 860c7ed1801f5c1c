/** Endpoints exactly as .NET's IPEndPoint.ToString() prints them, and every way one can be wrong. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatEndpoint, parseEndpoint } from '../../src/protocol/index.js';
import { endpointFrom, validateEndpoint } from '../../src/protocol/endpoint.js';
import { canonicalIPv6 } from '../../src/protocol/ip-address.js';
import { formatIPv6 } from '../../src/protocol/ip-address.js';
import { ipv6GroupsArbitrary } from '../../src/testing/arbitraries.js';
import { expectFailure, valueOf } from './helpers.js';

describe('parseEndpoint and formatEndpoint', () => {
  it.each([
    ['127.0.0.1:5001', 'IPv4', '127.0.0.1', 5001],
    ['0.0.0.0:1', 'IPv4', '0.0.0.0', 1],
    ['255.255.255.255:65535', 'IPv4', '255.255.255.255', 65535],
    ['[::1]:5001', 'IPv6', '::1', 5001],
    ['[::]:80', 'IPv6', '::', 80],
    ['[::ffff:127.0.0.1]:47092', 'IPv6', '::ffff:127.0.0.1', 47092],
    ['[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443', 'IPv6', '2001:db8:85a3:8d3:1319:8a2e:370:7348', 443],
    ['[fe80::1%eth0]:9000', 'IPv6', 'fe80::1%eth0', 9000],
  ] as const)('%s reads as %s %s port %d and prints back the same', (text, family, address, port) => {
    const endpoint = valueOf(parseEndpoint(text));
    expect(endpoint).toEqual({ family, address, port });
    expect(formatEndpoint(endpoint)).toBe(text);
  });

  it.each([
    ['', 'bad-endpoint'],
    ['127.0.0.1', 'bad-endpoint'],
    ['alice:5', 'bad-endpoint'],
    ['localhost:5', 'bad-endpoint'],
    ['256.0.0.1:5', 'bad-endpoint'],
    ['127.0.0.01:5', 'bad-endpoint'],
    ['127.0.0:5', 'bad-endpoint'],
    ['1.2.3.4.5:5', 'bad-endpoint'],
    [' 127.0.0.1:5', 'bad-endpoint'],
    ['::1:5', 'bad-endpoint'],
    ['[::1:5', 'bad-endpoint'],
    ['[::1]5', 'bad-endpoint'],
    ['[::1]', 'bad-endpoint'],
    ['[1:2:3:4:5:6:7:8:9]:5', 'bad-endpoint'],
    ['[1::2::3]:5', 'bad-endpoint'],
    ['[:::1]:5', 'bad-endpoint'],
    ['[12345::1]:5', 'bad-endpoint'],
    ['[::1%]:5', 'bad-endpoint'],
    ['[::1%a,b]:5', 'bad-endpoint'],
    ['[127.0.0.1]:5', 'bad-endpoint'],
    ['127.0.0.1:', 'bad-port'],
    ['127.0.0.1:0', 'bad-port'],
    ['127.0.0.1:65536', 'bad-port'],
    ['127.0.0.1:99999999999999999999', 'bad-port'],
    ['127.0.0.1:05', 'bad-port'],
    ['127.0.0.1:+5', 'bad-port'],
    ['127.0.0.1:5 ', 'bad-port'],
    ['127.0.0.1:0x10', 'bad-port'],
    ['[::1]:', 'bad-port'],
    ['[::1]:-1', 'bad-port'],
  ] as const)('refuses %j with %s', (text, code) => {
    expectFailure(parseEndpoint(text), code);
  });

  it('says what is wrong in words', () => {
    expect(expectFailure(parseEndpoint('127.0.0.1'), 'bad-endpoint')).toContain('no port');
    expect(expectFailure(parseEndpoint('::1:5'), 'bad-endpoint')).toContain('brackets');
    expect(expectFailure(parseEndpoint('1.2.3.4:70000'), 'bad-port')).toContain('1 to 65535');
  });
});

describe('IPv6 as .NET prints it', () => {
  it.each([
    ['0:0:0:0:0:0:0:1', '::1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    // RFC 5952: the longest zero run is compressed, the first of equal runs wins, a single zero stays.
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['1:0:0:2:3:0:0:4', '1::2:3:0:0:4'],
    ['1:0:2:3:4:5:6:7', '1:0:2:3:4:5:6:7'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['1::', '1::'],
    // Embedded IPv4, as IPAddressParser writes it: compatible, mapped, SIIT, ISATAP.
    ['::ffff:7f00:1', '::ffff:127.0.0.1'],
    ['::102:304', '::1.2.3.4'],
    ['::ffff:0:102:304', '::ffff:0:1.2.3.4'],
    ['fe80::5efe:a00:1', 'fe80::5efe:10.0.0.1'],
    ['::5efe:0:0', '::5efe:0.0.0.0'],
    // ...but not when the IPv4 part would start with a zero group, nor for other prefixes.
    ['::1', '::1'],
    ['::0.0.1.1', '::101'],
    ['64:ff9b::1.2.3.4', '64:ff9b::102:304'],
    ['fe80::1%3', 'fe80::1%3'],
  ])('%s prints as %s', (spelling, canonical) => {
    expect(canonicalIPv6(spelling)).toBe(canonical);
  });

  it('reads every spelling of an address as its one canonical form', () => {
    const spelling = fc
      .tuple(ipv6GroupsArbitrary(), fc.boolean(), fc.boolean(), fc.boolean())
      .map(([groups, upper, padded, ipv4Tail]) => {
        const hex = groups.map((g) => {
          const digits = g.toString(16);
          return (padded ? digits.padStart(4, '0') : digits)[upper ? 'toUpperCase' : 'toLowerCase']();
        });
        const text = ipv4Tail
          ? `${hex.slice(0, 6).join(':')}:${[groups[6]! >> 8, groups[6]! & 255, groups[7]! >> 8, groups[7]! & 255].join('.')}`
          : hex.join(':');
        return { groups, text };
      });
    fc.assert(
      fc.property(spelling, ({ groups, text }) => {
        expect(canonicalIPv6(text)).toBe(formatIPv6(groups));
        expect(valueOf(parseEndpoint(`[${text}]:7`)).address).toBe(formatIPv6(groups));
      }),
    );
  });
});

describe('endpointFrom (a Node socket address)', () => {
  it('infers the family and keeps .NET text', () => {
    expect(endpointFrom('127.0.0.1', 5001)).toEqual({ family: 'IPv4', address: '127.0.0.1', port: 5001 });
    expect(endpointFrom('::1', 5001)).toEqual({ family: 'IPv6', address: '::1', port: 5001 });
    expect(endpointFrom('::ffff:127.0.0.1', 5)).toEqual({ family: 'IPv6', address: '::ffff:127.0.0.1', port: 5 });
    expect(endpointFrom('fe80::1%eth0', 5).address).toBe('fe80::1%eth0');
    // Node writes ::102:304 where .NET writes ::1.2.3.4.
    expect(endpointFrom('::102:304', 5).address).toBe('::1.2.3.4');
  });

  it('keeps text that is no address, for validateEndpoint to refuse', () => {
    const odd = endpointFrom('not:an:address', 5);
    expect(odd.address).toBe('not:an:address');
    expectFailure(validateEndpoint(odd), 'bad-endpoint');
  });
});

describe('validateEndpoint', () => {
  it('accepts valid endpoints and puts IPv6 in canonical form', () => {
    expect(valueOf(validateEndpoint({ family: 'IPv4', address: '10.0.0.1', port: 1 }))).toEqual({
      family: 'IPv4',
      address: '10.0.0.1',
      port: 1,
    });
    expect(valueOf(validateEndpoint({ family: 'IPv6', address: '0:0::1', port: 2 })).address).toBe('::1');
  });

  it.each([
    [{ family: 'IPv4', address: '::1', port: 5 }, 'bad-endpoint'],
    [{ family: 'IPv6', address: '127.0.0.1', port: 5 }, 'bad-endpoint'],
    [{ family: 'IPv4', address: '', port: 5 }, 'bad-endpoint'],
    [{ family: 'IPv4', address: '1.2.3.4', port: 0 }, 'bad-port'],
    [{ family: 'IPv4', address: '1.2.3.4', port: 65536 }, 'bad-port'],
    [{ family: 'IPv4', address: '1.2.3.4', port: 1.5 }, 'bad-port'],
    [{ family: 'IPv6', address: '::1', port: Number.NaN }, 'bad-port'],
  ] as const)('refuses %j with %s', (endpoint, code) => {
    expectFailure(validateEndpoint(endpoint), code);
  });
});
