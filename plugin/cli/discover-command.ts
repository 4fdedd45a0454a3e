import type { Command } from 'commander';
import { z } from 'zod';
import { AppError, isAppError } from '../../contracts/index.js';
import { chooseStreamsPerSource, describeCamera, probe, type CameraDescription, type CameraStreams, type DiscoveredDevice, type SourceChoice } from '../discovery/index.js';

const target = z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected HOST:PORT').transform((s) => {
  const at = s.lastIndexOf(':');
  return { host: s.slice(0, at), port: Number(s.slice(at + 1)) };
});
const optionsSchema = z.strictObject({
  timeout: z.coerce.number().min(0.2).max(60),
  device: z.url().optional(),
  user: z.string().optional(),
  password: z.string().optional(),
  probeTarget: z.array(target).optional(),
  interface: z.array(z.string().min(1).max(64)).optional(),
  discoveryPort: z.coerce.number().int().min(1).max(65535).optional(),
  json: z.boolean().optional(),
});

interface DeviceReport {
  endpoint: string | null;
  xaddr: string;
  name: string | null;
  location: string | null;
  description: CameraDescription | null;
  /** The streams a camera config without `videoSource` gets (the first video source's). */
  streams: CameraStreams | null;
  /** One entry per video source (NVR channel); `videoSource` in the config names one by token or index. */
  sources: SourceChoice[];
  error: { code: string; message: string } | null;
}

async function report(device: Pick<DiscoveredDevice, 'xaddr'> & Partial<DiscoveredDevice>, user: string | undefined, password: string | undefined, timeoutMs: number): Promise<DeviceReport> {
  const base = { endpoint: device.endpoint ?? null, xaddr: device.xaddr, name: device.name ?? null, location: device.location ?? null };
  try {
    const description = await describeCamera({ xaddr: device.xaddr, timeoutMs, ...(user === undefined ? {} : { user }), ...(password === undefined ? {} : { password }) });
    const sources = chooseStreamsPerSource(description.profiles);
    return { ...base, description, streams: sources.find((s) => s.streams !== null)?.streams ?? null, sources, error: null };
  } catch (error) {
    if (!isAppError(error)) throw error;
    return { ...base, description: null, streams: null, sources: [], error: { code: error.code, message: error.message } };
  }
}

function printTable(reports: readonly DeviceReport[]): void {
  const out = (line: string): boolean => process.stdout.write(`${line}\n`);
  for (const r of reports) {
    out(`${r.name ?? '(unnamed)'}${r.location ? ` @ ${r.location}` : ''}  ${r.xaddr}`);
    if (r.error) {
      out(`  error ${r.error.code}: ${r.error.message}`);
      continue;
    }
    const d = r.description;
    if (!d) continue;
    const i = d.identity;
    out(`  ${i.manufacturer} ${i.model}  firmware ${i.firmware}  serial ${i.serial}${Math.abs(d.timeOffsetMs) > 2000 ? `  clock off by ${Math.round(d.timeOffsetMs / 1000)} s` : ''}`);
    out(`  profiles from ${d.mediaService === 'media2' ? 'Media2' : 'Media1'}; events ${d.eventsXaddr === null ? 'not offered' : `at ${d.eventsXaddr}`}`);
    for (const source of r.sources) printSource(source, d, out);
    for (const s of d.skippedProfiles) out(`  skipped profile ${s.token ?? '(no token)'}: ${s.reason}`);
  }
}

function printSource(source: SourceChoice, d: CameraDescription, out: (line: string) => boolean): void {
  out(`  video source ${source.index}: ${source.videoSourceToken ?? '(no token)'}${source.problem ? `  (${source.problem})` : ''}`);
  out(`    ${'profile'.padEnd(12)} ${'codec'.padEnd(6)} ${'size'.padEnd(10)} ${'fps'.padEnd(4)} stream URI`);
  for (const p of d.profiles.filter((q) => q.videoSourceToken === source.videoSourceToken)) {
    const role = [source.streams?.analysis.profileToken === p.token ? 'analysis' : '', source.streams?.evidence.profileToken === p.token ? 'evidence' : ''].filter(Boolean).join('+');
    out(`    ${p.token.padEnd(12)} ${p.encoding.padEnd(6)} ${`${p.width}x${p.height}`.padEnd(10)} ${String(p.fps).padEnd(4)} ${p.streamUri ?? '-'}${role ? `  [${role}]` : ''}`);
  }
}

async function runDiscover(raw: unknown): Promise<void> {
  const parsed = optionsSchema.safeParse(raw);
  if (!parsed.success) throw new AppError('bad_request', z.prettifyError(parsed.error));
  const o = parsed.data;
  // The password may come from the environment so that it stays out of shell history and process lists.
  const password = o.password ?? process.env.VIGIL_ONVIF_PASSWORD;
  const timeoutMs = Math.round(o.timeout * 1000);
  const devices: Array<Pick<DiscoveredDevice, 'xaddr'> & Partial<DiscoveredDevice>> = o.device
    ? [{ xaddr: o.device }]
    : await probe({
      timeoutMs, ...(o.probeTarget ? { targets: o.probeTarget } : {}),
      ...(o.interface ? { interfaces: o.interface } : {}),
      ...(o.discoveryPort === undefined ? {} : { multicastPort: o.discoveryPort }),
      onWarning: (m) => process.stderr.write(`${m}\n`),
    });
  const reports = await Promise.all(devices.map((d) => report(d, o.user, password, Math.max(timeoutMs, 2000))));
  if (o.json) process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
  else if (reports.length === 0) process.stderr.write('no ONVIF device answered the probe\n');
  else printTable(reports);
  if (o.device && reports[0]?.error) process.exitCode = 1;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/**
 * `vigil discover`: finds ONVIF cameras and NVRs (WS-Discovery for NetworkVideoTransmitter and tds:Device on every
 * IPv4 interface) or reads one, and prints identity, profiles and streams.
 */
export function registerDiscoverCommand(program: Command): void {
  program
    .command('discover')
    .description('find ONVIF cameras and print their identity, profiles and stream URIs')
    .option('--timeout <seconds>', 'how long to wait for probe answers (and per SOAP request)', '3')
    .option('--device <url>', 'query this ONVIF device service URL instead of probing')
    .option('--user <name>', 'ONVIF user')
    .option('--password <password>', 'ONVIF password (or VIGIL_ONVIF_PASSWORD)')
    .option('--probe-target <host:port>', 'probe this address by unicast instead of multicast (repeatable)', collect)
    .option('--interface <name|address>', 'multicast the probe on this IPv4 interface only (repeatable; default: every IPv4 interface)', collect)
    .option('--discovery-port <port>', 'WS-Discovery multicast port (default 3702)')
    .option('--json', 'print JSON')
    .action((options: unknown) => runDiscover(options));
}
