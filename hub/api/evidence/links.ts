import { AppError, type EvidenceStore } from '../../../contracts/index.js';
import { issueEvidenceLink } from '../../commands/evidence-viewer.js';
import { ensureRendition, tenantEvidenceKeys, type EvidenceItemRow, type ExportRow, type LinkGrant, type NewLink } from '../../evidence/index.js';
import { authorize } from '../authorize.js';
import { commandContext } from '../command-context.js';
import type { RequestContext } from '../state.js';

export interface LinkRequest {
  disposition: LinkGrant['disposition'];
  ttlSeconds: number;
  /** false asks for the original bytes, which needs the unredact permission on the item's store. */
  redacted: boolean;
}

/** A short-lived signed path for the caller only, bound to the caller's token or session (its use is audited). */
async function issue(ctx: RequestContext, link: Omit<NewLink, 'issuedAt' | 'expiresAt'>, ttlSeconds: number) {
  const keys = await tenantEvidenceKeys(ctx.trx, ctx.principal.tenantId);
  const issuedAt = ctx.now();
  const { principal } = ctx;
  return issueEvidenceLink(commandContext(ctx), keys.urlSecret, { tenantId: principal.tenantId, principalId: principal.principalId, tokenId: principal.tokenId, sessionId: principal.sessionId }, {
    ...link, issuedAt, expiresAt: new Date(issuedAt.getTime() + ttlSeconds * 1000),
  });
}

/**
 * A link to an item: its redacted rendition unless the caller asks for the original and holds `unredact`
 * on the item's store (the same permission an unredacted export needs).
 */
export async function itemLink(ctx: RequestContext, store: EvidenceStore, item: EvidenceItemRow, request: LinkRequest) {
  if (!request.redacted) authorize(ctx, 'unredact', 'Evidence', { storeId: item.store_id, regionId: item.region_id });
  const served = request.redacted ? await ensureRendition(ctx.trx, store, item) : { storageKey: item.storage_key, bytes: Number(item.bytes) };
  return issue(ctx, { targetId: item.id, variant: request.redacted ? 'redacted' : 'original', disposition: request.disposition, ...served }, request.ttlSeconds);
}

/** A download link to an export: an unredacted bundle holds originals, so it needs `unredact` like they do. */
export async function exportLink(ctx: RequestContext, row: Pick<ExportRow, 'id' | 'redacted' | 'bytes' | 'storage_key'>, scope: { storeId: string; regionId: string }, ttlSeconds: number) {
  if (!row.redacted) authorize(ctx, 'unredact', 'Evidence', scope);
  if (!row.storage_key) throw new AppError('not_found', 'export not found');
  return issue(ctx, { targetId: row.id, variant: row.redacted ? 'redacted' : 'original', disposition: 'attachment', storageKey: row.storage_key, bytes: Number(row.bytes) }, ttlSeconds);
}
