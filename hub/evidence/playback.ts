import type { Knex } from 'knex';
import { AppError } from '../../contracts/index.js';
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
  const row = await trx('evidence_exports').where({ tenant_id: tenantId, id }).first<{ storage_key: string; bytes: number } | undefined>();
  if (!row) throw new AppError('not_found', 'evidence not found');
  return { kind: 'export', id, storageKey: row.storage_key, bytes: Number(row.bytes), contentType: 'application/zip', filename: `${id}.zip` };
}

/**
 * Checks a signed link against the tenant's URL secret and the hub's clock, then finds what it names.
 * Signature and expiry come first: nothing about the target is looked at for a forged or stale link.
 */
export async function openSignedTarget(trx: Knex.Transaction, grant: LinkGrant, signature: string, nowMs: number, id: string): Promise<PlaybackTarget> {
  const keys = await trx('evidence_keys').where({ tenant_id: grant.tenantId }).first<{ url_secret: string } | undefined>('url_secret');
  if (!keys) throw new AppError('signature_invalid', 'this evidence link is malformed or was altered');
  checkLink(Buffer.from(keys.url_secret, 'hex'), grant, signature, nowMs);
  return findTarget(trx, grant.tenantId, id);
}
