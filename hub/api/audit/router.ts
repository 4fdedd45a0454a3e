import { z } from 'zod';
import { AuditRecord, PRODUCTION } from '../../../models/index.js';
import { whereAllowed } from '../../../policies/index.js';
import { authorizeType } from '../authorize.js';
import { pageQuery, pageSchema, paginate } from '../pagination.js';
import { defineRoute } from '../route.js';

const auditSchema = z.object({
  id: z.string(),
  environment: z.string(),
  seq: z.number().int(),
  occurredAt: z.string(),
  actorType: z.string(),
  actorId: z.string(),
  action: z.string(),
  subjectType: z.string(),
  subjectId: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
  clientAddress: z.string().nullable(),
  hash: z.string(),
});

const present = (r: AuditRecord) => ({
  id: r.id, environment: r.environment, seq: r.seq, occurredAt: r.occurredAt.toISOString(), actorType: r.actorType, actorId: r.actorId, action: r.action,
  subjectType: r.subjectType, subjectId: r.subjectId, before: r.before, after: r.after, requestId: r.requestId, clientAddress: r.clientAddress, hash: r.hash,
});

export const auditRoutes = [
  defineRoute({
    method: 'get', path: '/v1/audit', operationId: 'listAudit', summary: 'The tenant\'s audit trail, newest first', tag: 'Audit',
    query: z.strictObject({ ...pageQuery, subjectType: z.string().max(50).optional(), subjectId: z.string().max(60).optional(), action: z.string().max(100).optional() }),
    responses: { 200: { description: 'A page of audit records', schema: pageSchema(auditSchema) } },
    handler: async ({ query }, ctx) => {
      authorizeType(ctx, 'read', 'AuditRecord');
      const qb = AuditRecord.forTenant(ctx.trx, ctx.principal.tenantId);
      // Production reads the tenant's whole trail; another environment reads its own records only.
      if (ctx.principal.environment !== PRODUCTION) void qb.where('audit_records.environment', ctx.principal.environment);
      if (query.subjectType) void qb.where('subject_type', query.subjectType);
      if (query.subjectId) void qb.where('subject_id', query.subjectId);
      if (query.action) void qb.where('action', query.action);
      // A grant limited by conditions (e.g. `subjectType: Incident`) narrows the rows in SQL.
      whereAllowed(qb, ctx.ability, 'read', 'AuditRecord', 'audit_records');
      const page = await paginate<AuditRecord>(qb, 'audit_records', query);
      return { status: 200, body: { data: page.rows.map(present), nextCursor: page.nextCursor } };
    },
  }),
];
