import type { Knex } from 'knex';
import { AppError } from '../../contracts/index.js';
import { EvidenceExport, EvidenceKeys } from '../../models/index.js';
import { checkIssuer, findLink, type LinkRow, type LinkVariant } from './link-records.js';
import { findItem } from './rows.js';
import { checkLink, type LinkGrant } from './signed-link.js';

/** What a signed link serves: an evidence item (original or redacted rendition) or an export bundle. */
export interface PlaybackTarget {
  kind: 'item' | 'export';
  id: string;
  variant: LinkVariant;
  storageKey: string;
  bytes: number;
  contentType: string;
  filename: string;
}

/** The target as it stands now: a purged item or export answers 404 even through a live link. */
async function findTarget(trx: Knex.Transaction, link: LinkRow): Promise<PlaybackTarget> {
  const served = { id: link.target_id, variant: link.variant, storageKey: link.storage_key, bytes: Number(link.bytes) };
  if (link.target_id.startsWith('evd_')) {
    const item = await findItem(trx, link.tenant_id, link.target_id);
    if (!item) throw new AppError('not_found', 'evidence not found');
    const suffix = link.variant === 'redacted' && item.kind !== 'metadata' ? '.redacted' : '';
    const name = item.storage_key.split('/').at(-1) ?? item.id;
    return { kind: 'item', ...served, contentType: item.content_type, filename: name.replace(/(\.[a-z0-9]+)$/, `${suffix}$1`) };
  }
  const row = await EvidenceExport.forTenant(trx, link.tenant_id).findOne('evidence_exports.id', link.target_id);
  if (!row) throw new AppError('not_found', 'evidence not found');
  return { kind: 'export', ...served, contentType: 'application/zip', filename: `${row.id}.zip` };
}

export interface OpenedLink {
  link: LinkRow;
  target: PlaybackTarget;
}

/**
 * Checks a signed link against the tenant's URL secret and the hub's clock, then its record: the link dies with
 * the token or session that issued it. Signature and expiry come first: nothing about the target is looked at
 * for a forged or stale link.
 */
export async function openSignedTarget(trx: Knex.Transaction, grant: LinkGrant, signature: string, now: Date): Promise<OpenedLink> {
  const keys = await EvidenceKeys.query(trx).findById(grant.tenantId);
  if (!keys) throw new AppError('signature_invalid', 'this evidence link is malformed or was altered');
  checkLink(Buffer.from(keys.urlSecret, 'hex'), grant, signature, now.getTime());
  const link = await findLink(trx, grant);
  await checkIssuer(trx, link, now);
  return { link, target: await findTarget(trx, link) };
}
