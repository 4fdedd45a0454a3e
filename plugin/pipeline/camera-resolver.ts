import type { Logger } from 'pino';
import type { PluginConfig } from '../config/index.js';
import { probe, resolveCameraStreams, type DiscoveredDevice, type EventsClientOptions } from '../discovery/index.js';
import type { Zone } from '../tracking/index.js';
import { isAppError, type VmsCameraRef } from '../../contracts/index.js';

/** One camera ready to run: ids as registered at the hub, the two stream URLs, its zones. */
export interface ResolvedCamera {
  readonly id: string;
  readonly storeId: string;
  readonly laneId?: string | undefined;
  readonly name: string;
  readonly analysisUrl: string;
  readonly evidenceUrl: string;
  readonly transport: 'tcp' | 'udp';
  readonly zones: readonly Zone[];
  /** How the VMS names the camera, for alarms in its console. */
  readonly vms?: VmsCameraRef | undefined;
  /** The device's video source (NVR channel) both streams come from, when known. */
  readonly videoSourceToken?: string | null | undefined;
  /** H264, H265 or MJPEG as the device's encoder configurations say, when known. */
  readonly analysisEncoding?: string | null | undefined;
  readonly evidenceEncoding?: string | null | undefined;
  /** The device's ONVIF events service (PullPoint), when it has one: motion for the gate, tamper for health. */
  readonly deviceEvents?: EventsClientOptions | null | undefined;
}

type Discovery = NonNullable<PluginConfig['discovery']>;
export type WantedCamera = Discovery['cameras'][number];

/** A configured discovered camera that could not be resolved yet, and why. */
export interface MissingCamera {
  readonly wanted: WantedCamera;
  readonly reason: string;
}

/**
 * The cameras of a config: explicit ones as given, discovered ones by probing and asking each device over ONVIF.
 * A device that is missing or refuses is logged and left out; the other cameras still run.
 */
export async function resolveCameras(config: PluginConfig, logger: Logger): Promise<ResolvedCamera[]> {
  return (await resolveCameraSet(config, logger)).cameras;
}

/** As resolveCameras, and the discovered cameras that are missing (for MissingCameraWatch to look for again). */
export async function resolveCameraSet(config: PluginConfig, logger: Logger): Promise<{ cameras: ResolvedCamera[]; missing: MissingCamera[] }> {
  const cameras: ResolvedCamera[] = config.cameras.map((c) => ({
    id: c.id, storeId: c.storeId, laneId: c.laneId, name: c.name ?? c.id,
    analysisUrl: c.analysisUrl, evidenceUrl: c.evidenceUrl ?? c.analysisUrl, transport: c.transport, zones: c.zones, vms: c.vms,
  }));
  const discovery = config.discovery;
  if (discovery === undefined || discovery.cameras.length === 0) return { cameras, missing: [] };
  const { resolved, missing } = await resolveDiscovered(discovery, discovery.cameras, logger);
  for (const m of missing) logger.error({ camera: m.wanted.id, endpoint: m.wanted.endpoint, reason: m.reason }, 'configured camera not available; it is looked for again');
  return { cameras: [...cameras, ...resolved], missing };
}

/** One probe for all `wanted`, then each found device described over ONVIF. */
export async function resolveDiscovered(discovery: Discovery, wanted: readonly WantedCamera[], logger: Logger): Promise<{ resolved: ResolvedCamera[]; missing: MissingCamera[] }> {
  const devices = await probe({
    timeoutMs: discovery.timeoutMs,
    ...(discovery.probeTargets.length === 0 ? {} : { targets: discovery.probeTargets }),
    ...(discovery.interfaces.length === 0 ? {} : { interfaces: discovery.interfaces }),
    onWarning: (message) => logger.warn({ component: 'discovery' }, message),
  }).catch((error: unknown) => {
    logger.warn({ err: error, component: 'discovery' }, 'discovery probe failed');
    return [] as DiscoveredDevice[];
  });
  logger.info({ found: devices.map((d) => ({ endpoint: d.endpoint, name: d.name })) }, 'discovery probe answered');
  const resolved: ResolvedCamera[] = [];
  const missing: MissingCamera[] = [];
  for (const camera of wanted) {
    const device = devices.find((d) => d.endpoint === camera.endpoint);
    if (device === undefined) {
      missing.push({ wanted: camera, reason: 'did not answer the discovery probe' });
      continue;
    }
    try {
      resolved.push(await describeDiscovered(discovery, camera, device));
    } catch (error) {
      if (!isAppError(error)) throw error;
      missing.push({ wanted: camera, reason: `could not be described over ONVIF: ${error.code}: ${error.message}` });
    }
  }
  return { resolved, missing };
}

async function describeDiscovered(discovery: Discovery, wanted: WantedCamera, device: DiscoveredDevice): Promise<ResolvedCamera> {
  const credentials = discovery.credentials === undefined ? {} : { user: discovery.credentials.username, password: discovery.credentials.password };
  const { streams, description } = await resolveCameraStreams({
    kind: 'onvif', xaddr: device.xaddr, ...credentials,
    ...(wanted.videoSource === undefined ? {} : { videoSource: wanted.videoSource }),
    ...(wanted.certificateSha256 === undefined ? {} : { certificateSha256: wanted.certificateSha256 }),
  });
  return {
    id: wanted.id,
    storeId: discovery.storeId,
    laneId: wanted.laneId,
    name: device.name ?? wanted.id,
    analysisUrl: withCredentials(streams.analysis.uri, discovery.credentials),
    evidenceUrl: withCredentials(streams.evidence.uri, discovery.credentials),
    transport: 'tcp',
    zones: wanted.zones,
    vms: wanted.vms,
    videoSourceToken: streams.videoSourceToken,
    analysisEncoding: streams.analysis.encoding,
    evidenceEncoding: streams.evidence.encoding,
    deviceEvents: discovery.deviceEvents && description?.eventsXaddr ? {
      xaddr: description.eventsXaddr, ...credentials, timeOffsetMs: description.timeOffsetMs,
      ...(wanted.certificateSha256 === undefined ? {} : { certificateSha256: wanted.certificateSha256 }),
    } : null,
  };
}

/** ONVIF stream URIs come without credentials, while the RTSP server asks for the same user as ONVIF. */
function withCredentials(uri: string, credentials: { username: string; password: string } | undefined): string {
  if (credentials === undefined || !URL.canParse(uri)) return uri;
  const url = new URL(uri);
  if (url.username !== '') return uri;
  url.username = encodeURIComponent(credentials.username);
  url.password = encodeURIComponent(credentials.password);
  return url.toString();
}
