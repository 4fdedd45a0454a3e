import { z } from 'zod';
import { serviceNowAuthSchema, serviceNowConfigSchema } from '../../../adapters/ticketing/servicenow/index.js';
import { WEBHOOK_EVENT_TYPES, WEBHOOK_FORMATS } from '../../webhooks/index.js';
import { timestamp } from '../common-schemas.js';
import { pageQuery } from '../pagination.js';
import { isoDateTime } from '../../../contracts/index.js';

// Headers the engine sets itself; an endpoint's custom headers may not replace them.
const RESERVED_HEADERS = /^(webhook-|content-(type|length)$|host$|transfer-encoding$|connection$|user-agent$)/i;

const headersSchema = z
  .record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a header name').refine((n) => !RESERVED_HEADERS.test(n), 'is set by Vigil itself'), z.string().max(1000).regex(/^[^\r\n]*$/, 'must be one line'))
  .refine((h) => Object.keys(h).length <= 20, 'at most 20 custom headers')
  .describe('Extra headers sent with every request (e.g. an API key the receiver expects).');

// zod's URL check is looser than WHATWG parsing (an IPv6 zone id such as [fe80::1%25eth0] passes it but
// `new URL` throws), so every later check parses safely and refuses what does not parse.
const parsedUrl = (u: string): URL | null => (URL.canParse(u) ? new URL(u) : null);

const url = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2000)
  .refine((u) => !/^[a-z]+:\/\/[^/]*\[[^\]]*%/i.test(u), 'must not carry an IPv6 zone id')
  .refine((u) => parsedUrl(u) !== null, 'must be a valid URL')
  .refine((u) => !parsedUrl(u)?.username && !parsedUrl(u)?.password, 'must not carry credentials; use custom headers');

export const createWebhookBody = z.strictObject({
  url,
  description: z.string().max(500).default(''),
  eventTypes: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).max(WEBHOOK_EVENT_TYPES.length),
  format: z.enum(WEBHOOK_FORMATS).default('standard').describe('standard (Standard Webhooks JSON), teams, slack (workforce task cards), servicenow (Table API).'),
  fullPayload: z.boolean().default(false).describe('Send full data instead of ids and links.'),
  shadowTraffic: z.boolean().default(false).describe('Receive the incidents of pilot programs in shadow mode (no other endpoint does).'),
  enabled: z.boolean().default(true),
  rateLimitPerSecond: z.number().int().min(1).max(10000).nullable().default(null),
  headers: headersSchema.default({}),
  taskDueMinutes: z.number().int().min(1).max(1440).optional().describe('teams/slack: the task is due this many minutes after the message.'),
  servicenow: serviceNowConfigSchema.optional().describe('Required when format is servicenow; url is then the instance base URL.'),
}).refine((b) => b.format !== 'servicenow' || b.servicenow !== undefined, { message: 'format servicenow needs a servicenow configuration', path: ['servicenow'] });

export const updateWebhookBody = z.strictObject({
  url: url.optional(),
  description: z.string().max(500).optional(),
  eventTypes: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).optional(),
  fullPayload: z.boolean().optional(),
  shadowTraffic: z.boolean().optional(),
  enabled: z.boolean().optional().describe('Re-enabling clears the disabled reason and the failing streak.'),
  rateLimitPerSecond: z.number().int().min(1).max(10000).nullable().optional(),
  headers: headersSchema.optional(),
  taskDueMinutes: z.number().int().min(1).max(1440).optional(),
  servicenow: serviceNowConfigSchema.optional().describe('Replaces the whole ServiceNow configuration (table, credentials, field mapping, severity map).'),
  servicenowAuth: serviceNowAuthSchema.optional().describe('Replaces only the ServiceNow credentials of a servicenow endpoint; its table, field mapping and severity map stay.'),
}).refine((b) => b.servicenow === undefined || b.servicenowAuth === undefined, { message: 'send servicenow or servicenowAuth, not both', path: ['servicenowAuth'] });

export const rotateBody = z.strictObject({
  graceSeconds: z.number().int().min(0).max(7 * 24 * 3600).optional().describe('How long the previous secret keeps signing (default 24 h).'),
});

export const testBody = z.strictObject({ eventType: z.enum(WEBHOOK_EVENT_TYPES).optional().describe('One of the endpoint\'s event types (default its first).') });

export const recoverBody = z.strictObject({ since: isoDateTime().describe('Re-deliver every failed message created since this time.') });

export const settingsBody = z.strictObject({
  allowedSubnets: z.array(z.cidrv4().or(z.cidrv6())).max(100).describe('Private subnets webhooks of this tenant may reach (on-premises receivers).'),
});

export const attemptsQuery = z.strictObject({ ...pageQuery, messageId: z.string().max(40).optional() });
export const deliveriesQuery = z.strictObject({ ...pageQuery, status: z.enum(['pending', 'succeeded', 'failed', 'aborted', 'skipped']).optional() });
export const messageParams = z.strictObject({ id: z.string().regex(/^whk_[0-9a-z]{10,40}$/), messageId: z.string().regex(/^msg_[0-9a-z]{10,40}$/) });

export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string(),
  eventTypes: z.array(z.string()),
  format: z.string(),
  fullPayload: z.boolean(),
  shadowTraffic: z.boolean(),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  rateLimitPerSecond: z.number().nullable(),
  headers: z.record(z.string(), z.string()),
  failingSince: timestamp.nullable(),
  previousSecretExpiresAt: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const webhookWithSecretSchema = webhookSchema.extend({ secret: z.string().describe('Shown once. Verify deliveries with it.') });

export const attemptSchema = z.object({
  id: z.string(), deliveryId: z.string(), messageId: z.string(), attempt: z.number(), outcome: z.string(), statusCode: z.number().nullable(),
  latencyMs: z.number(), responseExcerpt: z.string().nullable(), error: z.string().nullable(), at: timestamp,
});

export const deliverySchema = z.object({
  id: z.string(), messageId: z.string(), eventType: z.string(), status: z.string(), attemptCount: z.number(), nextAttemptAt: timestamp,
  lastStatusCode: z.number().nullable(), createdAt: timestamp,
});
