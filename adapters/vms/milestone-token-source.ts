import { z } from 'zod';
import { httpRequest, joinUrl, type HttpAnswer } from './http-request.js';
import { safeJson } from './json-text.js';

const tokenSchema = z.object({ access_token: z.string().min(1), expires_in: z.number().positive().optional() });

/** Either a bearer token, or the identity provider's answer that refused one. */
export type TokenResult = { readonly token: string } | { readonly refused: HttpAnswer };

/**
 * Bearer tokens from the XProtect identity provider (OAuth 2.0 password grant, client GrantValidatorClient).
 * The IDP lives at /IDP on the management server; through the API Gateway it is /API/IDP, which is tried when
 * the first answers 404 (a gateway-only host).
 */
export class MilestoneTokenSource {
  private cached: { token: string; expiresAt: number } | null = null;

  constructor(private readonly base: string, private readonly username: string, private readonly password: string, private readonly allowSelfSignedCertificate = false) {}

  invalidate(): void {
    this.cached = null;
  }

  async token(signal: AbortSignal): Promise<TokenResult> {
    if (this.cached && this.cached.expiresAt > Date.now()) return { token: this.cached.token };
    let answer = await this.request('IDP/connect/token', signal);
    if (answer.status === 404) answer = await this.request('API/IDP/connect/token', signal);
    if (answer.status !== 200) return { refused: answer };
    const parsed = tokenSchema.safeParse(safeJson(answer.body));
    if (!parsed.success) return { refused: { ...answer, status: 502, body: `unexpected token answer: ${answer.body.slice(0, 200)}` } };
    // Renew a little early so a token never expires between the check and its use.
    const lifetimeMs = (parsed.data.expires_in ?? 3600) * 1000;
    this.cached = { token: parsed.data.access_token, expiresAt: Date.now() + Math.max(0, lifetimeMs - 30_000) };
    return { token: parsed.data.access_token };
  }

  private request(path: string, signal: AbortSignal): Promise<HttpAnswer> {
    const form = new URLSearchParams({ grant_type: 'password', username: this.username, password: this.password, client_id: 'GrantValidatorClient' });
    return httpRequest({
      method: 'POST',
      url: joinUrl(this.base, path),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: form.toString(),
      allowSelfSignedCertificate: this.allowSelfSignedCertificate,
    }, signal);
  }
}
