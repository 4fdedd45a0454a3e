import { z } from 'zod';
import { AppError } from '../../../contracts/index.js';
import { checkpointTargets, verifyAuditChains, type ChainReport } from '../../audit/index.js';
import { defineRoute } from '../route.js';
import type { HubServices } from '../services.js';
import type { RequestContext } from '../state.js';

const checkpointSchema = z.object({ seq: z.number().int(), at: z.string(), location: z.string() }).nullable();
const verificationSchema = z.object({
  ok: z.boolean(),
  verifiedAt: z.string(),
  records: z.number().int(),
  problem: z.object({ kind: z.string(), shard: z.number().int(), seq: z.number().int(), id: z.string(), message: z.string() }).nullable()
    .describe('The first break of any shard: an edited, deleted, inserted or reordered record, a re-hashed chain, a truncated tail, a wiped trail, an untrusted checkpoint.'),
  checkpoint: checkpointSchema.describe('The newest signed checkpoint shard 0 was held against.'),
  shards: z.array(z.object({
    shard: z.number().int(), records: z.number().int(), ok: z.boolean(), checkpoint: checkpointSchema,
    last: z.object({ seq: z.number().int(), id: z.string() }).nullable().describe('The newest record verified (before the break, if any).'),
  })),
  notes: z.array(z.string()),
});

/**
 * The verification reports on the whole trail (counts and sequence numbers of every record), so it needs a
 * grant to read every audit record: a role whose read is limited by conditions, or cut by a `cannot`, is refused.
 */
function authorizeWholeTrail(ctx: RequestContext): void {
  const rules = ctx.ability.rulesFor('read', 'AuditRecord');
  const whole = rules.some((r) => !r.inverted && !r.conditions) && !rules.some((r) => r.inverted);
  if (!whole) throw new AppError('forbidden', 'your role may not verify the audit chain: it needs to read the whole audit trail');
}

const present = (report: ChainReport, at: Date) => ({
  ok: report.ok, verifiedAt: at.toISOString(), records: report.records,
  problem: report.problem && { kind: report.problem.kind, shard: report.problem.shard ?? 0, seq: report.problem.seq, id: report.problem.id, message: report.problem.message },
  checkpoint: report.checkpoint, shards: report.shards, notes: report.notes,
});

export const auditVerificationRoutes = (services: HubServices) => [
  defineRoute({
    method: 'get', path: '/v1/audit/verification', operationId: 'verifyAuditChain', tag: 'Audit',
    summary: 'Verify the tenant\'s audit chain now, shard by shard, against its newest signed checkpoints (as `vigil audit verify` does): the last verified record of each shard, or the first break',
    responses: { 200: { description: 'The verification (ok false names the first break; the call itself succeeded)', schema: verificationSchema } },
    handler: async (_input, ctx) => {
      authorizeWholeTrail(ctx);
      const { stores } = checkpointTargets(services.config.audit, services.config.dataDir);
      const [report] = await verifyAuditChains(ctx.trx, ctx.principal.tenantId, { stores });
      if (!report) throw new AppError('internal', 'the verifier returned no report for the tenant');
      return { status: 200, body: present(report, ctx.now()), headers: { 'cache-control': 'no-store' } };
    },
  }),
];
