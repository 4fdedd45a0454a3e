import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import type { VmsAlarm, VmsDelivery } from '../../contracts/index.js';
import { AppError } from '../../contracts/index.js';
import {
  createVmsAdapter, listVmsCameras, proposeCameraMapping, type CameraListTarget, type LocalCamera, type VmsCamera, type VmsConfigInput,
} from '../../adapters/vms/index.js';
import { parseConfigYaml } from '../config/index.js';

const ADAPTERS = ['milestone', 'milestone-rest', 'milestone-generic', 'genetec', 'nx'] as const;
const DEFAULT_PORTS: Record<string, number> = { milestone: 9090, 'milestone-generic': 1234 };

const testAlarmOptions = z.strictObject({
  adapter: z.enum(ADAPTERS),
  target: z.string().min(1),
  camera: z.string().min(1).optional(),
  cameraId: z.string().min(1).optional(),
  user: z.string().optional(),
  password: z.string().optional(),
  eventMessage: z.string().min(1),
  eventType: z.uuid().optional(),
  customEventId: z.coerce.number().int().min(0).optional(),
  applicationId: z.string().optional(),
  api: z.enum(['legacy', 'rest']),
  restVersion: z.coerce.number().int().min(1).max(9),
  template: z.string().optional(),
  timeout: z.coerce.number().int().min(100).max(60_000),
  allowSelfSigned: z.boolean().optional(),
  json: z.boolean().optional(),
});
type TestAlarmOptions = z.infer<typeof testAlarmOptions>;

function parse<T>(schema: z.ZodType<T>, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new AppError('bad_request', z.prettifyError(parsed.error));
  return parsed.data;
}

/** `host:port`, `tcp://host:port` or a URL: the host and port of a raw TCP target. */
function tcpTarget(target: string, adapter: string): { host: string; port: number } {
  const url = new URL(target.includes('://') ? target : `tcp://${target}`);
  if (!url.hostname) throw new AppError('bad_request', `--target ${target}: expected HOST[:PORT]`);
  return { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port ? Number(url.port) : (DEFAULT_PORTS[adapter] ?? 0) };
}

function need<T>(value: T | undefined, option: string, adapter: string): T {
  if (value === undefined) throw new AppError('bad_request', `--adapter ${adapter} needs ${option}`);
  return value;
}

/** The adapter config the options describe; the factory's schema checks it. */
export function configFromOptions(o: TestAlarmOptions, password: string | undefined): VmsConfigInput {
  const timeoutMs = o.timeout;
  const allowSelfSignedCertificate = o.allowSelfSigned === true;
  const credentials = (): { username: string; password: string } => ({ username: need(o.user, '--user', o.adapter), password: password ?? '' });
  switch (o.adapter) {
    case 'milestone':
      return { adapter: 'milestone', ...tcpTarget(o.target, o.adapter), eventMessage: o.eventMessage, timeoutMs };
    case 'milestone-generic':
      return { adapter: 'milestone-generic', ...tcpTarget(o.target, o.adapter), ...(o.template ? { template: o.template } : {}), timeoutMs };
    case 'milestone-rest':
      return { adapter: 'milestone-rest', url: o.target, ...credentials(), eventTypeId: need(o.eventType, '--event-type', o.adapter), allowSelfSignedCertificate, timeoutMs };
    case 'genetec':
      return {
        adapter: 'genetec', url: o.target, ...credentials(), applicationId: need(o.applicationId, '--application-id', o.adapter),
        customEventId: need(o.customEventId, '--custom-event-id', o.adapter), allowSelfSignedCertificate, timeoutMs,
      };
    case 'nx':
      return { adapter: 'nx', url: o.target, ...credentials(), api: o.api, restVersion: o.restVersion, allowSelfSignedCertificate, timeoutMs };
  }
}

