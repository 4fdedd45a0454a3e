import { DEFAULT_LINK_TTL_SECONDS, signLink, tenantEvidenceKeys, type LinkGrant } from '../../evidence/index.js';
import type { RequestContext } from '../state.js';

/** A short-lived signed path to an item or export, for the caller only (the link's use is audited). */
export async function signedLinkFor(
  ctx: RequestContext, targetId: string, disposition: LinkGrant['disposition'], ttlSeconds: number = DEFAULT_LINK_TTL_SECONDS,
): Promise<{ url: string; expiresAt: string }> {
  const keys = await tenantEvidenceKeys(ctx.trx, ctx.principal.tenantId);
  const expiresAt = ctx.now().getTime() + ttlSeconds * 1000;
  const url = signLink(keys.urlSecret, { tenantId: ctx.principal.tenantId, targetId, principalId: ctx.principal.principalId, disposition, expiresAt });
  return { url, expiresAt: new Date(expiresAt).toISOString() };
}
