import { z } from 'zod';
import { AppError } from '../../contracts/errors.js';

const timeoutMs = z.number().int().min(100).max(60_000).default(3000).describe('How long one alarm may take before it is given up as `retry` (ms)');
const httpUrl = z.url({ protocol: /^https?$/ }).describe('Base URL of the VMS server, e.g. http://vms.store.local:8081');
const host = z.string().min(1).max(255).describe('Host name or address of the server');
const port = z.number().int().min(1).max(65535);
const secret = z.string().max(500);
const allowSelfSignedCertificate = z.boolean().default(false)
  .describe('Accept a self-signed HTTPS certificate (the one the VMS installer generated). Off by default: it gives up server authentication');

/** Milestone XProtect Event Server, Analytics Events over TCP (Management Client > Tools > Options > Analytics Events). */
export const milestoneConfigSchema = z.strictObject({
  adapter: z.literal('milestone'),
  host,
  port: port.default(9090).describe('Analytics Events port of the Event Server (9090 unless changed in Options)'),
  eventMessage: z.string().min(1).max(200).describe('The analytics event name defined in the Management Client: sent as EventHeader/Message'),
  vendorName: z.string().min(1).max(100).default('Vigil'),
  timeoutMs,
});

/** Milestone XProtect REST Events API (API Gateway, XProtect 2023 R2 or later). */
export const milestoneRestConfigSchema = z.strictObject({
  adapter: z.literal('milestone-rest'),
  url: httpUrl,
  username: z.string().min(1).max(200).describe('A basic user of the XProtect system'),
  password: secret,
  eventTypeId: z.uuid().describe('Id of the user-defined or analytics event type to trigger (GET /api/rest/v1/eventTypes)'),
  allowSelfSignedCertificate,
  timeoutMs,
});

/** Milestone XProtect Generic Events: a plain string on the generic events data source port. */
export const milestoneGenericConfigSchema = z.strictObject({
  adapter: z.literal('milestone-generic'),
  host,
  port: port.default(1234).describe('Port of the generic events data source (1234 by default)'),
  template: z.string().min(1).max(1000).default('Vigil:{type}:{camera}')
    .describe('The string sent; {type} {camera} {cameraId} {id} {severity} {store} {lane} {title} are replaced'),
  terminator: z.string().max(8).default('\r\n').describe('Separator bytes that end a record (the data source default is CR LF)'),
  timeoutMs,
});

/** Genetec Security Center Web SDK role. */
export const genetecConfigSchema = z.strictObject({
  adapter: z.literal('genetec'),
  url: httpUrl.describe('Web SDK base, e.g. https://sc.store.local:4590/WebSdk'),
  username: z.string().min(1).max(200),
  password: secret,
  applicationId: z.string().min(1).max(200).describe('The SDK certificate application id: the Web SDK user is `username;applicationId`'),
  customEventId: z.number().int().min(0).describe('The custom event (System > General settings > Custom events) raised on the camera'),
  addBookmark: z.boolean().default(true).describe('Also add a bookmark with the incident link on the camera'),
  allowSelfSignedCertificate,
  timeoutMs,
});

/** Nx Witness (and rebrands: DW Spectrum, Wisenet WAVE) Media Server. */
export const nxConfigSchema = z.strictObject({
  adapter: z.literal('nx'),
  url: httpUrl.describe('Media Server base, e.g. https://nx.store.local:7001'),
  username: z.string().min(1).max(200),
  password: secret,
  api: z.enum(['legacy', 'rest']).default('legacy').describe('legacy: GET /api/createEvent (Digest); rest: POST /rest/v{n}/events/generic (bearer session)'),
  restVersion: z.number().int().min(1).max(9).default(3).describe('The n of /rest/v{n} for api: rest'),
  source: z.string().min(1).max(100).default('Vigil').describe('Generic event source: the rule filters on it'),
  allowSelfSignedCertificate,
  timeoutMs,
});

export const vmsConfigSchema = z.discriminatedUnion('adapter', [
  milestoneConfigSchema,
  milestoneRestConfigSchema,
  milestoneGenericConfigSchema,
  genetecConfigSchema,
  nxConfigSchema,
]);

export type VmsConfig = z.infer<typeof vmsConfigSchema>;
export type VmsConfigInput = z.input<typeof vmsConfigSchema>;
export type MilestoneConfig = z.infer<typeof milestoneConfigSchema>;
export type MilestoneRestConfig = z.infer<typeof milestoneRestConfigSchema>;
export type MilestoneGenericConfig = z.infer<typeof milestoneGenericConfigSchema>;
export type GenetecConfig = z.infer<typeof genetecConfigSchema>;
export type NxConfig = z.infer<typeof nxConfigSchema>;
export type VmsAdapterKind = VmsConfig['adapter'];

/** An adapter's own config as a caller may write it: defaults may be left out, `adapter` too. */
export type AdapterInput<T extends { adapter: string }> = Omit<T, 'adapter'> & { adapter?: T['adapter'] };

/** Validates a config against its schema; `config_invalid` lists every problem. */
export function parseVmsConfig<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(vms)'}: ${i.message}`);
  throw new AppError('config_invalid', `invalid VMS configuration: ${problems.join('; ')}`, { details: { problems } });
}

export type MilestoneConfigInput = AdapterInput<z.input<typeof milestoneConfigSchema>>;
export type MilestoneRestConfigInput = AdapterInput<z.input<typeof milestoneRestConfigSchema>>;
export type MilestoneGenericConfigInput = AdapterInput<z.input<typeof milestoneGenericConfigSchema>>;
export type GenetecConfigInput = AdapterInput<z.input<typeof genetecConfigSchema>>;
export type NxConfigInput = AdapterInput<z.input<typeof nxConfigSchema>>;
