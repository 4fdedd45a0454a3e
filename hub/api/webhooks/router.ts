import { z } from 'zod';
import { WebhookEndpoint } from '../../../models/index.js';
import { createEndpoint, loadEndpoint, recoverFailed, resendMessage, rotateSecret, sendTestMessage, updateEndpoint } from '../../commands/endpoint-manager.js';
import { readSettings, saveSettings, setInboundSecret } from '../../commands/webhook-settings-editor.js';
import { OperatorCeiling, secretBoxFromConfig } from '../../webhooks/index.js';
import type { HubServices } from '../services.js';
import { authorize, authorizeType } from '../authorize.js';
import { commandContext } from '../command-context.js';
import { idParams } from '../common-schemas.js';
import { pageSchema, paginate, presentPage } from '../pagination.js';
import { defineRoute } from '../route.js';
import type { RequestContext } from '../state.js';
import { presentAttempt, presentDelivery, presentWebhook, type AttemptRow, type DeliveryRow } from './presenter.js';
import {
  attemptSchema, attemptsQuery, createWebhookBody, deliveriesQuery, deliverySchema, messageParams, recoverBody, rotateBody, settingsBody, testBody,
  updateWebhookBody, webhookSchema, webhookWithSecretSchema,
} from './schema.js';

const tag = 'Webhooks';

async function readable(ctx: RequestContext, id: string, lock = false): Promise<WebhookEndpoint> {
  const endpoint = await loadEndpoint(commandContext(ctx), id, lock);
  authorize(ctx, 'read', 'Webhook', endpoint);
  return endpoint;
}

