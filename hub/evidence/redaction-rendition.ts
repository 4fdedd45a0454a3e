import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import type { EvidenceStore } from '../../contracts/index.js';
import { CONTENT_TYPES } from './item-spec.js';
import { itemRedaction } from './redaction-tracks.js';
import { scopeSegment } from './storage.js';
import { redactMedia } from './redactor.js';
import type { EvidenceItemRow } from './rows.js';

const EXT = { clip: 'mp4', snapshot: 'jpg' } as const;

export interface Rendition {
  storageKey: string;
  bytes: number;
}

/**
 * Redacted renditions are stored beside the items, one per item and redaction plan (the plan's hash is in the
 * key, so a track that arrived later gives a new rendition instead of serving a stale one). Keys are minted
 * here from our own ids only.
 */
export const renditionKey = (item: EvidenceItemRow, planHash: string): string =>
  `${renditionPrefix(item)}${planHash}.redacted.${item.kind === 'clip' ? EXT.clip : EXT.snapshot}`;

/** Prefix of every rendition of an item (what a purge of the item must delete too). */
export const renditionPrefix = (item: Pick<EvidenceItemRow, 'tenant_id' | 'id'> & { environment?: string }): string => `renditions/${scopeSegment(item.tenant_id, item.environment)}/${item.id}-`;

/** Every rendition is on record (evidence_renditions), so a purge of its item finds and deletes it. */
async function recordRendition(trx: Knex | Knex.Transaction, item: EvidenceItemRow, rendition: Rendition): Promise<Rendition> {
  await trx('evidence_renditions').insert({ tenant_id: item.tenant_id, storage_key: rendition.storageKey, item_id: item.id, bytes: rendition.bytes })
    .onConflict(['tenant_id', 'storage_key']).ignore();
  return rendition;
}

/** The renditions on record of an item: what a purge of the item deletes with it. */
export async function renditionsOf(trx: Knex | Knex.Transaction, item: Pick<EvidenceItemRow, 'tenant_id' | 'id'>): Promise<Rendition[]> {
  const rows = await trx('evidence_renditions').where({ tenant_id: item.tenant_id, item_id: item.id }).orderBy('storage_key')
    .select<Array<{ storage_key: string; bytes: number | string }>>('storage_key', 'bytes');
  // Keys are minted by renditionKey; anything else on record is not a rendition of this item and is left alone.
  return rows.filter((r) => r.storage_key.startsWith(renditionPrefix(item))).map((r) => ({ storageKey: r.storage_key, bytes: Number(r.bytes) }));
}

/**
 * The redacted rendition of a clip or snapshot, made on first request: the original is copied out of the
 * store, redacted along the camera's tracks (redaction-tracks.ts) and stored. A metadata item has no pixels:
 * it is its own rendition. Recorded in evidence_renditions either way.
 */
export async function ensureRendition(trx: Knex | Knex.Transaction, store: EvidenceStore, item: EvidenceItemRow): Promise<Rendition> {
  if (item.kind === 'metadata') return { storageKey: item.storage_key, bytes: Number(item.bytes) };
  const plan = await itemRedaction(trx, item);
  const planHash = createHash('sha256').update(JSON.stringify(plan)).digest('hex').slice(0, 16);
  const key = renditionKey(item, planHash);
  const existing = await store.stat(key);
  if (existing) return recordRendition(trx, item, { storageKey: key, bytes: existing.bytes });
  const dir = await mkdtemp(join(tmpdir(), 'vigil-rendition-'));
  try {
    const ext = item.kind === 'clip' ? EXT.clip : EXT.snapshot;
    const raw = join(dir, `original.${ext}`);
    const redacted = join(dir, `redacted.${ext}`);
    await pipeline(Readable.from(await store.get(item.storage_key)), createWriteStream(raw));
    await redactMedia(item.kind, raw, redacted, plan);
    const stored = await store.put(key, createReadStream(redacted), { contentType: CONTENT_TYPES[item.kind] });
    return await recordRendition(trx, item, { storageKey: key, bytes: stored.bytes });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
