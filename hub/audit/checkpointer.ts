import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { AuditConfig } from './audit-config.js';
import { checkpointDirOf, type AuditKeyring } from './audit-keys.js';
import { signCheckpoint, type Checkpoint } from './checkpoint.js';
import { DirectoryCheckpointStore, WebhookCheckpointSink, type CheckpointSink, type CheckpointStore } from './checkpoint-stores.js';
import { S3CheckpointStore } from './s3-checkpoint-store.js';

/** Where checkpoints go (`sinks`) and which of those `vigil audit verify` reads back (`stores`). */
export interface CheckpointTargets {
  stores: CheckpointStore[];
  sinks: CheckpointSink[];
}

export function checkpointTargets(config: AuditConfig, dataDir: string): CheckpointTargets {
  const stores: CheckpointStore[] = [new DirectoryCheckpointStore(checkpointDirOf(config, dataDir))];
  if (config.s3) stores.push(new S3CheckpointStore(config.s3));
  const sinks: CheckpointSink[] = [...stores];
  if (config.checkpointWebhookUrl) sinks.push(new WebhookCheckpointSink(config.checkpointWebhookUrl));
  return { stores, sinks };
}

interface Head {
  tenant_id: string;
  seq: number;
  hash: string;
}

/** The newest record of every tenant: one index probe per tenant and partition. */
async function heads(knex: Knex): Promise<Head[]> {
  const { rows } = await knex.raw<{ rows: Head[] }>(`
    SELECT t.id AS tenant_id, r.seq, r.hash
      FROM tenants t
     CROSS JOIN LATERAL (SELECT a.seq, a.hash FROM audit_records a WHERE a.tenant_id = t.id ORDER BY a.seq DESC LIMIT 1) r
     ORDER BY t.id`);
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

export interface ExportedHead {
  seq: number;
  hash: string;
}

/** A head behind, or different from, one already signed: somebody rolled the chain back or rewrote it. */
function regression(head: Head, signed: ExportedHead): string | null {
  if (head.seq < signed.seq) return `the chain now ends at seq ${head.seq}, before the signed seq ${signed.seq}`;
  if (head.seq === signed.seq && head.hash !== signed.hash) return `record ${head.seq} no longer has the signed hash`;
  return null;
}

/**
 * Signs and exports a checkpoint of every tenant chain that grew since its last export. `exported`
 * remembers, per tenant, the head every target has; a target that failed is tried again next time. A
 * chain that went backwards is never signed (that would bless the tampering): it is logged as an error.
 */
export async function exportCheckpoints(
  knex: Knex,
  deps: { keyring: AuditKeyring; targets: CheckpointTargets; exported: Map<string, ExportedHead>; log?: Logger; now?: () => Date },
): Promise<Checkpoint[]> {
  const made: Checkpoint[] = [];
  const primary = deps.targets.stores[0];
  for (const head of await heads(knex)) {
    if (!deps.exported.has(head.tenant_id) && primary) {
      const found = await primary.latest(head.tenant_id);
      if (found?.checkpoint) deps.exported.set(head.tenant_id, { seq: found.checkpoint.seq, hash: found.checkpoint.headHash });
    }
    const signed = deps.exported.get(head.tenant_id);
    if (signed && signed.seq === head.seq && signed.hash === head.hash) continue;
    const wrong = signed ? regression(head, signed) : null;
    if (wrong) {
      deps.log?.error({ tenant: head.tenant_id }, `audit chain tampered with: ${wrong}; run vigil audit verify`);
      continue;
    }
    const checkpoint = signCheckpoint(deps.keyring.signing, { tenantId: head.tenant_id, seq: head.seq, headHash: head.hash, at: (deps.now ?? (() => new Date()))().toISOString() });
    let failed = 0;
    for (const sink of deps.targets.sinks) {
      try {
        await sink.put(checkpoint);
      } catch (error) {
        failed += 1;
        deps.log?.error({ err: error, sink: sink.name, tenant: head.tenant_id }, 'audit checkpoint export failed; retrying next round');
      }
    }
    if (failed === 0) deps.exported.set(head.tenant_id, { seq: head.seq, hash: head.hash });
    made.push(checkpoint);
  }
  return made;
}
