import { z } from 'zod';
import { idParams } from '../common-schemas.js';
import { defineRoute } from '../route.js';
import type { ExportRow } from '../../evidence/index.js';
import { readableIncident } from './access.js';

/** An export already made, as the list shows it: who made it, when, for whom, and the bundle's hash; never a link. */
export const exportRecordSchema = z.object({
  id: z.string(), incidentId: z.string(), redacted: z.boolean(), bytes: z.number(), sha256: z.string(), createdBy: z.string(), createdAt: z.string(),
  caseNumber: z.string().nullable(), recipient: z.string().nullable(), purpose: z.string().nullable(),
});

const present = (r: ExportRow): z.infer<typeof exportRecordSchema> => ({
  id: r.id, incidentId: r.incident_id, redacted: r.redacted, bytes: Number(r.bytes), sha256: r.sha256, createdBy: r.created_by, createdAt: r.created_at.toISOString(),
  caseNumber: r.case_number, recipient: r.recipient, purpose: r.purpose,
});

/**
 * The exports of an incident, newest first: readable by whoever may read the incident (as the export route
 * itself). Retention deletes purged bundles' rows, so every one listed is still stored.
 */
export const listIncidentExportsRoute = defineRoute({
  method: 'get', path: '/v1/incidents/:id/exports', operationId: 'listIncidentExports', tag: 'Evidence',
  summary: 'The evidence bundles already exported for an incident (custody fields and SHA-256; a download needs a new export)',
  params: idParams('incident'),
  responses: { 200: { description: 'Exports, newest first', schema: z.object({ data: z.array(exportRecordSchema) }) } },
  handler: async ({ params }, ctx) => {
    const incident = await readableIncident(ctx, params.id);
    const rows = await ctx.trx<ExportRow>('evidence_exports').where({ tenant_id: ctx.principal.tenantId, incident_id: incident.id }).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]);
    return { status: 200, body: { data: rows.map(present) } };
  },
});
