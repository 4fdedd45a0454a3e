import { createHash, randomBytes } from 'node:crypto';

/** The parameters of one `WWW-Authenticate: Digest …` challenge (RFC 7616). */
export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly qop?: string | undefined;
  readonly opaque?: string | undefined;
  readonly algorithm?: string | undefined;
}

/** Splits `a="x, y", b=z` into pairs, honouring quoted commas. */
function authParams(text: string): Map<string, string> {
  const params = new Map<string, string>();
  const pattern = /([a-zA-Z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (const match of text.matchAll(pattern)) {
    const key = match[1]?.toLowerCase();
    // First wins: a later challenge of another scheme in the same header line must not override this one's.
    if (key && !params.has(key)) params.set(key, (match[2] ?? match[3] ?? '').replace(/\\(.)/g, '$1'));
  }
  return params;
}

/** The Digest challenge among a server's `WWW-Authenticate` values, or null when it offers none. */
export function parseDigestChallenge(header: string | null): DigestChallenge | null {
  if (!header) return null;
  const at = header.search(/digest\s/i);
  if (at < 0) return null;
  const params = authParams(header.slice(at + 7));
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  if (realm === undefined || nonce === undefined) return null;
  return { realm, nonce, qop: params.get('qop'), opaque: params.get('opaque'), algorithm: params.get('algorithm') };
}

const hash = (algorithm: string, text: string): string =>
  createHash(algorithm.toUpperCase().startsWith('SHA-256') ? 'sha256' : 'md5').update(text, 'utf8').digest('hex');

export interface DigestCredentials {
  readonly username: string;
  readonly password: string;
}

/** The `Authorization: Digest …` value answering `challenge` for one request (qop=auth when offered). */
export function digestAuthorization(challenge: DigestChallenge, credentials: DigestCredentials, method: string, uri: string, cnonce = randomBytes(8).toString('hex'), nonceCount = 1): string {
  const algorithm = challenge.algorithm ?? 'MD5';
  const isSession = /-sess$/i.test(algorithm);
  const base = hash(algorithm, `${credentials.username}:${challenge.realm}:${credentials.password}`);
  const ha1 = isSession ? hash(algorithm, `${base}:${challenge.nonce}:${cnonce}`) : base;
  const ha2 = hash(algorithm, `${method}:${uri}`);
  const offersAuth = challenge.qop?.split(',').map((q) => q.trim()).includes('auth') ?? false;
  const nc = nonceCount.toString(16).padStart(8, '0');
  const response = offersAuth
    ? hash(algorithm, `${ha1}:${challenge.nonce}:${nc}:${cnonce}:auth:${ha2}`)
    : hash(algorithm, `${ha1}:${challenge.nonce}:${ha2}`);
  const quote = (value: string): string => `"${value.replace(/(["\\])/g, '\\$1')}"`;
  const parts = [
    `username=${quote(credentials.username)}`, `realm=${quote(challenge.realm)}`, `nonce=${quote(challenge.nonce)}`,
    `uri=${quote(uri)}`, `response=${quote(response)}`,
    ...(challenge.algorithm ? [`algorithm=${challenge.algorithm}`] : []),
    ...(challenge.opaque !== undefined ? [`opaque=${quote(challenge.opaque)}`] : []),
    ...(offersAuth ? [`qop=auth`, `nc=${nc}`, `cnonce=${quote(cnonce)}`] : []),
  ];
  return `Digest ${parts.join(', ')}`;
}
