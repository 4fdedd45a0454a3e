import * as client from 'openid-client';
import { AppError } from '../../../contracts/index.js';
import type { OidcConfig } from './config-schema.js';

export interface LoginStart {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

export interface LoginResult {
  claims: Record<string, unknown>;
  idToken: string;
}

export interface ProviderEndpoints {
  issuer: string;
  jwksUri: string;
}

/** openid-client's errors name the provider's OAuth error or the offending claim; say which in our message. */
function describe(cause: unknown): string {
  const error = cause as { message?: string; error?: unknown; error_description?: unknown; cause?: unknown };
  if (typeof error.error === 'string') return `the provider answered ${error.error}${typeof error.error_description === 'string' ? ` (${error.error_description})` : ''}`;
  // The claim that failed (nonce, iss, aud, exp…) sits one or two causes down.
  let inner: unknown = error.cause;
  for (let depth = 0; depth < 3 && inner && typeof inner === 'object'; depth += 1) {
    const claim = (inner as { claim?: unknown }).claim;
    if (typeof claim === 'string') return `${error.message ?? 'invalid ID token'} (claim ${claim})`;
    inner = (inner as { cause?: unknown }).cause;
  }
  return error.message ?? String(cause);
}

/**
 * The hub as an OpenID Connect client, through openid-client v6. Discovery happens on first use and is
 * cached; a failure (provider down, or a discovery document whose issuer is not the configured one) is
 * not cached, so the next login tries again. Every failure is an AppError: the login fails closed.
 */
export class RelyingParty {
  readonly redirectUri: string;
  readonly postLogoutRedirectUri: string;
  private discovered: Promise<client.Configuration> | null = null;

  constructor(
    readonly config: OidcConfig,
    baseUrl: string,
  ) {
    this.redirectUri = config.redirectUri ?? new URL('/auth/callback', baseUrl).href;
    this.postLogoutRedirectUri = config.postLogoutRedirectUri ?? new URL('/', baseUrl).href;
  }

  private configuration(): Promise<client.Configuration> {
    if (!this.discovered) {
      const auth = this.config.clientSecret ? client.ClientSecretBasic(this.config.clientSecret) : client.None();
      const options: client.DiscoveryRequestOptions = { timeout: 10, ...(this.config.allowHttp ? { execute: [client.allowInsecureRequests] } : {}) };
      this.discovered = client
        .discovery(new URL(this.config.issuer), this.config.clientId, { id_token_signed_response_alg: 'RS256' }, auth, options)
        .then((configuration) => {
          // ID tokens get their signature checked too, not only trusted because they came over TLS.
          client.enableNonRepudiationChecks(configuration);
          return configuration;
        })
        .catch((cause: unknown) => {
          this.discovered = null;
          throw new AppError('unavailable', `identity provider discovery failed: ${(cause as Error).message}`, { cause });
        });
    }
    return this.discovered;
  }

  async endpoints(): Promise<ProviderEndpoints> {
    const metadata = (await this.configuration()).serverMetadata();
    if (!metadata.jwks_uri) throw new AppError('unavailable', 'the identity provider publishes no jwks_uri');
    return { issuer: metadata.issuer, jwksUri: metadata.jwks_uri };
  }

  async startLogin(): Promise<LoginStart> {
    const configuration = await this.configuration();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      scope: [...new Set(['openid', ...this.config.scopes])].join(' '),
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url, state, nonce, codeVerifier };
  }

  /** Exchanges the code; checks state, PKCE, nonce, and the ID token (issuer, audience, expiry, signature). */
  async finishLogin(currentUrl: URL, expected: { state: string; nonce: string; codeVerifier: string }): Promise<LoginResult> {
    const configuration = await this.configuration();
    try {
      const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
        expectedState: expected.state,
        expectedNonce: expected.nonce,
        pkceCodeVerifier: expected.codeVerifier,
        idTokenExpected: true,
      }, { redirect_uri: this.redirectUri });
      const claims = tokens.claims();
      if (!claims || !tokens.id_token) throw new AppError('unauthenticated', 'the provider returned no ID token');
      return { claims: { ...claims }, idToken: tokens.id_token };
    } catch (cause) {
      throw new AppError('unauthenticated', `login failed: ${describe(cause)}`, { cause });
    }
  }

  /** The provider's logout URL when it supports RP-initiated logout, else null. */
  async endSessionUrl(idToken: string | null): Promise<URL | null> {
    const configuration = await this.configuration().catch(() => null);
    if (!configuration?.serverMetadata().end_session_endpoint) return null;
    return client.buildEndSessionUrl(configuration, {
      post_logout_redirect_uri: this.postLogoutRedirectUri,
      ...(idToken ? { id_token_hint: idToken } : { client_id: this.config.clientId }),
    });
  }
}
