import { z } from 'zod';
import { authorizeType } from '../authorize.js';
import { defineRoute } from '../route.js';
import { isoDate } from '../../../contracts/index.js';
import { usageByDay } from '../../usage/index.js';

const day = isoDate();

export const usageRoutes = [
  defineRoute({
    method: 'get', path: '/v1/usage', operationId: 'getUsage', summary: 'The tenant\'s metered usage per day: events, evidence bytes, webhook deliveries', tag: 'Usage',
    query: z.strictObject({ from: day.optional().describe('First day (UTC), default 30 days ago.'), to: day.optional().describe('Last day (UTC), default today.') }),
    responses: { 200: { description: 'Counters per day and metric, and totals', schema: z.object({ from: z.string(), to: z.string(), days: z.array(z.object({ day: z.string(), metric: z.string(), value: z.number() })), totals: z.record(z.string(), z.number()) }) } },
    handler: async ({ query }, ctx) => {
      authorizeType(ctx, 'read', 'Usage');
      const to = query.to ?? new Date().toISOString().slice(0, 10);
      const from = query.from ?? new Date(Date.parse(to) - 29 * 86_400_000).toISOString().slice(0, 10);
      const days = await usageByDay(ctx.trx, ctx.principal.tenantId, from, to);
      const totals: Record<string, number> = {};
      for (const row of days) totals[row.metric] = (totals[row.metric] ?? 0) + row.value;
      return { status: 200, body: { from, to, days, totals } };
    },
  }),
];
