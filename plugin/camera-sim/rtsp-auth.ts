import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface Credentials {
  readonly user: string;
  readonly password: string;
}

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** `key="value"` and `key=value` pairs of an Authorization header (RFC 7616 syntax, quoted strings without escapes). */
function parseParams(text: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const m of text.matchAll(/([a-zA-Z0-9_-]+)\s*=\s*(?:"([^"]*)"|([^\s,]+))/g)) {
    params.set((m[1] ?? '').toLowerCase(), m[2] ?? m[3] ?? '');
  }
  return params;
}

/**
 * RTSP authentication as IP cameras do it: Digest (RFC 2069 style without qop, MD5, which ffmpeg and VMSs speak)
 * and Basic. With no credentials configured every request passes.
 */
export class RtspAuthenticator {
  private readonly credentials: Credentials | null;
  private readonly realm: string;
  // One nonce per server life is what many cameras do; good enough for a simulator and stable across requests.
  private readonly nonce = randomBytes(16).toString('hex');

  constructor(credentials: Credentials | null, realm = 'vigil-camera-sim') {
    this.credentials = credentials;
    this.realm = realm;
  }

  isAllowed(method: string, authorization: string | undefined): boolean {
    if (!this.credentials) return true;
    if (!authorization) return false;
    const space = authorization.indexOf(' ');
    const scheme = authorization.slice(0, space).toLowerCase();
    const rest = authorization.slice(space + 1);
    if (scheme === 'basic') return this.checkBasic(rest);
    if (scheme === 'digest') return this.checkDigest(method, parseParams(rest));
    return false;
  }

  challenges(): string[] {
    return [`Digest realm="${this.realm}", nonce="${this.nonce}", algorithm="MD5"`, `Basic realm="${this.realm}"`];
  }

  private checkBasic(encoded: string): boolean {
    const { user, password } = this.credentials as Credentials;
    return safeEqual(Buffer.from(encoded.trim(), 'base64').toString('utf8'), `${user}:${password}`);
  }

  private checkDigest(method: string, p: Map<string, string>): boolean {
    const { user, password } = this.credentials as Credentials;
    if (p.get('username') !== user || p.get('realm') !== this.realm || p.get('nonce') !== this.nonce) return false;
    const ha1 = md5(`${user}:${this.realm}:${password}`);
    const ha2 = md5(`${method}:${p.get('uri') ?? ''}`);
    const qop = p.get('qop');
    const expected = qop
      ? md5(`${ha1}:${this.nonce}:${p.get('nc') ?? ''}:${p.get('cnonce') ?? ''}:${qop}:${ha2}`)
      : md5(`${ha1}:${this.nonce}:${ha2}`);
    return safeEqual(expected, (p.get('response') ?? '').toLowerCase());
  }
}
