import { createHash, randomBytes } from 'node:crypto';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

/** The parameters of a `WWW-Authenticate: Digest …` challenge, or null when the header offers no Digest. */
export function parseDigestChallenge(header: string | string[] | undefined): Record<string, string> | null {
  const digest = [header ?? []].flat().find((h) => /^\s*Digest\s/i.test(h));
  if (digest === undefined) return null;
  const params: Record<string, string> = {};
  for (const match of digest.replace(/^\s*Digest\s+/i, '').matchAll(/([a-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]+))/gi)) {
    const key = (match[1] ?? '').toLowerCase();
    params[key] = match[2] ?? match[3] ?? '';
  }
  return typeof params.realm === 'string' && typeof params.nonce === 'string' ? params : null;
}

/**
 * The Authorization header answering a Digest challenge (RFC 7616 with MD5, qop=auth when offered, RFC 2069
 * without qop otherwise, as many cameras still challenge).
 */
export function digestAuthorization(challenge: Record<string, string>, method: string, uri: string, user: string, password: string): string {
  const realm = challenge.realm ?? '';
  const nonce = challenge.nonce ?? '';
  const ha1 = md5(`${user}:${realm}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  const quote = (s: string): string => s.replace(/["\\]/g, '\\$&');
  const parts = [`username="${quote(user)}"`, `realm="${quote(realm)}"`, `nonce="${quote(nonce)}"`, `uri="${quote(uri)}"`, 'algorithm=MD5'];
  const qops = (challenge.qop ?? '').split(',').map((q) => q.trim());
  if (qops.includes('auth')) {
    const cnonce = randomBytes(8).toString('hex');
    const nc = '00000001';
    parts.push(`qop=auth`, `nc=${nc}`, `cnonce="${cnonce}"`, `response="${md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`)}"`);
  } else {
    parts.push(`response="${md5(`${ha1}:${nonce}:${ha2}`)}"`);
  }
  if (challenge.opaque !== undefined) parts.push(`opaque="${quote(challenge.opaque)}"`);
  return `Digest ${parts.join(', ')}`;
}
