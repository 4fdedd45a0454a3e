import { isIP } from 'node:net';

/** A subnet as a number and a prefix length, in the family it really addresses. */
export interface Cidr {
  family: 4 | 6;
  bits: bigint;
  prefix: number;
  text: string;
}

const WIDTH = { 4: 32, 6: 128 } as const;

function v4Bits(address: string): bigint {
  return address.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part) & 255), 0n);
}

/** The 128-bit value of an IPv6 text form (handles `::` and a dotted IPv4 tail; a zone id is dropped). */
export function v6Bits(address: string): bigint {
  let text = address.split('%')[0] ?? address;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (tail) {
    const v4 = v4Bits(tail);
    text = `${text.slice(0, -tail.length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':').map((g) => BigInt(Number.parseInt(g, 16))));
  const h = groups(head);
  const t = rest === undefined ? [] : groups(rest);
  const all = [...h, ...new Array<bigint>(Math.max(0, 8 - h.length - t.length)).fill(0n), ...t];
  return all.reduce((acc, g) => (acc << 16n) | g, 0n);
}

const mask = (family: 4 | 6, prefix: number): bigint => {
  const width = BigInt(WIDTH[family]);
  return prefix === 0 ? 0n : ((1n << width) - 1n) ^ ((1n << (width - BigInt(prefix))) - 1n);
};

/** Parses `a.b.c.d/n` or `x::y/n` (a bare address is a host route); null when it is not a CIDR. */
export function parseCidr(text: string): Cidr | null {
  const [net = '', prefixText, extra] = text.split('/');
  if (extra !== undefined) return null;
  const family = isIP(net);
  if (family !== 4 && family !== 6) return null;
  const prefix = prefixText === undefined ? WIDTH[family] : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > WIDTH[family] || (prefixText !== undefined && !/^\d+$/.test(prefixText))) return null;
  const bits = (family === 4 ? v4Bits(net) : v6Bits(net)) & mask(family, prefix);
  return { family, bits, prefix, text };
}

/** Whether `outer` contains every address of `inner`. */
export function contains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || outer.prefix > inner.prefix) return false;
  return (inner.bits & mask(outer.family, outer.prefix)) === outer.bits;
}

export const overlaps = (a: Cidr, b: Cidr): boolean => contains(a, b) || contains(b, a);

// IPv6 prefixes whose last 32 bits are an IPv4 address the packet really reaches:
// IPv4-mapped ::ffff:a.b.c.d, IPv4-translated ::ffff:0:a.b.c.d (RFC 2765) and NAT64 64:ff9b::a.b.c.d (RFC 6052).
const EMBEDDING = ['::ffff:0:0/96', '::ffff:0:0:0/96', '64:ff9b::/96'].map((t) => parseCidr(t) as Cidr);

/**
 * The subnets a CIDR really opens: an IPv4-embedding IPv6 prefix opens only the IPv4 subnet behind it
 * (`::ffff:127.0.0.1/128` is 127.0.0.1/32); a broader IPv6 prefix that holds an embedding prefix opens
 * itself and all of IPv4 (`::/0`).
 */
export function effectiveViews(cidr: Cidr): Cidr[] {
  if (cidr.family === 4) return [cidr];
  const inside = EMBEDDING.find((embedding) => contains(embedding, cidr));
  if (inside) return [{ family: 4, bits: cidr.bits & 0xffffffffn, prefix: cidr.prefix - 96, text: cidr.text }];
  const holdsAll = EMBEDDING.some((embedding) => contains(cidr, embedding));
  return holdsAll ? [cidr, { family: 4, bits: 0n, prefix: 0, text: cidr.text }] : [cidr];
}
