import { sign } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { invariant } from '../../contracts/index.js';
import type { CommandContext } from '../audit/index.js';
import { AUDIT_EXTRACT, BUNDLE_FORMAT, MANIFEST, PUBLIC_KEY, SIGNATURE, type BundleCustody, type BundleManifest } from './bundle-format.js';
import { EXT, sha256File, type Staging } from './bundle-staging.js';
import type { AuditExtract } from './custody-format.js';
import type { SigningKeyPair } from './keys.js';
import type { TimedBox } from './redaction-plan.js';
import { redactMedia } from './redactor.js';

export interface BundleInput {
  exportId: string;
  incident: Record<string, unknown> & { id: string };
  transitions: unknown[];
  comments: unknown[];
  /** The detection events that triggered the incident, as the plugin sent them. */
  events: unknown[];
  extract: AuditExtract;
  custody: BundleCustody;
  redacted: boolean;
  /**
   * What to blur in each item of a redacted bundle (redaction-tracks.ts: the camera's tracks, interpolated,
   * faces too), by item id: the same plan the item's redacted rendition is made from.
   */
  redaction: ReadonlyMap<string, TimedBox[]>;
  key: SigningKeyPair;
}

export interface BuiltBundle {
  path: string;
  bytes: number;
  sha256: string;
  manifest: BundleManifest;
}

type BundleFile = { path: string; file: string; compress: boolean; meta: Omit<BundleManifest['files'][number], 'path' | 'sha256' | 'bytes'> };

/** The items' files: media (redacted along their plans unless asked not to) and each item's metadata document. */
async function itemFiles(staging: Staging, input: Pick<BundleInput, 'redacted' | 'redaction'>): Promise<BundleFile[]> {
  const files: BundleFile[] = [];
  for (const { item, file: raw } of staging.staged) {
    const ext = EXT[item.kind] ?? 'bin';
    let file = raw;
    const redact = input.redacted && item.kind !== 'metadata';
    if (redact && item.kind !== 'metadata') {
      const plan = input.redaction.get(item.id);
      invariant(plan, `a redacted bundle has the redaction plan of ${item.id}`);
      file = join(staging.dir, `red-${item.id}.${ext}`);
      await redactMedia(item.kind, raw, file, plan);
    }
    files.push({ path: `evidence/${item.id}.${ext}`, file, compress: false, meta: { itemId: item.id, redacted: redact, originalSha256: item.sha256 } });
    const metaFile = join(staging.dir, `meta-${item.id}.json`);
    const { storage_key: _key, tenant_id: _tenant, ...described } = item;
    await writeFile(metaFile, JSON.stringify(described, null, 2));
    files.push({ path: `evidence/${item.id}.metadata.json`, file: metaFile, compress: true, meta: { itemId: item.id } });
  }
  return files;
}

async function documentFiles(dir: string, input: BundleInput): Promise<BundleFile[]> {
  const documents: Array<[string, unknown]> = [
    ['incident.json', { incident: input.incident, transitions: input.transitions, comments: input.comments }],
    ['events.json', { events: input.events }],
    [AUDIT_EXTRACT, input.extract],
  ];
  const files: BundleFile[] = [];
  for (const [name, body] of documents) {
    const file = join(dir, name);
    await writeFile(file, JSON.stringify(body, null, 2));
    files.push({ path: name, file, compress: true, meta: {} });
  }
  return files;
}

/**
 * Builds a signed evidence bundle (ZIP) in the staging directory from the checked copies: clips and
 * snapshots (redacted by default, along each item's plan), per-item metadata, the incident with its transitions, comments and
 * triggering events, the audit extract, and a manifest of SHA-256s with the chain-of-custody fields,
 * signed with the tenant's active ed25519 key (its kid in the manifest). Media are stored uncompressed.
 */
export async function buildBundle(ctx: Pick<CommandContext, 'actor' | 'tenantId' | 'now'>, staging: Staging, input: BundleInput): Promise<BuiltBundle> {
  const files = [...(await itemFiles(staging, input)), ...(await documentFiles(staging.dir, input))];
  const listed: BundleManifest['files'] = [];
  for (const f of files) listed.push({ path: f.path, ...(await sha256File(f.file)), ...f.meta });
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT, exportId: input.exportId, tenantId: ctx.tenantId, incidentId: input.incident.id, createdAt: (ctx.now ?? (() => new Date()))().toISOString(),
    createdBy: ctx.actor.id, redacted: input.redacted, keyId: input.key.keyId, algorithm: 'ed25519', custody: input.custody, files: listed,
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2));
  const signature = sign(null, manifestBytes, input.key.privateKey).toString('base64');
  const zip = new yazl.ZipFile();
  for (const f of files) zip.addFile(f.file, f.path, { compress: f.compress });
  zip.addBuffer(manifestBytes, MANIFEST);
  zip.addBuffer(Buffer.from(`${signature}\n`), SIGNATURE);
  zip.addBuffer(Buffer.from(input.key.publicKeyPem), PUBLIC_KEY);
  zip.end();
  const path = join(staging.dir, 'bundle.zip');
  await pipeline(zip.outputStream, createWriteStream(path));
  return { path, ...(await sha256File(path)), manifest };
}