/** A harmless alarm the operators can recognise, on the named VMS camera. */
export function testAlarm(camera: string | undefined, cameraId: string | undefined, now = new Date()): VmsAlarm {
  const name = camera ?? 'Vigil test camera';
  return {
    id: `evt_test_${now.getTime()}`,
    type: 'zone_dwell',
    title: 'Vigil test alarm',
    description: 'Test alarm sent by `vigil vms test-alarm`: no action needed.',
    severity: 'low',
    occurredAt: now.toISOString(),
    camera: { id: 'cam_vigiltestcamera00', name, vms: { ...(cameraId ? { id: cameraId } : {}), ...(camera ? { name: camera } : {}) } },
    storeId: 'sto_vigilteststore000',
    detections: [{ label: 'person', score: 0.9, box: [0.4, 0.3, 0.6, 0.9] }],
  };
}

function printDelivery(o: TestAlarmOptions, outcome: VmsDelivery): void {
  if (o.json) {
    process.stdout.write(`${JSON.stringify({ adapter: o.adapter, target: o.target, ...outcome })}\n`);
    return;
  }
  const detail = outcome.status === 'delivered' ? (outcome.detail ?? '') : outcome.reason;
  const hint = outcome.status === 'rejected' && outcome.isConfigurationError ? '  (the VMS is not set up for this alarm: see docs/vms/)' : '';
  process.stdout.write(`${outcome.status}: ${detail}${hint}\n`);
}

function warnIfInsecure(isInsecure: boolean | undefined): void {
  if (isInsecure) process.stderr.write('warning: --allow-self-signed accepts any HTTPS certificate: the VMS server is not authenticated\n');
}

async function runTestAlarm(raw: unknown): Promise<void> {
  const o = parse(testAlarmOptions, raw);
  warnIfInsecure(o.allowSelfSigned);
  // The password may come from the environment so that it stays out of shell history and process lists.
  const config = configFromOptions(o, o.password ?? process.env.VIGIL_VMS_PASSWORD);
  const outcome = await createVmsAdapter(config).raise(testAlarm(o.camera, o.cameraId));
  printDelivery(o, outcome);
  if (outcome.status !== 'delivered') process.exitCode = outcome.status === 'retry' ? 2 : 1;
}

const camerasOptions = z.strictObject({
  adapter: z.enum(['nx', 'genetec']),
  target: z.url(),
  user: z.string().min(1),
  password: z.string().optional(),
  applicationId: z.string().optional(),
  api: z.enum(['legacy', 'rest']),
  restVersion: z.coerce.number().int().min(1).max(9),
  timeout: z.coerce.number().int().min(100).max(60_000),
  config: z.string().min(1).optional(),
  allowSelfSigned: z.boolean().optional(),
  json: z.boolean().optional(),
});

const pluginCamerasSchema = z.object({
  cameras: z.array(z.object({ id: z.string(), name: z.string().optional(), analysisUrl: z.string(), evidenceUrl: z.string().optional() }).passthrough()).default([]),
}).passthrough();

/** The plugin's cameras given by RTSP URL (the mapping needs only ids, names and URLs, not a complete config). */
async function localCameras(file: string): Promise<LocalCamera[]> {
  const values = parseConfigYaml(await readFile(file, 'utf8'), file);
  const parsed = parse(pluginCamerasSchema, values);
  return parsed.cameras.map((c) => ({ id: c.id, name: c.name, urls: [c.analysisUrl, ...(c.evidenceUrl ? [c.evidenceUrl] : [])] }));
}

function printCameras(cameras: readonly VmsCamera[], mapping: ReturnType<typeof proposeCameraMapping> | null): void {
  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  for (const c of cameras) out(`${c.id}  ${c.name}${c.address ? `  ${c.address}` : ''}${c.mac ? `  ${c.mac}` : ''}`);
  if (!mapping) return;
  out('\nproposed mapping (plugin camera -> VMS camera):');
  for (const m of mapping) out(`  ${m.cameraId}${m.cameraName ? ` (${m.cameraName})` : ''} -> ${m.vms ? `${m.vms.id} ${m.vms.name}  [by ${m.matchedBy}]` : 'no match'}`);
}

