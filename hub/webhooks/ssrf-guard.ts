import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { AppError } from '../../contracts/index.js';

// Address classes a webhook may never reach unless the tenant allow-lists a subnet: the hub's own host,
// private networks, cloud metadata (169.254.169.254), and ranges that are not unicast on the internet.
const BLOCKED_V4: Array<[string, number, string]> = [
  ['0.0.0.0', 8, 'this network'],
  ['10.0.0.0', 8, 'private (RFC 1918)'],
  ['100.64.0.0', 10, 'carrier-grade NAT'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private (RFC 1918)'],
  ['192.0.0.0', 24, 'IETF protocol assignments'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, '6to4 relay'],
  ['192.168.0.0', 16, 'private (RFC 1918)'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved'],
];

const BLOCKED_V6: Array<[string, number, string]> = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['100::', 64, 'discard'],
  ['2001::', 23, 'IETF protocol assignments'],
  ['2001:db8::', 32, 'documentation'],
  ['2002::', 16, '6to4'],
  ['fc00::', 7, 'unique local (ULA)'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'site-local'],
  ['ff00::', 8, 'multicast'],
];

/** Expands an IPv6 text form to its 16 bytes (handles `::` and a dotted IPv4 tail). */
function ipv6Bytes(address: string): number[] {
  let text = address.split('%')[0] ?? address;
  const v4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4Tail?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = v4Tail[1].split('.').map(Number);
    text = `${text.slice(0, -v4Tail[1].length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((g) => Number.parseInt(g, 16)));
  const h = parse(head);
  const t = tail === undefined ? [] : parse(tail);
  const groups = [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  return groups.flatMap((g) => [g >> 8, g & 255]);
}

/**
 * The IPv4 address an IPv6 address embeds when it is IPv4-mapped (::ffff:a.b.c.d), IPv4-translated
 * (::ffff:0:a.b.c.d), IPv4-compatible or NAT64 (64:ff9b::a.b.c.d).
 */
function embeddedIpv4(address: string): string | null {
  const b = ipv6Bytes(address);
  const tail = b.slice(12).join('.');
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return tail;
  if (zeros(0, 8) && b[8] === 0xff && b[9] === 0xff && zeros(10, 12)) return tail;
  if (zeros(0, 12) && !(b[12] === 0 && b[13] === 0 && b[14] === 0)) return tail;
  const nat64 = [0x00, 0x64, 0xff, 0x9b];
  if (nat64.every((x, i) => b[i] === x) && zeros(4, 12)) return tail;
  return null;
}

function blockList(entries: Array<[string, number, string]>, type: 'ipv4' | 'ipv6'): Array<[BlockList, string]> {
  return entries.map(([net, prefix, label]) => {
    const list = new BlockList();
    list.addSubnet(net, prefix, type);
    return [list, label];
  });
}

const V4 = blockList(BLOCKED_V4, 'ipv4');
const V6 = blockList(BLOCKED_V6, 'ipv6');

/** Decides whether a blocked-class address may still be reached. */
export interface AddressAllowance {
  allows(address: string): boolean;
}

/** An address passes only when every allowance lets it (the tenant's list and the operator's ceiling). */
export function allowedByAll(...allowances: AddressAllowance[]): AddressAllowance {
  return { allows: (address) => allowances.every((a) => a.allows(address)) };
}

/** A tenant's allow-list of private subnets in CIDR form (`127.0.0.1/32`, `10.20.0.0/16`, `fd00::/8`). */
export class SubnetAllowList implements AddressAllowance {
  private readonly list = new BlockList();
  readonly size: number;

  constructor(cidrs: readonly string[]) {
    for (const cidr of cidrs) {
      const [net = '', prefix = ''] = cidr.split('/');
      const type = isIP(net) === 6 ? 'ipv6' : 'ipv4';
      this.list.addSubnet(net, Number(prefix || (type === 'ipv6' ? 128 : 32)), type);
    }
    this.size = cidrs.length;
  }

  allows(address: string): boolean {
    if (this.size === 0) return false;
    const family = isIP(address);
    if (family === 4) return this.list.check(address, 'ipv4');
    if (family !== 6) return false;
    const v4 = embeddedIpv4(address);
    return this.list.check(address, 'ipv6') || (v4 !== null && this.list.check(v4, 'ipv4'));
  }
}

const allowListCache = new Map<string, SubnetAllowList>();

/** The allow-list object for a tenant's subnets, built once per distinct list (workers see few). */
export function allowListFor(cidrs: readonly string[]): SubnetAllowList {
  const key = cidrs.join(',');
  let list = allowListCache.get(key);
  if (!list) {
    if (allowListCache.size > 1000) allowListCache.clear();
    list = new SubnetAllowList(cidrs);
    allowListCache.set(key, list);
  }
  return list;
}

/** Why an address is refused, or null when it is an ordinary public unicast address. */
export function blockedReason(address: string): string | null {
  const family = isIP(address);
  if (family === 4) return V4.find(([list]) => list.check(address, 'ipv4'))?.[1] ?? null;
  if (family !== 6) return 'not an IP address';
  const v4 = embeddedIpv4(address);
  if (v4 !== null) {
    const inner = blockedReason(v4);
    return inner === null ? null : `${inner} (IPv4 embedded in IPv6)`;
  }
  return V6.find(([list]) => list.check(address, 'ipv6'))?.[1] ?? null;
}

export interface ResolvedTarget {
  address: string;
  family: 4 | 6;
}

export type Resolver = (host: string) => Promise<Array<{ address: string; family: number }>>;

const systemResolver: Resolver = (host) => lookup(host, { all: true, verbatim: true });

/**
 * Resolves a host and refuses it when ANY of its addresses is in a blocked class the tenant has not
 * allow-listed (a name with one public and one private address is a classic rebinding trick). Runs on
 * every attempt; the caller connects to the returned address, never resolving again.
 */
export async function resolveGuarded(host: string, allow: AddressAllowance, resolver: Resolver = systemResolver): Promise<ResolvedTarget> {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  let addresses: Array<{ address: string; family: number }>;
  try {
    addresses = isIP(bare) ? [{ address: bare, family: isIP(bare) }] : await resolver(bare);
  } catch (cause) {
    throw new AppError('unavailable', `cannot resolve ${bare}: ${(cause as NodeJS.ErrnoException).code ?? 'error'}`, { cause });
  }
  if (addresses.length === 0) throw new AppError('unavailable', `${bare} has no address`);
  for (const { address } of addresses) {
    const reason = blockedReason(address);
    if (reason !== null && !allow.allows(address)) {
      throw new AppError('forbidden', `destination ${bare} resolves to ${address} (${reason}), which is not allow-listed for this tenant`, {
        details: { address, reason },
      });
    }
  }
  const first = addresses[0] as { address: string; family: number };
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}
