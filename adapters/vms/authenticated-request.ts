import { digestAuthorization, parseDigestChallenge } from './digest-auth.js';
import { basicAuthorization, httpRequest, type HttpAnswer, type HttpRequest } from './http-request.js';

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

/**
 * Sends `request`, and when the server answers 401 with a challenge, answers it once: Digest when offered
 * (preferred: the password never crosses the wire), else Basic. A second 401 is returned as it is.
 */
export async function authenticatedRequest(request: HttpRequest, credentials: Credentials, signal: AbortSignal): Promise<HttpAnswer> {
  const first = await httpRequest(request, signal);
  if (first.status !== 401) return first;
  const authorization = answerChallenge(first.headers.get('www-authenticate'), request, credentials);
  if (!authorization) return first;
  return httpRequest({ ...request, headers: { ...request.headers, Authorization: authorization } }, signal);
}

function answerChallenge(header: string | null, request: HttpRequest, credentials: Credentials): string | null {
  const digest = parseDigestChallenge(header);
  if (digest) {
    const url = new URL(request.url);
    return digestAuthorization(digest, credentials, request.method, `${url.pathname}${url.search}`);
  }
  if (header && /basic/i.test(header)) return basicAuthorization(credentials.username, credentials.password);
  return null;
}