async function runCameras(raw: unknown): Promise<void> {
  const o = parse(camerasOptions, raw);
  warnIfInsecure(o.allowSelfSigned);
  const password = o.password ?? process.env.VIGIL_VMS_PASSWORD ?? '';
  const base = { url: o.target, username: o.user, password, timeoutMs: o.timeout, allowSelfSignedCertificate: o.allowSelfSigned === true };
  const target: CameraListTarget = o.adapter === 'nx'
    ? { adapter: 'nx', ...base, api: o.api, restVersion: o.restVersion }
    : { adapter: 'genetec', ...base, applicationId: need(o.applicationId, '--application-id', o.adapter) };
  const cameras = await listVmsCameras(target);
  const mapping = o.config ? proposeCameraMapping(await localCameras(o.config), cameras) : null;
  if (o.json) process.stdout.write(`${JSON.stringify({ cameras, ...(mapping ? { mapping } : {}) }, null, 2)}\n`);
  else printCameras(cameras, mapping);
}

/** `vigil vms test-alarm` and `vigil vms cameras`: check a VMS integration from the store's edge box. */
export function registerVmsCommand(program: Command): void {
  const vms = program.command('vms').description('alarms in the store\'s VMS (Milestone XProtect, Genetec Security Center, Nx Witness)');
  vms.command('test-alarm')
    .description('send one test alarm to the VMS and print what it answered (exit 0 delivered, 1 rejected, 2 retry)')
    .requiredOption('--adapter <adapter>', ADAPTERS.join(' | '))
    .requiredOption('--target <url>', 'VMS address: HOST[:PORT] for milestone and milestone-generic, the base URL otherwise')
    .option('--camera <name>', 'the camera\'s name in the VMS')
    .option('--camera-id <id>', 'the camera\'s id in the VMS (Milestone/Genetec GUID, Nx device id)')
    .option('--user <name>', 'VMS user (REST, Genetec, Nx)')
    .option('--password <password>', 'password of --user (or VIGIL_VMS_PASSWORD)')
    .option('--event-message <name>', 'milestone: the analytics event name defined in the Management Client', 'Vigil alarm')
    .option('--event-type <id>', 'milestone-rest: the event type id to trigger')
    .option('--custom-event-id <n>', 'genetec: the custom event id')
    .option('--application-id <id>', 'genetec: the Web SDK application id')
    .option('--api <api>', 'nx: legacy | rest', 'legacy')
    .option('--rest-version <n>', 'nx: the n of /rest/v{n}', '3')
    .option('--template <text>', 'milestone-generic: the string sent, e.g. Vigil:{type}:{camera}')
    .option('--timeout <ms>', 'give up after this long', '3000')
    .option('--allow-self-signed', 'accept a self-signed HTTPS certificate (gives up server authentication)')
    .option('--json', 'print the outcome as JSON')
    .action((options: unknown) => runTestAlarm(options));
  vms.command('cameras')
    .description('list the VMS\'s cameras and, with --config, propose a mapping to the plugin\'s cameras by host address')
    .requiredOption('--adapter <adapter>', 'nx | genetec')
    .requiredOption('--target <url>', 'base URL of the Nx server or the Genetec Web SDK')
    .requiredOption('--user <name>', 'VMS user')
    .option('--password <password>', 'password of --user (or VIGIL_VMS_PASSWORD)')
    .option('--application-id <id>', 'genetec: the Web SDK application id')
    .option('--api <api>', 'nx: legacy | rest', 'legacy')
    .option('--rest-version <n>', 'nx: the n of /rest/v{n}', '3')
    .option('--timeout <ms>', 'give up after this long', '5000')
    .option('--config <file>', 'the plugin config whose cameras to map')
    .option('--allow-self-signed', 'accept a self-signed HTTPS certificate (gives up server authentication)')
    .option('--json', 'print JSON')
    .action((options: unknown) => runCameras(options));
}
