import { PosIncidentLink, PosTransactionRow } from '../../../models/index.js';
import { recordOf, whereAllowed } from '../../../policies/index.js';
import { idParams } from '../common-schemas.js';
import { hiddenFields } from '../field-filter.js';
import { pageSchema, paginate, presentPage } from '../pagination.js';
import { loadAuthorized } from '../resource-routes.js';
import { defineRoute } from '../route.js';
import type { RequestContext } from '../state.js';
import { presentIncidentPos, presentPosDetail, presentPosTransaction } from './presenter.js';
import { listPosTransactionsQuery, posTransactionDetailSchema, posTransactionItemSchema } from './schema.js';

const tag = 'POS';

/**
 * The POS transactions linked to an incident that the caller may read, oldest first: what
 * `GET /v1/incidents/{id}` shows as `pos` (the caller has already been allowed to read the incident).
 */
export async function incidentPos(ctx: RequestContext, incidentId: string): Promise<Array<ReturnType<typeof presentIncidentPos>>> {
  const links = await PosIncidentLink.forTenant(ctx.trx, ctx.principal.tenantId).where('incident_id', incidentId).select('pos_transaction_id', 'reason');
  if (links.length === 0) return [];
  const reasonOf = new Map(links.map((l) => [l.posTransactionId, l.reason]));
  const rows = await PosTransactionRow.forTenant(ctx.trx, ctx.principal.tenantId).whereIn('pos_transactions.id', [...reasonOf.keys()]).orderBy('begin_at').orderBy('id');
  const isOperatorHidden = hiddenFields(ctx, 'Incident', ['operatorId']).length > 0;
  return rows
    .filter((row) => ctx.ability.can('read', recordOf('PosTransaction', { ...row })))
    .map((row) => presentIncidentPos(row, reasonOf.get(row.id) ?? 'same_lane_window', isOperatorHidden));
}

export const posReadRoutes = [
  defineRoute({
    method: 'get', path: '/v1/pos/transactions', operationId: 'listPosTransactions', tag,
    summary: 'List POS transactions (by store, lane, begin time, exceptions; filtered by what the caller may see, in SQL)',
    query: listPosTransactionsQuery,
    responses: { 200: { description: 'A page of POS transactions, newest first', schema: pageSchema(posTransactionItemSchema) } },
    handler: async ({ query }, ctx) => {
      const qb = PosTransactionRow.forTenant(ctx.trx, ctx.principal.tenantId);
      if (query.storeId) void qb.where('pos_transactions.store_id', query.storeId);
      if (query.laneId) void qb.where('pos_transactions.lane_id', query.laneId);
      if (query.from) void qb.where('pos_transactions.begin_at', '>=', new Date(query.from));
      if (query.to) void qb.where('pos_transactions.begin_at', '<', new Date(query.to));
      if (query.exception !== undefined) void qb.whereRaw(query.exception ? 'cardinality(pos_transactions.exceptions) > 0' : 'cardinality(pos_transactions.exceptions) = 0');
      whereAllowed(qb, ctx.ability, 'read', 'PosTransaction', 'pos_transactions');
      const page = await paginate<PosTransactionRow>(qb, 'pos_transactions', query);
      return { status: 200, body: presentPage(page, presentPosTransaction) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/pos/transactions/:id', operationId: 'getPosTransaction', tag,
    summary: 'Get a POS transaction with its lines and the incidents it is linked to',
    params: idParams('posTransaction'),
    responses: { 200: { description: 'The POS transaction', schema: posTransactionDetailSchema } },
    handler: async ({ params }, ctx) => {
      const row = await loadAuthorized<PosTransactionRow>(ctx, PosTransactionRow, 'PosTransaction', params.id, 'read', 'POS transaction');
      const links = await PosIncidentLink.forTenant(ctx.trx, ctx.principal.tenantId).where('pos_transaction_id', row.id).orderBy('incident_id').select('incident_id');
      return { status: 200, body: presentPosDetail(row, links.map((l) => l.incidentId)) };
    },
  }),
];
