import { z } from 'zod';
import { commandContext } from '../command-context.js';
import { idParams } from '../common-schemas.js';
import { defineRoute, type AnyRouteSpec } from '../route.js';
import type { HubServices } from '../services.js';
import { decideTuning } from '../../commands/tuning-decider.js';
import { tuneStore, type TuningOptions } from '../../tuning/tuning-figures.js';
import { storeFor } from './rules-router.js';

const tag = 'Stores';
const params = idParams('store');

const figuresSchema = z.object({
  threshold: z.number(), events: z.number().int(), incidents: z.number().int(), incidentsPerDay: z.number(),
  verifiedKept: z.number().int(), verified: z.number().int(), recall: z.number().nullable(),
  dismissedKept: z.number().int(), dismissed: z.number().int(), precision: z.number().nullable(),
});
const ruleTuningSchema = z.object({
  rule: z.string(), type: z.string(), minConfidence: z.number(), days: z.number().int(), recallFloor: z.number(),
  current: figuresSchema, dismissReasons: z.array(z.object({ reason: z.string(), incidents: z.number().int() })),
  proposal: figuresSchema.nullable(), noProposal: z.string().nullable(), curve: z.array(figuresSchema), truncated: z.boolean(),
});
const tuningQuery = z.strictObject({ days: z.coerce.number().int().min(1).max(365).optional().describe('Days of stored events and verdicts to replay (default: the hub\'s tuning.lookbackDays)') });
const decisionBody = z.strictObject({
  rule: z.string().min(1).max(100).describe('The rule as the store shows it (its name, or its type when unnamed)'),
  minConfidence: z.number().min(0).max(1),
  decision: z.enum(['accept', 'reject']),
  reason: z.string().trim().min(1).max(2000).optional(),
  days: z.number().int().min(1).max(365).optional(),
});
const outcomeSchema = z.object({
  decision: z.enum(['accept', 'reject']), rule: z.string(), minConfidence: z.number(), figures: figuresSchema,
  storeRules: z.object({ version: z.number().int() }).passthrough().nullable(),
});

export const storeTuningRoutes = (services: Pick<HubServices, 'ruleCatalog' | 'config'>): AnyRouteSpec[] => {
  const options = (days: number | undefined): TuningOptions => ({
    days: days ?? services.config.tuning.lookbackDays, recallFloor: services.config.tuning.recallFloor,
    defaultMergeWindowSeconds: services.config.incidents.defaultMergeWindowSeconds,
  });
  return [
    defineRoute({
      method: 'get', path: '/v1/stores/:id/tuning', operationId: 'getStoreTuning', tag,
      summary: 'Each enabled rule of the store: precision and volume from reviewers\' verdicts, and the minConfidence they propose, replayed over the stored events',
      params, query: tuningQuery,
      responses: { 200: { description: 'One entry per enabled rule', schema: z.object({ data: z.array(ruleTuningSchema) }) } },
      handler: async ({ params: { id }, query }, ctx) => {
        // The figures are for whoever may change the rules: they rest on every verdict of the store.
        const store = await storeFor(ctx, id, 'update');
        return { status: 200, body: { data: await tuneStore(commandContext(ctx), store, options(query.days)) } };
      },
    }),
    defineRoute({
      method: 'post', path: '/v1/stores/:id/tuning/decisions', operationId: 'decideStoreTuning', tag,
      summary: 'Accept (saves the next version of the store\'s rules, pulled by its plugins) or reject a rule\'s minConfidence; both are audited with the replayed figures',
      params, body: decisionBody,
      responses: {
        200: { description: 'The decision and the figures it rested on', schema: outcomeSchema },
        422: { description: 'The threshold is not above the current one, or keeps recall below the floor (unprocessable)' },
      },
      handler: async ({ params: { id }, body }, ctx) => {
        const store = await storeFor(ctx, id, 'update');
        const outcome = await decideTuning(commandContext(ctx), store, body, { ...options(body.days), catalog: services.ruleCatalog });
        return { status: 200, body: outcome };
      },
    }),
  ];
};
