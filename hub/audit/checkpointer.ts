import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { AuditConfig } from './audit-config.js';
import { checkpointDirOf, type AuditKeyring } from './audit-keys.js';
import { signCheckpoint, type Checkpoint } from './checkpoint.js';
import { AUDIT_SHARDS } from './audit-writer.js';
import { chainFolder, DirectoryCheckpointStore, WebhookCheckpointSink, type CheckpointSink, type CheckpointStore } from './checkpoint-stores.js';
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
  shard: number;
  seq: number;
  hash: string;
}

/** The newest record of every tenant's every shard: one index probe per tenant, shard and partition. */
async function heads(knex: Knex): Promise<Head[]> {
  const { rows } = await knex.raw<{ rows: Head[] }>(`
    SELECT t.id AS tenant_id, s.shard, r.seq, r.hash
      FROM tenants t
     CROSS JOIN generate_series(0, ?::int - 1) AS s(shard)
     CROSS JOIN LATERAL (SELECT a.seq, a.hash FROM audit_records a WHERE a.tenant_id = t.id AND a.shard = s.shard ORDER BY a.seq DESC LIMIT 1) r
     ORDER BY t.id, s.shard`, [AUDIT_SHARDS]);
  return rows.map((r) => ({ ...r, shard: Number(r.shard), seq: Number(r.seq) }));
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
 * Signs and exports a checkpoint of every tenant chain (each shard) that grew since its last export.
 * `exported` remembers, per chain (keyed by its folder name: the tenant id for shard 0), the head every target has; a target that failed is tried again next time. A
 * chain that went backwards is never signed (that would bless the tampering): it is logged as an error.
 */
export async function exportCheckpoints(
  knex: Knex,
  deps: { keyring: AuditKeyring; targets: CheckpointTargets; exported: Map<string, ExportedHead>; log?: Logger; now?: () => Date },
): Promise<Checkpoint[]> {
  const made: Checkpoint[] = [];
  const primary = deps.targets.stores[0];
  for (const head of await heads(knex)) {
    const chain = chainFolder(head.tenant_id, head.shard);
    if (!deps.exported.has(chain) && primary) {
      const found = await primary.latest(head.tenant_id, head.shard);
      if (found?.checkpoint) deps.exported.set(chain, { seq: found.checkpoint.seq, hash: found.checkpoint.headHash });
    }
    const signed = deps.exported.get(chain);
    if (signed && signed.seq === head.seq && signed.hash === head.hash) continue;
    const wrong = signed ? regression(head, signed) : null;
    if (wrong) {
      deps.log?.error({ tenant: head.tenant_id, shard: head.shard }, `audit chain tampered with: ${head.shard === 0 ? '' : `shard ${head.shard}: `}${wrong}; run vigil audit verify`);
      continue;
    }
    const checkpoint = signCheckpoint(deps.keyring.signing, {
      tenantId: head.tenant_id, ...(head.shard === 0 ? {} : { shard: head.shard }), seq: head.seq, headHash: head.hash, at: (deps.now ?? (() => new Date()))().toISOString(),
    });
    let failed = 0;
    for (const sink of deps.targets.sinks) {
      try {
        await sink.put(checkpoint);
      } catch (error) {
        failed += 1;
        deps.log?.error({ err: error, sink: sink.name, tenant: head.tenant_id }, 'audit checkpoint export failed; retrying next round');
      }
    }
    if (failed === 0) deps.exported.set(chain, { seq: head.seq, hash: head.hash });
    made.push(checkpoint);
  }
  return made;
}
