import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { AppError } from '../../contracts/index.js';
import { startCameraSim, type CameraSim, type CameraSimOptions, type VideoSize, type VideoSource } from '../camera-sim/index.js';

const port = z.coerce.number().int().min(0).max(65535);
const size = z.string().regex(/^\d{2,4}x\d{2,4}@\d{1,2}$/, 'expected WIDTHxHEIGHT@FPS, e.g. 640x360@10').transform((s): VideoSize => {
  const [w, h, fps] = s.split(/[x@]/).map(Number);
  return { width: w ?? 0, height: h ?? 0, fps: fps ?? 0 };
});
const optionsSchema = z.strictObject({
  count: z.coerce.number().int().min(1).max(64),
  host: z.string().min(1),
  advertise: z.string().min(1).optional(),
  httpPort: port,
  rtspPort: port,
  discoveryPort: port.optional(),
  discovery: z.boolean(),
  user: z.string().min(1).optional(),
  password: z.string().optional(),
  video: z.string().min(1).optional(),
  scene: z.enum(['checkout-lane', 'testsrc2', 'checkout', 'aisle']),
  seed: z.coerce.number().int().min(0).max(0xffff_ffff),
  name: z.string().min(1),
  main: size.optional(),
  sub: size.optional(),
  channels: z.coerce.number().int().min(1).max(64),
  uuidSeed: z.string().min(1).optional(),
  soapAuth: z.enum(['ws-security', 'digest']),
  media2Only: z.boolean().optional(),
  json: z.boolean().optional(),
});
type Options = z.infer<typeof optionsSchema>;

function videoSource(o: Options): VideoSource {
  if (o.video !== undefined) return { kind: 'file', path: o.video };
  if (o.scene === 'checkout' || o.scene === 'aisle') return { kind: 'synthetic', scene: o.scene, seed: o.seed };
  return { kind: 'scene', scene: o.scene };
}

function simOptions(o: Options, index: number): CameraSimOptions {
  if (o.password !== undefined && o.user === undefined) throw new AppError('bad_request', '--password needs --user');
  // Consecutive ports for --count N, unless ephemeral (0) was asked for.
  const next = (p: number): number => (p === 0 ? 0 : p + index);
  return {
    host: o.host,
    ...(o.advertise === undefined ? {} : { advertisedHost: o.advertise }),
    httpPort: next(o.httpPort),
    rtspPort: next(o.rtspPort),
    // All cameras may share 3702 (multicast reaches each); with an explicit port each gets its own.
    discoveryPort: !o.discovery ? null : o.discoveryPort === undefined ? 3702 : next(o.discoveryPort),
    name: o.count > 1 ? `${o.name} ${index + 1}` : o.name,
    source: videoSource(o),
    ...(o.user === undefined ? {} : { user: o.user, password: o.password ?? '' }),
    ...(o.main === undefined ? {} : { main: o.main }),
    ...(o.sub === undefined ? {} : { sub: o.sub }),
    channels: o.channels,
    soapAuth: o.soapAuth,
    media2Only: o.media2Only === true,
    ...(o.uuidSeed === undefined ? {} : { uuidSeed: o.count > 1 ? `${o.uuidSeed}-${index + 1}` : o.uuidSeed }),
    onLog: (line) => process.stderr.write(`${line}\n`),
  };
}

function describe(sim: CameraSim): Record<string, unknown> {
  return { name: sim.name, uuid: sim.uuid, onvifUrl: sim.onvifUrl, rtspUrl: sim.rtspUrl, channels: sim.channels, snapshotUrl: sim.snapshotUrl, discoveryPort: sim.discoveryPort };
}

async function runCameraSims(raw: unknown): Promise<void> {
  const parsed = optionsSchema.safeParse(raw);
  if (!parsed.success) throw new AppError('bad_request', z.prettifyError(parsed.error));
  const o = parsed.data;
  if (o.video !== undefined && !existsSync(o.video)) throw new AppError('bad_request', `--video ${o.video}: no such file`);
  const sims: CameraSim[] = [];
  const stopAll = (): Promise<unknown> => Promise.allSettled(sims.map((s) => s.stop()));
  try {
    for (let i = 0; i < o.count; i++) sims.push(await startCameraSim(simOptions(o, i)));
  } catch (error) {
    await stopAll();
    throw new AppError('unavailable', `could not start camera ${sims.length + 1}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (o.json) process.stdout.write(`${JSON.stringify(sims.map(describe))}\n`);
  else {
    for (const sim of sims) {
      process.stdout.write(`${sim.name}\n  ONVIF    ${sim.onvifUrl}\n  RTSP     ${sim.rtspUrl.main}\n           ${sim.rtspUrl.sub}\n`);
      for (const ch of sim.channels.length > 1 ? sim.channels : []) process.stdout.write(`  ${ch.videoSourceToken.padEnd(8)} ${ch.rtspUrl.main}  ${ch.rtspUrl.sub}\n`);
      process.stdout.write(`  snapshot ${sim.snapshotUrl.main}\n  WS-Discovery UDP ${sim.discoveryPort ?? 'off'}\n`);
    }
    process.stdout.write('Ctrl-C stops the cameras.\n');
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await stopAll();
}

/** `vigil camera-sim`: virtual ONVIF cameras (RTSP H.264 main and sub streams, SOAP services, WS-Discovery). */
export function registerCameraSimCommand(program: Command): void {
  program
    .command('camera-sim')
    .description('run virtual ONVIF cameras with RTSP H.264 streams for demos, tests and benchmarks')
    .option('--count <n>', 'number of cameras, on consecutive ports', '1')
    .option('--host <address>', 'address to bind', '127.0.0.1')
    .option('--advertise <host>', 'host written into URLs (default: --host, or the first external IPv4 address for 0.0.0.0)')
    // Not 8080: that is the hub's default port, and the demo runs both.
    .option('--http-port <port>', 'ONVIF HTTP port of the first camera (0: ephemeral)', '8090')
    .option('--rtsp-port <port>', 'RTSP port of the first camera (0: ephemeral)', '8554')
    .option('--discovery-port <port>', 'WS-Discovery UDP port per camera (default: all share 3702 with multicast)')
    .option('--no-discovery', 'do not answer WS-Discovery probes')
    .option('--user <name>', 'ONVIF and RTSP user (default: no authentication)')
    .option('--password <password>', 'password of --user')
    .option('--video <file>', 'loop this video file instead of a generated scene')
    .option('--scene <scene>', 'generated scene: checkout-lane | testsrc2 (ffmpeg filters), checkout | aisle (synthetic scenes with people, hands and products)', 'checkout-lane')
    .option('--seed <n>', 'seed of a checkout or aisle scene: the same seed plays the same scene', '1')
    .option('--name <name>', 'camera name (numbered when --count > 1)', 'Vigil camera-sim')
    .option('--main <WxH@fps>', 'main profile, default 1280x720@10')
    .option('--sub <WxH@fps>', 'sub profile, default 640x360@10')
    .option('--channels <n>', 'NVR mode: channels per device, each with its main/sub profiles and its number drawn on the picture', '1')
    .option('--uuid-seed <text>', 'derive the device UUID from this instead of the name (stable across restarts either way)')
    .option('--soap-auth <kind>', 'SOAP authentication: ws-security | digest (HTTP Digest only)', 'ws-security')
    .option('--media2-only', 'offer ONVIF Media2 only (Media1 answers Optional Action Not Implemented), as newer cameras do')
    .option('--json', 'print the cameras as JSON')
    .action((options: unknown) => runCameraSims(options));
}
