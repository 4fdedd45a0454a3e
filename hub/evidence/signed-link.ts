import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../contracts/index.js';

/** Links live 5 minutes by default and at most: a longer TTL is refused (400), not shortened. */
export const DEFAULT_LINK_TTL_SECONDS = 300;
export const MAX_LINK_TTL_SECONDS = 300;
export const MIN_LINK_TTL_SECONDS = 10;

/** What a short-lived evidence link grants: one principal, one item or export, inline or as a download. */
export interface LinkGrant {
  tenantId: string;
  /** The environment of the target (each has its own URL secret); production links leave it out of the URL. */
  environment: string;
  /** evd_ item or exp_ export. */
  targetId: string;
  /** lnk_ record of the link: its issuer's credential, its variant and its first use. */
  linkId: string;
  principalId: string;
  disposition: 'inline' | 'attachment';
  expiresAt: number;
}

export const linkQuerySchema = z.object({
  t: z.string().regex(/^ten_[0-9a-z]{10,40}$/),
  n: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/).default('production'),
  l: z.string().regex(/^lnk_[0-9a-z]{10,40}$/),
  p: z.string().regex(/^[a-z]{3}_[0-9a-z]{10,40}$/),
  d: z.enum(['inline', 'attachment']),
  e: z.coerce.number().int().positive(),
  s: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

const payload = (g: LinkGrant): string => ['v3', g.tenantId, g.environment, g.targetId, g.linkId, g.principalId, g.disposition, String(g.expiresAt)].join('\n');
const mac = (secret: Buffer, g: LinkGrant): Buffer => createHmac('sha256', secret).update(payload(g)).digest();

/** `?t=…&l=…&p=…&d=…&e=…&s=…`: HMAC-SHA256 over every field, with the tenant's URL secret. */
export function signLink(secret: Buffer, grant: LinkGrant): string {
  const query = new URLSearchParams({
    t: grant.tenantId, ...(grant.environment === 'production' ? {} : { n: grant.environment }), l: grant.linkId, p: grant.principalId, d: grant.disposition, e: String(grant.expiresAt), s: mac(secret, grant).toString('base64url'),
  });
  return `/v1/evidence/files/${grant.targetId}?${query.toString()}`;
}

/** Parses a link's query (anything malformed is an altered link). The tenant is needed to find the secret. */
export function parseLink(targetId: string, query: unknown): { grant: LinkGrant; signature: string } {
  const parsed = linkQuerySchema.safeParse(query);
  if (!parsed.success) throw new AppError('signature_invalid', 'this evidence link is malformed or was altered');
  const q = parsed.data;
  return { grant: { tenantId: q.t, environment: q.n, targetId, linkId: q.l, principalId: q.p, disposition: q.d, expiresAt: q.e }, signature: q.s };
}

/** Checks the signature first (an altered expiry must not read as merely expired), then the expiry. */
export function checkLink(secret: Buffer, grant: LinkGrant, signature: string, now: number = Date.now()): void {
  const expected = mac(secret, grant);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AppError('signature_invalid', 'this evidence link is malformed or was altered');
  }
  if (grant.expiresAt <= now) throw new AppError('link_expired', 'this evidence link has expired; ask for a new one');
}
