import Router from '@koa/router';
import type Provider from 'oidc-provider';
import type { AppState } from '../api/state.js';
import { readFormBody } from './form-body.js';
import type { DevAccounts } from './accounts.js';
import { loginPage } from './login-page.js';
import { AppError } from '../../contracts/index.js';

/**
 * The dev provider's interactions: its own login form, and consent granted by the route itself for the
 * hub's first-party client (the console is the same product; there is nothing to ask the user).
 */
export function interactionRouter(provider: Provider, accounts: DevAccounts): Router<AppState> {
  const router = new Router<AppState>();

  router.get('/idp/interaction/:uid', async (ctx) => {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const clientId = String(details.params.client_id ?? '');
    if (details.prompt.name === 'login') {
      ctx.type = 'html';
      ctx.set('cache-control', 'no-store');
      ctx.body = loginPage({ uid: details.uid, clientId });
      return;
    }
    const accountId = details.session?.accountId;
    if (details.prompt.name !== 'consent' || !accountId) {
      ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, { error: 'access_denied', error_description: 'unsupported prompt' }));
      return;
    }
    const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId, clientId });
    if (!grant) throw new AppError('not_found', 'the grant of this sign-in has expired; start again');
    const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
    const grantId = await grant.save();
    ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, { consent: { grantId } }, { mergeWithLastSubmission: true }));
  });

  router.post('/idp/interaction/:uid/login', async (ctx) => {
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const form = await readFormBody(ctx.req);
    const email = form.get('email') ?? '';
    const accountId = accounts.verify(email, form.get('password') ?? '');
    if (!accountId) {
      ctx.status = 401;
      ctx.type = 'html';
      ctx.body = loginPage({ uid: details.uid, clientId: String(details.params.client_id ?? ''), error: 'Wrong e-mail or password.', email });
      return;
    }
    ctx.redirect(await provider.interactionResult(ctx.req, ctx.res, { login: { accountId } }, { mergeWithLastSubmission: false }));
  });
  return router;
}
