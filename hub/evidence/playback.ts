import type { Knex } from 'knex';
import { AppError } from '../../contracts/index.js';
import { EvidenceExport, EvidenceKeys } from '../../models/index.js';
import { findItem } from './rows.js';
import { checkLink, type LinkGrant } from './signed-link.js';

/** What a signed link serves: an evidence item or an export bundle. */
export interface PlaybackTarget {
  kind: 'item' | 'export';
  id: string;
  storageKey: string;
  bytes: number;
  contentType: string;
  filename: string;
}

async function findTarget(trx: Knex.Transaction, tenantId: string, id: string): Promise<PlaybackTarget> {
  if (id.startsWith('evd_')) {
    const item = await findItem(trx, tenantId, id);
    if (!item) throw new AppError('not_found', 'evidence not found');
    return { kind: 'item', id, storageKey: item.storage_key, bytes: Number(item.bytes), contentType: item.content_type, filename: item.storage_key.split('/').at(-1) ?? id };
  }
  const row = await EvidenceExport.forTenant(trx, tenantId).findOne('evidence_exports.id', id);
  if (!row) throw new AppError('not_found', 'evidence not found');
  return { kind: 'export', id, storageKey: row.storageKey, bytes: Number(row.bytes), contentType: 'application/zip', filename: `${id}.zip` };
}

/**
 * Checks a signed link against the tenant's URL secret and the hub's clock, then finds what it names.
 * Signature and expiry come first: nothing about the target is looked at for a forged or stale link.
 */
export async function openSignedTarget(trx: Knex.Transaction, grant: LinkGrant, signature: string, nowMs: number, id: string): Promise<PlaybackTarget> {
  const keys = await EvidenceKeys.query(trx).findById(grant.tenantId);
  if (!keys) throw new AppError('signature_invalid', 'this evidence link is malformed or was altered');
  checkLink(Buffer.from(keys.urlSecret, 'hex'), grant, signature, nowMs);
  return findTarget(trx, grant.tenantId, id);
}
