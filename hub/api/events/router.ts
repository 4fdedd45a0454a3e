import { z } from 'zod';
import { eventEnvelopeSchema, eventResultSchema } from '../../../contracts/index.js';
import { ingestEvents } from '../../commands/event-ingester.js';
import { authorizeType } from '../authorize.js';
import { commandContext } from '../command-context.js';
import { defineRoute } from '../route.js';
import type { HubServices } from '../services.js';

const responseSchema = z.object({
  results: z.array(eventResultSchema),
  created: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.number().int(),
});

export const eventRoutes = (services: HubServices) => [
  defineRoute({
    method: 'post', path: '/v1/events', operationId: 'ingestEvents', tag: 'Events',
    summary: 'Post a batch of up to 500 detection events (idempotent on each event id; each event validated and refused on its own in the per-item results)',
    body: eventEnvelopeSchema,
    bodyLimit: services.config.http.eventsBodyLimitBytes,
    responses: { 200: { description: 'Per-item results, in the order sent', schema: responseSchema } },
    handler: async ({ body }, ctx) => {
      authorizeType(ctx, 'ingest', 'Event');
      const summary = await ingestEvents(commandContext(ctx), body.events, {
        ability: ctx.ability,
        sourceId: ctx.principal.principalId,
        defaultMergeWindowSeconds: services.config.incidents.defaultMergeWindowSeconds,
        posCorrelationWindowSeconds: services.config.pos.correlationWindowSeconds,
      });
      services.metrics.eventsIngested.inc({ status: 'created' }, summary.created);
      services.metrics.eventsIngested.inc({ status: 'duplicate' }, summary.duplicates);
      services.metrics.eventsIngested.inc({ status: 'rejected' }, summary.rejected);
      services.metrics.incidentsCreated.inc(summary.incidentsCreated.length);
      const { results, created, duplicates, rejected } = summary;
      return { status: 200, body: { results, created, duplicates, rejected } };
    },
  }),
];
