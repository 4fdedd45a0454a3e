import { createHash, sign } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import type { EvidenceStore } from '../../contracts/index.js';
import type { CommandContext } from '../audit/index.js';
import { BUNDLE_FORMAT, MANIFEST, PUBLIC_KEY, SIGNATURE, type BundleManifest } from './bundle-format.js';
import type { TenantEvidenceKeys } from './keys.js';
import { redactMedia } from './redactor.js';
import type { EvidenceItemRow } from './rows.js';

const EXT: Record<string, string> = { clip: 'mp4', snapshot: 'jpg', metadata: 'json' };

export interface BundleInput {
  exportId: string;
  incident: Record<string, unknown> & { id: string };
  transitions: unknown[];
  comments: unknown[];
  auditRecords: unknown[];
  items: EvidenceItemRow[];
  redacted: boolean;
  keys: TenantEvidenceKeys;
}

export interface BuiltBundle {
  path: string;
  bytes: number;
  sha256: string;
  manifest: BundleManifest;
  cleanup(): Promise<void>;
}

async function sha256File(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { sha256: hash.digest('hex'), bytes: (await stat(path)).size };
}

/** Copies each item out of the store, redacting clips and snapshots unless asked not to. */
async function stageItems(store: EvidenceStore, dir: string, input: BundleInput): Promise<Array<{ path: string; file: string; item: EvidenceItemRow; redacted: boolean }>> {
  const staged = [];
  for (const item of input.items) {
    const raw = join(dir, `raw-${item.id}.${EXT[item.kind] ?? 'bin'}`);
    await pipeline(await store.get(item.storage_key), createWriteStream(raw));
    let file = raw;
    let redacted = false;
    if (input.redacted && item.kind !== 'metadata') {
      file = join(dir, `red-${item.id}.${EXT[item.kind] ?? 'bin'}`);
      await redactMedia(item.kind, raw, file, item.metadata.detections);
      redacted = true;
    }
    staged.push({ path: `evidence/${item.id}.${EXT[item.kind] ?? 'bin'}`, file, item, redacted });
  }
  return staged;
}

/**
 * Builds a signed evidence bundle (ZIP) on local disk: clips and snapshots (redacted by default), per-item
 * metadata, the incident with its transitions and comments, the audit records about it, and a manifest of
 * SHA-256s signed with the tenant's ed25519 key. Media are stored uncompressed (they are compressed already).
 */
export async function buildBundle(ctx: Pick<CommandContext, 'actor' | 'tenantId'>, store: EvidenceStore, input: BundleInput): Promise<BuiltBundle> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-bundle-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const files: Array<{ path: string; file: string; compress: boolean; meta: Omit<BundleManifest['files'][number], 'path' | 'sha256' | 'bytes'> }> = [];
    for (const s of await stageItems(store, dir, input)) {
      files.push({ path: s.path, file: s.file, compress: false, meta: { itemId: s.item.id, redacted: s.redacted, originalSha256: s.item.sha256 } });
      const metaFile = join(dir, `meta-${s.item.id}.json`);
      const { storage_key: _key, tenant_id: _tenant, ...described } = s.item;
      await writeFile(metaFile, JSON.stringify(described, null, 2));
      files.push({ path: `evidence/${s.item.id}.metadata.json`, file: metaFile, compress: true, meta: { itemId: s.item.id } });
    }
    const documents: Array<[string, unknown]> = [
      ['incident.json', { incident: input.incident, transitions: input.transitions, comments: input.comments }],
      ['audit.json', { records: input.auditRecords }],
    ];
    for (const [name, body] of documents) {
      const file = join(dir, name);
      await writeFile(file, JSON.stringify(body, null, 2));
      files.push({ path: name, file, compress: true, meta: {} });
    }
    const listed: BundleManifest['files'] = [];
    for (const f of files) listed.push({ path: f.path, ...(await sha256File(f.file)), ...f.meta });
    const manifest: BundleManifest = {
      format: BUNDLE_FORMAT, exportId: input.exportId, tenantId: ctx.tenantId, incidentId: input.incident.id, createdAt: new Date().toISOString(),
      createdBy: ctx.actor.id, redacted: input.redacted, keyId: input.keys.keyId, algorithm: 'ed25519', files: listed,
    };
    const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2));
    const signature = sign(null, manifestBytes, input.keys.privateKeyPem).toString('base64');
    const zip = new yazl.ZipFile();
    for (const f of files) zip.addFile(f.file, f.path, { compress: f.compress });
    zip.addBuffer(manifestBytes, MANIFEST);
    zip.addBuffer(Buffer.from(`${signature}\n`), SIGNATURE);
    zip.addBuffer(Buffer.from(input.keys.publicKeyPem), PUBLIC_KEY);
    zip.end();
    const path = join(dir, 'bundle.zip');
    await pipeline(zip.outputStream, createWriteStream(path));
    return { path, ...(await sha256File(path)), manifest, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
