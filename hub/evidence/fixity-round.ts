import type { Knex } from 'knex';
import type { EvidenceStore } from '../../contracts/index.js';
import { environmentScopes, type TenantScope } from '../../models/index.js';
import type { CommandContext } from '../audit/index.js';
import { checkFixity, itemsDueFixity, recordFixity } from './fixity.js';
import { tenantTransaction } from './tenant-transaction.js';

export interface FixityRoundOptions {
  now?: Date;
  /** An item is checked again once its last check is this old. */
  recheckAfterMs?: number;
  batchSize?: number;
  tenantId?: string;
  signal?: AbortSignal;
}

export interface FixityRoundReport {
  checked: number;
  failed: number;
  unreadable: number;
  failures: Array<{ tenantId: string; itemId: string; problem: string | null }>;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const fixityActor = { type: 'system' as const, id: 'fixity' };

/**
 * One batch of one environment of a tenant, as the runtime role (row-level security keeps it there, and an
 * integrity incident opens in the item's own environment): claims due items (SKIP LOCKED, so workers
 * share), re-reads and records them.
 */
async function checkBatch(knex: Knex, store: EvidenceStore, scope: TenantScope, now: Date, options: FixityRoundOptions, report: FixityRoundReport): Promise<number> {
  const { tenantId, environment } = scope;
  return tenantTransaction(knex, scope, async (trx) => {
    const due = await itemsDueFixity(trx, tenantId, new Date(now.getTime() - (options.recheckAfterMs ?? DAY_MS)), options.batchSize ?? 50);
    const ctx: CommandContext = { actor: fixityActor, tenantId, environment, requestId: null, clientAddress: null, trx, now: () => now };
    for (const item of due) {
      const result = await checkFixity(store, item);
      await recordFixity(ctx, item, result, 'schedule');
      report.checked += 1;
      if (result.ok) continue;
      report.failed += 1;
      if (result.problem === 'unreadable') report.unreadable += 1;
      report.failures.push({ tenantId, itemId: item.id, problem: result.problem });
    }
    return due.length;
  });
}

/**
 * The scheduled fixity check: every item whose last check is older than `recheckAfterMs` (default a day)
 * is re-read from storage and compared with its acquisition hash; each failure is audited and opens an
 * integrity incident. The round's figures go to `evidence_fixity_runs` for health and metrics.
 */
export async function runFixityRound(knex: Knex, store: EvidenceStore, options: FixityRoundOptions = {}): Promise<FixityRoundReport> {
  const now = options.now ?? new Date();
  const report: FixityRoundReport = { checked: 0, failed: 0, unreadable: 0, failures: [] };
  for (const scope of await environmentScopes(knex, options.tenantId)) {
    while (!options.signal?.aborted) {
      if ((await checkBatch(knex, store, scope, now, options, report)) === 0) break;
    }
  }
  await knex('evidence_fixity_runs').insert({ started_at: now, finished_at: new Date(), checked: report.checked, failed: report.failed, unreadable: report.unreadable });
  return report;
}

export interface FixityStatus {
  lastRunAt: string | null;
  lastRunChecked: number;
  lastRunFailed: number;
  /** Failures of the latest round; 0 when intact or never run. */
  status: 'ok' | 'failing' | 'never_run';
}

/** Hub-wide figures of the latest fixity round (no tenant in them: /healthz and /metrics are public). */
export async function fixityStatus(knex: Knex): Promise<FixityStatus> {
  const last = await knex('evidence_fixity_runs').orderBy('id', 'desc').first<{ finished_at: Date; checked: number; failed: number } | undefined>('finished_at', 'checked', 'failed');
  if (!last) return { lastRunAt: null, lastRunChecked: 0, lastRunFailed: 0, status: 'never_run' };
  return { lastRunAt: last.finished_at.toISOString(), lastRunChecked: Number(last.checked), lastRunFailed: Number(last.failed), status: Number(last.failed) > 0 ? 'failing' : 'ok' };
}
