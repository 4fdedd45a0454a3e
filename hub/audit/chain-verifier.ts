import type { Knex } from 'knex';
import { AuditHead, AuditRecord, Tenant } from '../../models/index.js';
import { findFirstBreak, type ChainProblem, type StoredAuditRecord } from './chain.js';

export interface ChainReport {
  tenantId: string;
  records: number;
  ok: boolean;
  problem: ChainProblem | null;
}

const PAGE = 5000;

async function* recordsInOrder(knex: Knex, tenantId: string): AsyncGenerator<StoredAuditRecord> {
  let after = 0;
  for (;;) {
    const page = await AuditRecord.query(knex).where('tenant_id', tenantId).where('seq', '>', after).orderBy('seq').limit(PAGE);
    for (const row of page) yield row as unknown as StoredAuditRecord;
    if (page.length < PAGE) return;
    after = page[page.length - 1]?.seq ?? after;
  }
}

/** Recomputes one tenant's chain (or every tenant's) and names the first broken record. */
export async function verifyAuditChains(knex: Knex, tenantId?: string): Promise<ChainReport[]> {
  const tenants = tenantId ? [tenantId] : (await Tenant.query(knex).select('id').orderBy('id')).map((t) => t.id);
  const reports: ChainReport[] = [];
  for (const id of tenants) {
    const records: StoredAuditRecord[] = [];
    for await (const record of recordsInOrder(knex, id)) records.push(record);
    const head = await AuditHead.query(knex).findById(id);
    const problem = findFirstBreak(records, head ? { seq: head.seq, hash: head.hash } : undefined);
    reports.push({ tenantId: id, records: records.length, ok: problem === null, problem });
  }
  return reports;
}
