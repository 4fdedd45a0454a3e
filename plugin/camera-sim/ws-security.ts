import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Credentials } from './rtsp-auth.js';

/** How far a UsernameToken's Created may be from the camera's clock (ONVIF recommends a few minutes). */
const MAX_SKEW_MS = 5 * 60_000;

const textNode = z.union([z.string(), z.object({ '#text': z.string().optional() }).passthrough()]);
const tokenSchema = z.object({
  Security: z.object({
    UsernameToken: z.object({
      Username: textNode,
      Password: z.union([z.string(), z.object({ '#text': z.string().optional(), '@_Type': z.string().optional() }).passthrough()]),
      Nonce: textNode.optional(),
      Created: textNode.optional(),
    }),
  }),
});

const text = (node: z.infer<typeof textNode> | undefined): string => (typeof node === 'string' ? node : (node?.['#text'] ?? ''));

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Remembers digest nonces for the freshness window, so a captured request cannot be replayed while its Created
 * time is still acceptable (WS-Security UsernameToken Profile 1.0, section 4).
 */
export class NonceCache {
  private readonly seen = new Map<string, number>();
  private readonly maxEntries: number;

  constructor(maxEntries = 10_000) {
    this.maxEntries = maxEntries;
  }

  /** True the first time a nonce is offered within the window. */
  claim(nonce: string, nowMs: number): boolean {
    if (this.seen.size >= this.maxEntries) this.prune(nowMs);
    const expiry = this.seen.get(nonce);
    if (expiry !== undefined && expiry > nowMs) return false;
    if (this.seen.size >= this.maxEntries) return false; // flooded with fresh nonces: refuse rather than forget
    this.seen.set(nonce, nowMs + 2 * MAX_SKEW_MS);
    return true;
  }

  private prune(nowMs: number): void {
    for (const [nonce, expiry] of this.seen) if (expiry <= nowMs) this.seen.delete(nonce);
  }
}

/**
 * Checks a WS-Security UsernameToken: PasswordDigest = Base64(SHA1(nonce + created + password)) with a Created
 * close to the camera's clock, or PasswordText (which many cameras still accept).
 */
export function isAuthorized(header: unknown, credentials: Credentials, cameraNowMs: number, nonces?: NonceCache): boolean {
  const parsed = tokenSchema.safeParse(header);
  if (!parsed.success) return false;
  const token = parsed.data.Security.UsernameToken;
  if (text(token.Username) !== credentials.user) return false;
  const password = token.Password;
  const type = typeof password === 'string' ? '' : (password['@_Type'] ?? '');
  const given = typeof password === 'string' ? password : (password['#text'] ?? '');
  if (!type.endsWith('#PasswordDigest')) return safeEqual(given, credentials.password);
  const created = text(token.Created);
  const createdMs = Date.parse(created);
  if (!Number.isFinite(createdMs) || Math.abs(createdMs - cameraNowMs) > MAX_SKEW_MS) return false;
  const nonce = Buffer.from(text(token.Nonce), 'base64');
  const expected = createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created), Buffer.from(credentials.password)])).digest('base64');
  // Claim the nonce only for a valid digest, so guessing cannot burn another client's nonces.
  return safeEqual(given, expected) && (nonces?.claim(text(token.Nonce), cameraNowMs) ?? true);
}
