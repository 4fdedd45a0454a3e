import { z } from 'zod';
import { idSchema } from '../../contracts/index.js';
import { parseRuleSettings, ruleNames, timeZoneSchema } from '../rules/index.js';
import { zoneSchema } from '../tracking/index.js';
import { posConfigSchema } from '../pos/index.js';
import { vmsConfigSchema } from '../../adapters/vms/index.js';

const rtspUrl = z
  .string()
  .refine((s) => /^rtsps?:\/\//i.test(s) && URL.canParse(s), 'must be an rtsp:// or rtsps:// URL')
  .describe('RTSP URL; credentials may be embedded (rtsp://user:pass@host/path) and are never logged');
const seconds = (max: number) => z.number().min(0).max(max);

const zonesSchema = z
  .array(zoneSchema)
  .max(64)
  .default([])
  .superRefine((zones, ctx) => {
    const seen = new Set<string>();
    zones.forEach((zone, i) => {
      if (seen.has(zone.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `zone name "${zone.name}" is used twice on this camera` });
      seen.add(zone.name);
    });
  })
  .describe('Zones of this camera, polygons in normalised frame coordinates (0..1)');

const vmsCameraSchema = z
  .strictObject({
    id: z.string().trim().min(1).max(200).optional().describe('The VMS’s own id of the camera: Milestone camera GUID, Genetec entity GUID, Nx device id'),
    name: z.string().trim().min(1).max(200).optional().describe('The camera’s name in the VMS (Milestone can address an event source by name)'),
  })
  .refine((v) => v.id !== undefined || v.name !== undefined, { message: 'name the camera in the VMS by id or by name' })
  .describe('How the VMS names this camera, so its alarms land on the right camera in the operator’s console');

const explicitCameraSchema = z.strictObject({
  id: idSchema('camera').describe('The camera id registered at the hub (cam_…)'),
  storeId: idSchema('store').describe('Store the camera belongs to (sto_…)'),
  laneId: idSchema('lane').optional().describe('Checkout lane the camera watches (lan_…), if any'),
  name: z.string().min(1).max(100).optional().describe('Human name for logs'),
  analysisUrl: rtspUrl.describe('Stream decoded for detection, usually the sub-stream'),
  evidenceUrl: rtspUrl.optional().describe('Stream recorded for evidence clips; defaults to analysisUrl'),
  transport: z.enum(['tcp', 'udp']).default('tcp').describe('RTSP lower transport; TCP survives lossy links and NAT'),
  zones: zonesSchema,
  vms: vmsCameraSchema.optional(),
});

const discoveredCameraSchema = z.strictObject({
  endpoint: z.string().min(1).max(200).describe('WS-Discovery endpoint address of the device (urn:uuid:…), as `vigil discover` prints it'),
  id: idSchema('camera').describe('The camera id registered at the hub for this device (cam_…)'),
  laneId: idSchema('lane').optional().describe('Checkout lane the camera watches (lan_…), if any'),
  videoSource: z.union([z.string().min(1).max(64), z.number().int().min(1).max(256)]).optional()
    .describe('Video source (NVR channel) of the device: its token or 1-based index as `vigil discover` lists them; the first when absent'),
  certificateSha256: z.string().regex(/^([0-9a-fA-F]{2}:?){31}[0-9a-fA-F]{2}$/).optional()
    .describe('SHA-256 fingerprint of the device\'s https certificate (self-signed cameras), trusted instead of the CAs'),
  zones: zonesSchema,
  vms: vmsCameraSchema.optional(),
});

const probeTargetSchema = z.strictObject({
  host: z.string().min(1).max(253).describe('Host or IP to probe by unicast'),
  port: z.number().int().min(1).max(65_535).default(3702).describe('WS-Discovery port'),
});

const discoverySchema = z
  .strictObject({
    storeId: idSchema('store').describe('Store every discovered camera belongs to (sto_…)'),
    probeTargets: z.array(probeTargetSchema).max(256).default([]).describe('Unicast probe targets; empty probes the multicast group 239.255.255.250:3702 on every IPv4 interface (or those in interfaces)'),
    interfaces: z.array(z.string().min(1).max(64)).max(32).default([]).describe('IPv4 interfaces (names like eth1, or local addresses) multicast probes go out on; empty: every IPv4 interface'),
    deviceEvents: z.boolean().default(true).describe('Subscribe to each device\'s ONVIF events (PullPoint): its motion opens the motion gate, its tamper alarms go to camera health'),
    timeoutMs: z.number().int().min(500).max(60_000).default(3_000).describe('How long to collect probe answers'),
    credentials: z
      .strictObject({
        username: z.string().min(1).max(100).describe('ONVIF user'),
        password: z.string().min(1).max(200).describe('ONVIF password; never logged'),
      })
      .optional()
      .describe('ONVIF credentials used for every discovered device'),
    cameras: z.array(discoveredCameraSchema).max(512).default([]).describe('Which discovered devices to use, under which camera ids; others are listed and ignored'),
    retry: z
      .strictObject({
        initialMs: z.number().int().min(100).max(600_000).default(5_000).describe('First wait before a missing camera is looked for again'),
        maxMs: z.number().int().min(100).max(3_600_000).default(300_000).describe('Longest wait between attempts (backoff doubles up to it)'),
      })
      .prefault({})
      .describe('Cameras missing at start (booting after the plugin, powered off) are looked for again until they appear'),
  })
  .describe('Find cameras by ONVIF WS-Discovery');

const modelSchema = z
  .strictObject({
    path: z.string().min(1).describe('ONNX model file'),
    decoder: z.enum(['nanodet', 'yolov8']).describe('Output decoder matching the model'),
    manifestPath: z.string().min(1).optional().describe('Model manifest (input size, normalisation, classes); its decoder must match'),
    scoreThreshold: z.number().min(0).max(1).optional().describe('Minimum detection score; the manifest default when absent'),
    classThresholds: z.record(z.string().min(1).max(64), z.number().min(0).max(1)).default({}).describe('Per-class score thresholds'),
    workers: z.number().int().min(1).max(16).default(1).describe('Inference worker threads'),
  })
  .describe('The detection model');

/**
 * One configured rule: its type, how incidents name it, where it runs, and the type's own settings (thresholds,
 * zone types, windows) checked by that type's schema in plugin/rules, the one place a rule's settings are defined.
 */
export const ruleConfigSchema = z
  .looseObject({
    rule: z.string().min(1).max(64).describe(`The rule type: one of ${ruleNames().join(', ')}`),
    name: z.string().min(1).max(100).optional().describe('Name shown on incidents; defaults to the rule type'),
    cameras: z.array(idSchema('camera')).min(1).optional().describe('Cameras the rule runs on; all cameras when absent'),
  })
  .transform((entry, ctx) => {
    const { rule, name, cameras, ...raw } = entry;
    const settings = parseRuleSettings(rule, raw);
    if (!settings.success) {
      for (const issue of settings.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
      return z.NEVER;
    }
    return { rule, name, cameras, settings: settings.data };
  })
  .describe('A loss-prevention rule; the other fields are the settings of its type (see docs/rules.md)');

const hubSchema = z
  .strictObject({
    url: z.url({ protocol: /^https?$/ }).describe('Base URL of the Vigil hub (VIGIL_HUB_URL)'),
    token: z
      .string()
      .regex(/^vgl_[A-Za-z0-9_-]{16,200}$/, 'must be a vgl_… API token of the plugin’s service identity')
      .describe('API token of the plugin’s service identity (VIGIL_HUB_TOKEN); never printed'),
    timeoutMs: z.number().int().min(1_000).max(120_000).default(15_000).describe('Timeout of one hub request'),
    consoleUrl: z.url({ protocol: /^https?$/ }).optional()
      .describe('Where reviewers open the hub’s console, for the incident link in VMS alarms (defaults to url; set it when the plugin reaches the hub by an internal address)'),
    rulesPollSeconds: z.number().int().min(5).max(86_400).default(60).describe('How often the store rules are pulled from the hub (a conditional GET: unchanged costs a 304)'),
  })
  .describe('Where events go');

const GIB = 1024 ** 3;

/** Where `vigil plugin status` looks when given no --url: the health endpoint's default port on loopback. */
export const DEFAULT_HEALTH_PORT = 8788;

/** `vigil plugin --config FILE`: the edge program's whole configuration. */
export const pluginConfigSchema = z
  .strictObject({
    hub: hubSchema,
    dataDir: z.string().min(1).default('./.vigil-plugin').describe('Outbox and recordings live here (VIGIL_DATA_DIR)'),
    logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino level (VIGIL_LOG_LEVEL)'),
    timezone: timeZoneSchema.default('UTC').describe('IANA time zone of the store, for rule hours (VIGIL_TIMEZONE)'),
    cameras: z.array(explicitCameraSchema).max(512).default([]).describe('Cameras given explicitly by RTSP URL'),
    discovery: discoverySchema.optional(),
    model: modelSchema,
    rules: z.array(ruleConfigSchema).max(256).default([]).describe('Loss-prevention rules; the hub’s store rules replace them once it has any (GET /v1/stores/{id}/rules)'),
    pos: posConfigSchema.optional().describe('The lanes’ POS: journals over TCP, POSLog/JSON over HTTP, workstation-to-lane binding and clock offsets (docs/pos.md)'),
    vms: vmsConfigSchema.optional().describe('Alarms in the operators’ VMS console: Milestone, Genetec or Nx (docs/vms/)'),
    analysis: z
      .strictObject({
        fps: z.number().min(0.5).max(30).default(5).describe('Frames per second decoded for analysis (VIGIL_ANALYSIS_FPS)'),
        width: z.number().int().min(64).max(3840).default(640).describe('Width of analysis frames'),
        height: z.number().int().min(64).max(2160).default(360).describe('Height of analysis frames'),
      })
      .prefault({})
      .describe('Analysis stream decoding'),
    evidence: z
      .strictObject({
        preSeconds: seconds(120).default(5).describe('Video kept before the moment a rule fires'),
        postSeconds: seconds(120).default(5).describe('Video kept after it'),
        windowSeconds: z.number().min(10).max(3_600).default(60).describe('Recording ring buffer per camera'),
        maxBytesPerCamera: z.number().int().min(1_000_000).max(64 * GIB).default(256 * 1024 ** 2).describe('Disk cap of one camera’s ring buffer'),
      })
      .prefault({})
      .refine((e) => e.preSeconds + e.postSeconds <= e.windowSeconds, { message: 'preSeconds + postSeconds must fit in windowSeconds', path: ['windowSeconds'] })
      .describe('Evidence clips'),
    outbox: z
      .strictObject({
        maxBytes: z.number().int().min(1_000_000).max(1024 * GIB).default(GIB).describe('Disk bound of the outbox; new events are refused beyond it (VIGIL_OUTBOX_MAX_BYTES)'),
        warnRatio: z.number().min(0.1).max(1).default(0.8).describe('Health warns above this fraction of maxBytes'),
        drainTimeoutMs: z.number().int().min(0).max(300_000).default(10_000).describe('On stop, how long to keep sending what is pending'),
      })
      .prefault({})
      .describe('Durable queue towards the hub'),
    health: z
      .strictObject({
        host: z.enum(['127.0.0.1', '::1', 'localhost']).default('127.0.0.1').describe('Loopback only: the endpoint has no authentication'),
        port: z.number().int().min(1).max(65_535).default(DEFAULT_HEALTH_PORT).describe('TCP port of GET /healthz'),
      })
      .optional()
      .describe('Local read-only health endpoint (GET /healthz) that `vigil plugin status` and supervisors read; off when absent'),
  })
  .superRefine(checkReferences, { when: (payload) => typeof payload.value === 'object' && payload.value !== null });

export type PluginConfig = z.output<typeof pluginConfigSchema>;
export type PluginConfigInput = z.input<typeof pluginConfigSchema>;
export type RuleConfig = z.output<typeof ruleConfigSchema>;

interface ZoneRef {
  readonly name: unknown;
  readonly type: unknown;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const field = (value: unknown, key: string): unknown => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined);

/**
 * Cross-field checks: unique camera ids, a camera source, rules that can ever fire. They run even when
 * fields have errors (`when` below), so one load lists every problem; hence the defensive reads.
 */
function checkReferences(config: unknown, ctx: z.RefinementCtx): void {
  const zonesById = new Map<unknown, ZoneRef[]>();
  const note = (path: PropertyKey[], camera: unknown): void => {
    const id = field(camera, 'id');
    if (typeof id !== 'string') return;
    if (zonesById.has(id)) ctx.addIssue({ code: 'custom', path, message: `camera id ${id} is configured twice` });
    zonesById.set(id, list(field(camera, 'zones')) as ZoneRef[]);
  };
  list(field(config, 'cameras')).forEach((camera, i) => note(['cameras', i, 'id'], camera));
  const discovery = field(config, 'discovery');
  list(field(discovery, 'cameras')).forEach((camera, i) => note(['discovery', 'cameras', i, 'id'], camera));
  if (list(field(config, 'cameras')).length === 0 && discovery === undefined) {
    ctx.addIssue({ code: 'custom', path: ['cameras'], message: 'configure at least one camera, or discovery' });
  }
  list(field(config, 'rules')).forEach((rule, i) => checkRule(rule, i, zonesById, ctx));
}

function checkRule(rule: unknown, i: number, zonesById: Map<unknown, ZoneRef[]>, ctx: z.RefinementCtx): void {
  const cameras = field(rule, 'cameras');
  // Parsed entries keep the type's settings under `settings`; unparsed ones (a load with errors) hold them inline.
  const settings = field(rule, 'settings') ?? rule;
  const zoneType = field(settings, 'zoneType');
  if (typeof zoneType !== 'string') return;
  list(cameras).forEach((id, j) => {
    if (!zonesById.has(id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'cameras', j], message: `camera ${String(id)} is not configured` });
  });
  const targets = Array.isArray(cameras) ? cameras : [...zonesById.keys()];
  const zones = targets.flatMap((id) => zonesById.get(id) ?? []).filter((zone) => field(zone, 'type') === zoneType);
  if (zonesById.size > 0 && zones.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['rules', i, 'zoneType'], message: `no camera of this rule has a zone of type ${zoneType}, so it could never fire` });
  }
  list(field(settings, 'zones')).forEach((name, j) => {
    if (!zones.some((zone) => field(zone, 'name') === name)) {
      ctx.addIssue({ code: 'custom', path: ['rules', i, 'zones', j], message: `no ${zoneType} zone named "${String(name)}" on the rule's cameras` });
    }
  });
}
