import { isIP } from 'node:net';

/**
 * What kind of address an IP address is, for deciding whether a clone may connect to it:
 * `link-local` holds the cloud metadata services (169.254.169.254, fd00:ec2::254), `private`
 * the RFC 1918, CGNAT and unique-local ranges, `reserved` multicast, documentation and other
 * special-purpose ranges. An IPv4 address inside IPv6 (`::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`)
 * is the IPv4 address it carries: that is where the packets go.
 */
export type AddressClass =
  'public' | 'loopback' | 'private' | 'link-local' | 'unspecified' | 'reserved';

interface Range {
  readonly base: bigint;
  readonly bits: number;
  readonly kind: Exclude<AddressClass, 'public'>;
}

// Checked in order: the AWS IPv6 metadata address sits inside the unique-local range.
const IPV4_RANGES: readonly Range[] = [
  v4('0.0.0.0', 8, 'unspecified'),
  v4('127.0.0.0', 8, 'loopback'),
  v4('169.254.0.0', 16, 'link-local'),
  v4('10.0.0.0', 8, 'private'),
  v4('172.16.0.0', 12, 'private'),
  v4('192.168.0.0', 16, 'private'),
  v4('100.64.0.0', 10, 'private'),
  v4('192.0.0.0', 24, 'reserved'),
  v4('192.0.2.0', 24, 'reserved'),
  v4('198.18.0.0', 15, 'reserved'),
  v4('198.51.100.0', 24, 'reserved'),
  v4('203.0.113.0', 24, 'reserved'),
  v4('224.0.0.0', 4, 'reserved'),
  v4('240.0.0.0', 4, 'reserved'),
];

const IPV6_RANGES: readonly Range[] = [
  v6('::', 128, 'unspecified'),
  v6('::1', 128, 'loopback'),
  v6('fd00:ec2::254', 128, 'link-local'),
  v6('fe80::', 10, 'link-local'),
  v6('fc00::', 7, 'private'),
  v6('fec0::', 10, 'private'),
  v6('ff00::', 8, 'reserved'),
  v6('2001:db8::', 32, 'reserved'),
  v6('100::', 64, 'reserved'),
  // IPv4-compatible addresses (deprecated); the mapped and NAT64 forms are unwrapped first.
  v6('::', 96, 'reserved'),
];

const MAPPED = v6('::ffff:0:0', 96, 'reserved');
const NAT64 = v6('64:ff9b::', 96, 'reserved');

/** The class of `address` (IPv4 dotted quad or IPv6, a zone id allowed); throws for anything else. */
export function classifyAddress(address: string): AddressClass {
  const family = isIP(address.split('%')[0] ?? '');
  if (family === 4) return classOf(ipv4Value(address), IPV4_RANGES, 32);
  if (family !== 6) throw new Error(`${JSON.stringify(address)} is not an IP address.`);
  const value = ipv6Value(address);
  if (inRange(value, MAPPED, 128) || inRange(value, NAT64, 128)) {
    return classOf(value & 0xffffffffn, IPV4_RANGES, 32);
  }
  return classOf(value, IPV6_RANGES, 128);
}

function classOf(value: bigint, ranges: readonly Range[], width: number): AddressClass {
  return ranges.find((range) => inRange(value, range, width))?.kind ?? 'public';
}

function inRange(value: bigint, range: Range, width: number): boolean {
  const shift = BigInt(width - range.bits);
  return value >> shift === range.base >> shift;
}

function v4(base: string, bits: number, kind: Range['kind']): Range {
  return { base: ipv4Value(base), bits, kind };
}

function v6(base: string, bits: number, kind: Range['kind']): Range {
  return { base: ipv6Value(base), bits, kind };
}

function ipv4Value(address: string): bigint {
  return address.split('.').reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
}

/** The 128-bit value of an IPv6 address that `isIP` accepted (`::`, an IPv4 tail, a zone id). */
function ipv6Value(address: string): bigint {
  let text = address.split('%')[0] ?? '';
  const tail = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (tail) {
    const value = Number(ipv4Value(tail[0]));
    const groups = `${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
    text = text.slice(0, tail.index) + groups;
  }
  const [head = '', rest] = text.split('::');
  const before = head === '' ? [] : head.split(':');
  const after = rest === undefined || rest === '' ? [] : rest.split(':');
  const missing = 8 - before.length - after.length;
  const groups =
    rest === undefined ? before : [...before, ...Array<string>(missing).fill('0'), ...after];
  return groups.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}
