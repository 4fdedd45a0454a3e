import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/** Every id prefix used across Vigil (ARCHITECTURE.md, "Names that hold across the project"). */
export const ID_PREFIXES = {
  tenant: 'ten',
  region: 'reg',
  store: 'sto',
  lane: 'lan',
  camera: 'cam',
  device: 'dev',
  event: 'evt',
  incident: 'inc',
  evidence: 'evd',
  webhook: 'whk',
  message: 'msg',
  user: 'usr',
  service: 'svc',
  policy: 'pol',
  token: 'tok',
  transition: 'itr',
  comment: 'cmt',
  audit: 'aud',
  request: 'req',
  session: 'ses',
  delivery: 'dlv',
  attempt: 'att',
  posTransaction: 'ptx',
  upload: 'upl',
  export: 'exp',
  hold: 'hld',
  evidenceLink: 'lnk',
  program: 'prg',
  retentionPolicy: 'ret',
  routingPolicy: 'rtp',
  digest: 'dig',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;
export type IdPrefix = (typeof ID_PREFIXES)[IdKind];
export type Id<K extends IdKind> = string & { readonly __id: K };

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += CROCKFORD[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * A prefixed, time-sortable id: 48 bits of milliseconds then 80 random bits, in lower-case Crockford
 * base32 (26 characters). Sorting ids sorts by creation time, which keeps B-tree inserts local and lets
 * cursor pagination use the id alone.
 */
export function newId<K extends IdKind>(kind: K, now: number = Date.now()): Id<K> {
  const bytes = new Uint8Array(16);
  let t = now;
  for (let i = 5; i >= 0; i -= 1) {
    bytes[i] = t % 256;
    t = Math.floor(t / 256);
  }
  bytes.set(randomBytes(10), 6);
  return `${ID_PREFIXES[kind]}_${encodeBase32(bytes)}` as Id<K>;
}

const ID_BODY = /^[0-9a-z]{10,40}$/;

export function isIdOf(kind: IdKind, value: string): boolean {
  const prefix = `${ID_PREFIXES[kind]}_`;
  return value.startsWith(prefix) && ID_BODY.test(value.slice(prefix.length));
}

/** zod schema for an id of one kind: `idSchema('store')` accepts `sto_…` only. */
export function idSchema<K extends IdKind>(kind: K) {
  return z
    .string()
    .refine((value) => isIdOf(kind, value), { message: `must be a ${ID_PREFIXES[kind]}_ id` })
    .transform((value) => value as Id<K>)
    .meta({ pattern: `^${ID_PREFIXES[kind]}_[0-9a-z]{10,40}$`, example: `${ID_PREFIXES[kind]}_01jd0x6q8e4t0m3v7x9k2c5b1n` });
}
