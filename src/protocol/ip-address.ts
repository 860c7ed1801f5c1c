/**
 * IP address text: strict dotted IPv4, any RFC 4291 spelling of IPv6, and IPv6 printed exactly as .NET's
 * `IPAddress.ToString()` prints it (RFC 5952 compression, first longest zero run, embedded IPv4 for the
 * compatible, mapped, SIIT and ISATAP forms), so that our endpoints match the original's byte for byte.
 * @module
 */

const hexGroup = /^[0-9a-fA-F]{1,4}$/;
// Node reports link-local addresses with an interface name (`%eth0`); .NET with a number (`%3`).
const scopePattern = /^[0-9A-Za-z_.-]{1,64}$/;
// `ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255`: nothing longer can be an address.
const maxIPv6Length = 45;

/**
 * The four octets of a dotted IPv4 address (`127.0.0.1`), or undefined. Leading zeros are refused: .NET and
 * inet_aton read `010` as octal, so such text has no single meaning. One pass, as it runs for every datagram.
 */
export function parseIPv4(text: string): number[] | undefined {
  const octets: number[] = [];
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const char = i < text.length ? text.charCodeAt(i) : 0x2e; // a '.' after the end closes the last octet
    if (char === 0x2e) {
      if (digits === 0 || octets.length === 4) return undefined;
      octets.push(value);
      value = 0;
      digits = 0;
    } else if (char >= 0x30 && char <= 0x39) {
      if (digits > 0 && value === 0) return undefined;
      value = value * 10 + (char - 0x30);
      digits++;
      if (value > 255) return undefined;
    } else {
      return undefined;
    }
  }
  return octets.length === 4 ? octets : undefined;
}

/** An IPv6 address as eight 16-bit groups, plus its scope (`fe80::1%eth0` → `eth0`) when it has one. */
export interface IPv6Parts {
  readonly groups: readonly number[];
  readonly scope: string | undefined;
}

const parseGroups = (part: string, ipv4AtEnd: boolean): number[] | undefined => {
  if (part === '') return [];
  const texts = part.split(':');
  const groups: number[] = [];
  for (let i = 0; i < texts.length; i++) {
    const text = texts[i] ?? '';
    if (ipv4AtEnd && i === texts.length - 1 && text.includes('.')) {
      const octets = parseIPv4(text);
      if (octets === undefined) return undefined;
      groups.push((octets[0]! << 8) | octets[1]!, (octets[2]! << 8) | octets[3]!);
    } else if (hexGroup.test(text)) {
      groups.push(parseInt(text, 16));
    } else {
      return undefined;
    }
  }
  return groups;
};

/** Reads any RFC 4291 spelling of an IPv6 address (hex in either case, `::`, embedded IPv4, `%scope`), or undefined. */
export function parseIPv6(text: string): IPv6Parts | undefined {
  const percent = text.indexOf('%');
  const scope = percent < 0 ? undefined : text.slice(percent + 1);
  if (scope !== undefined && !scopePattern.test(scope)) return undefined;
  const address = percent < 0 ? text : text.slice(0, percent);
  if (address.length > maxIPv6Length) return undefined;
  const gap = address.indexOf('::');
  if (gap !== address.lastIndexOf('::')) return undefined;
  if (gap < 0) {
    const groups = parseGroups(address, true);
    return groups?.length === 8 ? { groups, scope } : undefined;
  }
  const head = parseGroups(address.slice(0, gap), false);
  const tail = parseGroups(address.slice(gap + 2), true);
  if (head === undefined || tail === undefined || head.length + tail.length > 7) return undefined;
  const zeros = new Array<number>(8 - head.length - tail.length).fill(0);
  return { groups: [...head, ...zeros, ...tail], scope };
}

// .NET's IPv6AddressHelper.ShouldHaveIpv4Embedded.
const hasEmbeddedIPv4 = (g: readonly number[]): boolean => {
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[6] !== 0) {
    if (g[4] === 0 && (g[5] === 0 || g[5] === 0xffff)) return true; // compatible ::a.b.c.d, mapped ::ffff:a.b.c.d
    if (g[4] === 0xffff && g[5] === 0) return true; // SIIT ::ffff:0:a.b.c.d
  }
  return g[4] === 0 && g[5] === 0x5efe; // ISATAP
};

const hex = (part: readonly number[]): string => part.map((group) => group.toString(16)).join(':');

// .NET's AppendSections: the first longest run of two or more zero groups becomes `::`.
const sections = (groups: readonly number[]): string => {
  let bestStart = -1;
  let bestLength = 1;
  let runStart = 0;
  for (let i = 0; i <= groups.length; i++) {
    if (i < groups.length && groups[i] === 0) continue;
    if (i - runStart > bestLength) {
      bestStart = runStart;
      bestLength = i - runStart;
    }
    runStart = i + 1;
  }
  if (bestStart < 0) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
};

/** Prints eight groups (and a scope) exactly as .NET's `IPAddress.ToString()` does: `::1`, `::ffff:127.0.0.1`. */
export function formatIPv6(groups: readonly number[], scope?: string): string {
  let text: string;
  if (hasEmbeddedIPv4(groups)) {
    const head = sections(groups.slice(0, 6));
    const high = groups[6] ?? 0;
    const low = groups[7] ?? 0;
    text = `${head.endsWith(':') ? head : `${head}:`}${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  } else {
    text = sections(groups);
  }
  return scope === undefined ? text : `${text}%${scope}`;
}

/** Any spelling of an IPv6 address, printed the way .NET prints it; undefined when it is not an IPv6 address. */
export function canonicalIPv6(text: string): string | undefined {
  const parts = parseIPv6(text);
  return parts === undefined ? undefined : formatIPv6(parts.groups, parts.scope);
}