/** The webhook routes; delivery options and the operator ceiling come from the hub's webhooks config section. */
export function webhookRoutes(services: Pick<HubServices, 'config'>) {
  const options = services.config.webhooks.delivery;
  const ceiling = new OperatorCeiling(services.config.webhooks.allowedPrivateRanges);
  const box = secretBoxFromConfig(services.config);
  const present = (endpoint: WebhookEndpoint) => presentWebhook(endpoint, box);
  return [
  defineRoute({
    method: 'get', path: '/v1/webhook-settings', operationId: 'getWebhookSettings', summary: 'Subnets this tenant\'s webhooks may reach despite the SSRF guard', tag,
    responses: { 200: { description: 'Settings', schema: settingsBody } },
    handler: async (_input, ctx) => {
      authorizeType(ctx, 'read', 'Webhook');
      return { status: 200, body: { allowedSubnets: await readSettings(commandContext(ctx)) } };
    },
  }),
  defineRoute({
    method: 'put', path: '/v1/webhook-settings', operationId: 'putWebhookSettings', summary: 'Allow-list private subnets (on-premises receivers such as a ServiceNow MID server)', tag,
    body: settingsBody,
    responses: { 200: { description: 'Settings', schema: settingsBody } },
    handler: async ({ body }, ctx) => {
      authorizeType(ctx, 'update', 'Webhook');
      return { status: 200, body: { allowedSubnets: await saveSettings(commandContext(ctx), body.allowedSubnets, ceiling) } };
    },
  }),
  defineRoute({
    method: 'put', path: '/v1/webhook-settings/inbound-secret', operationId: 'putInboundSecret', tag,
    summary: 'Require (or stop requiring) Standard Webhooks signatures on uploads to the hub; the new secret is shown once',
    body: z.strictObject({ required: z.boolean() }),
    responses: { 200: { description: 'The secret uploads must be signed with, or null', schema: z.object({ secret: z.string().nullable() }) } },
    handler: async ({ body }, ctx) => {
      authorizeType(ctx, 'update', 'Webhook');
      return { status: 200, body: { secret: await setInboundSecret(commandContext(ctx), body.required, box) } };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/webhooks', operationId: 'createWebhook', summary: 'Create a webhook endpoint (the answer shows its secret, once)', tag,
    body: createWebhookBody,
    responses: { 201: { description: 'Created', schema: webhookWithSecretSchema } },
    handler: async ({ body }, ctx) => {
      authorizeType(ctx, 'create', 'Webhook');
      const { endpoint, secret } = await createEndpoint(commandContext(ctx), body, box);
      return { status: 201, body: { ...present(endpoint), secret } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/webhooks', operationId: 'listWebhooks', summary: 'List webhook endpoints', tag,
    query: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().max(200).optional() }),
    responses: { 200: { description: 'A page of endpoints', schema: pageSchema(webhookSchema) } },
    handler: async ({ query }, ctx) => {
      authorizeType(ctx, 'read', 'Webhook');
      const page = await paginate(WebhookEndpoint.forTenant(ctx.trx, ctx.principal.tenantId), 'webhook_endpoints', query);
      return { status: 200, body: presentPage(page, present) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/webhooks/:id', operationId: 'getWebhook', summary: 'Get a webhook endpoint', tag,
    params: idParams('webhook'),
    responses: { 200: { description: 'The endpoint', schema: webhookSchema } },
    handler: async ({ params }, ctx) => ({ status: 200, body: present(await readable(ctx, params.id)) }),
  }),
  defineRoute({
    method: 'patch', path: '/v1/webhooks/:id', operationId: 'updateWebhook', summary: 'Update, disable or re-enable a webhook endpoint', tag,
    params: idParams('webhook'), body: updateWebhookBody,
    responses: { 200: { description: 'The endpoint', schema: webhookSchema } },
    handler: async ({ params, body }, ctx) => {
      const before = await readable(ctx, params.id, true);
      authorize(ctx, 'update', 'Webhook', before);
      return { status: 200, body: present(await updateEndpoint(commandContext(ctx), before, body, box)) };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/webhooks/:id/secret/rotate', operationId: 'rotateWebhookSecret', tag,
    summary: 'Rotate the signing secret; the old one keeps signing beside the new one during the grace period',
    params: idParams('webhook'), body: rotateBody,
    responses: { 200: { description: 'The endpoint with its new secret (shown once)', schema: webhookWithSecretSchema } },
    handler: async ({ params, body }, ctx) => {
      const before = await readable(ctx, params.id, true);
      authorize(ctx, 'update', 'Webhook', before);
      const graceMs = body.graceSeconds !== undefined ? body.graceSeconds * 1000 : options.secretGraceMs;
      const { endpoint, secret } = await rotateSecret(commandContext(ctx), before, graceMs, box);
      return { status: 200, body: { ...present(endpoint), secret } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/webhooks/:id/attempts', operationId: 'listWebhookAttempts', summary: 'Delivery attempts to this endpoint, newest first', tag,
    params: idParams('webhook'), query: attemptsQuery,
    responses: { 200: { description: 'A page of attempts', schema: pageSchema(attemptSchema) } },
    handler: async ({ params, query }, ctx) => {
      await readable(ctx, params.id);
      const qb = ctx.trx('webhook_attempts').where({ tenant_id: ctx.principal.tenantId, endpoint_id: params.id });
      if (query.messageId) void qb.where('message_id', query.messageId);
      const result = await paginate<AttemptRow>(qb, 'webhook_attempts', query);
      return { status: 200, body: { data: result.rows.map(presentAttempt), nextCursor: result.nextCursor } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/webhooks/:id/deliveries', operationId: 'listWebhookDeliveries', summary: 'Messages queued for this endpoint and their state', tag,
    params: idParams('webhook'), query: deliveriesQuery,
    responses: { 200: { description: 'A page of deliveries', schema: pageSchema(deliverySchema) } },
    handler: async ({ params, query }, ctx) => {
      await readable(ctx, params.id);
      const qb = ctx.trx('webhook_deliveries as d')
        .join('webhook_messages as m', function joinMessage() { this.on('m.tenant_id', 'd.tenant_id').andOn('m.id', 'd.message_id'); })
        .select('d.*', 'm.event_type')
        .where({ 'd.tenant_id': ctx.principal.tenantId, 'd.endpoint_id': params.id });
      if (query.status) void qb.where('d.status', query.status);
      const result = await paginate<DeliveryRow>(qb, 'd', query);
      return { status: 200, body: { data: result.rows.map(presentDelivery), nextCursor: result.nextCursor } };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/webhooks/:id/messages/:messageId/resend', operationId: 'resendWebhookMessage', summary: 'Send one message to this endpoint again (same webhook-id)', tag,
    params: messageParams,
    responses: { 202: { description: 'Queued', schema: z.object({ deliveryId: z.string() }) } },
    handler: async ({ params }, ctx) => {
      const endpoint = await readable(ctx, params.id);
      authorize(ctx, 'update', 'Webhook', endpoint);
      return { status: 202, body: { deliveryId: await resendMessage(commandContext(ctx), params.id, params.messageId) } };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/webhooks/:id/test', operationId: 'sendWebhookTest', tag,
    summary: 'Send an example message (marked test: true) of one of the endpoint\'s event types to this endpoint only',
    params: idParams('webhook'), body: testBody,
    responses: { 202: { description: 'Queued', schema: z.object({ messageId: z.string(), eventType: z.string() }) }, 409: { description: 'The endpoint is disabled' } },
    handler: async ({ params, body }, ctx) => {
      const endpoint = await readable(ctx, params.id);
      authorize(ctx, 'update', 'Webhook', endpoint);
      return { status: 202, body: await sendTestMessage(commandContext(ctx), params.id, body.eventType) };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/webhooks/:id/recover', operationId: 'recoverWebhook', summary: 'Re-deliver every failed message since a time (within the retention window)', tag,
    params: idParams('webhook'), body: recoverBody,
    responses: { 202: { description: 'Queued again', schema: z.object({ recovered: z.number() }) } },
    handler: async ({ params, body }, ctx) => {
      const endpoint = await readable(ctx, params.id);
      authorize(ctx, 'update', 'Webhook', endpoint);
      return { status: 202, body: { recovered: await recoverFailed(commandContext(ctx), params.id, new Date(body.since), options.recoverWindowMs) } };
    },
  }),
];
}
