import { digestAuthorization, parseDigestChallenge, type DigestChallenge } from './digest-auth.js';
import { basicAuthorization, httpRequest, type HttpAnswer, type HttpRequest } from './http-request.js';

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/**
 * What a server last asked for, kept between requests so that each alarm costs one round trip, not two: a Digest
 * challenge is answered again with the next nonce count (RFC 7616 §3.4), Basic is sent up front. A server that no
 * longer accepts it (a stale nonce, a restart) answers 401 with a new challenge, which is answered once.
 */
export class AuthChallengeCache {
  private scheme: { kind: 'digest'; challenge: DigestChallenge; count: number } | { kind: 'basic' } | null = null;

  /** The Authorization for the next request, when a challenge is known. */
  next(request: HttpRequest, credentials: Credentials): string | null {
    if (this.scheme === null) return null;
    if (this.scheme.kind === 'basic') return basicAuthorization(credentials.username, credentials.password);
    this.scheme.count += 1;
    return digestFor(this.scheme.challenge, request, credentials, this.scheme.count);
  }

  /** Learns the challenge of a 401; the Authorization answering it, or null when it offers nothing we speak. */
  answer(header: string | null, request: HttpRequest, credentials: Credentials): string | null {
    const digest = parseDigestChallenge(header);
    if (digest) {
      this.scheme = { kind: 'digest', challenge: digest, count: 1 };
      return digestFor(digest, request, credentials, 1);
    }
    this.scheme = header && /basic/i.test(header) ? { kind: 'basic' } : null;
    return this.scheme === null ? null : basicAuthorization(credentials.username, credentials.password);
  }
}

function digestFor(challenge: DigestChallenge, request: HttpRequest, credentials: Credentials, count: number): string {
  const url = new URL(request.url);
  return digestAuthorization(challenge, credentials, request.method, `${url.pathname}${url.search}`, undefined, count);
}

const withAuthorization = (request: HttpRequest, authorization: string): HttpRequest => ({ ...request, headers: { ...request.headers, Authorization: authorization } });

/**
 * Sends `request`, and when the server answers 401 with a challenge, answers it once: Digest when offered
 * (preferred: the password never crosses the wire), else Basic. A second 401 is returned as it is. With a `cache`,
 * the last challenge is answered up front (one round trip per request while the server accepts it).
 */
export async function authenticatedRequest(request: HttpRequest, credentials: Credentials, signal: AbortSignal, cache = new AuthChallengeCache()): Promise<HttpAnswer> {
  const known = cache.next(request, credentials);
  const first = await httpRequest(known === null ? request : withAuthorization(request, known), signal);
  if (first.status !== 401) return first;
  const authorization = cache.answer(first.headers.get('www-authenticate'), request, credentials);
  if (!authorization) return first;
  return httpRequest(withAuthorization(request, authorization), signal);
}
