import { z } from 'zod';

/** How Vigil authenticates to the instance: basic (user name and password) or an OAuth bearer token. */
export const serviceNowAuthSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('basic'), username: z.string().min(1), password: z.string().min(1) }),
  z.strictObject({ type: z.literal('bearer'), token: z.string().min(1).describe('An OAuth access token issued by the instance (oauth_token.do).') }),
]);

/** How one ServiceNow instance is reached and how Vigil's incident fields map to its incident table. */
export const serviceNowConfigSchema = z.strictObject({
  table: z.string().regex(/^[a-z0-9_]+$/).default('incident'),
  auth: serviceNowAuthSchema,
  /** ServiceNow field -> template; `{{path}}` reads the Vigil message data (e.g. `{{storeId}}`, `{{links.self}}`). */
  fields: z.record(z.string().regex(/^[a-z0-9_]+$/), z.string().max(2000)).default({
    short_description: 'Vigil {{type}} ({{severity}}) at store {{storeId}}',
    description: 'Vigil incident {{id}} on camera {{cameraId}}, lane {{laneId}}. {{links.self}}',
    correlation_id: '{{id}}',
    correlation_display: 'Vigil',
  }),
  /** Vigil severity -> ServiceNow urgency and impact (1 high .. 3 low). */
  severityMap: z.record(z.string(), z.strictObject({ urgency: z.string(), impact: z.string() })).default({
    critical: { urgency: '1', impact: '1' },
    high: { urgency: '1', impact: '2' },
    medium: { urgency: '2', impact: '2' },
    low: { urgency: '3', impact: '3' },
  }),
  resolvedState: z.string().default('6').describe('ServiceNow state value for Resolved.'),
  closeCode: z.string().default('Solved (Permanently)'),
});

export type ServiceNowConfig = z.infer<typeof serviceNowConfigSchema>;
export type ServiceNowConfigInput = z.input<typeof serviceNowConfigSchema>;
