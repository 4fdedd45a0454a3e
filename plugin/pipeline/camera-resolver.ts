import type { Logger } from 'pino';
import type { PluginConfig } from '../config/index.js';
import { probe, resolveCameraStreams } from '../discovery/index.js';
import type { Zone } from '../tracking/index.js';
import type { VmsCameraRef } from '../../contracts/index.js';

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
}

/**
 * The cameras of a config: explicit ones as given, discovered ones by probing and asking each device over ONVIF.
 * A device that is missing or refuses is logged and left out; the other cameras still run.
 */
export async function resolveCameras(config: PluginConfig, logger: Logger): Promise<ResolvedCamera[]> {
  const cameras: ResolvedCamera[] = config.cameras.map((c) => ({
    id: c.id,
    storeId: c.storeId,
    laneId: c.laneId,
    name: c.name ?? c.id,
    analysisUrl: c.analysisUrl,
    evidenceUrl: c.evidenceUrl ?? c.analysisUrl,
    transport: c.transport,
    zones: c.zones,
    vms: c.vms,
  }));
  const discovery = config.discovery;
  if (discovery === undefined || discovery.cameras.length === 0) return cameras;
  const devices = await probe({
    timeoutMs: discovery.timeoutMs,
    ...(discovery.probeTargets.length === 0 ? {} : { targets: discovery.probeTargets }),
    onWarning: (message) => logger.warn({ component: 'discovery' }, message),
  });
  logger.info({ found: devices.map((d) => ({ endpoint: d.endpoint, name: d.name })) }, 'discovery probe answered');
  for (const wanted of discovery.cameras) {
    const device = devices.find((d) => d.endpoint === wanted.endpoint);
    if (device === undefined) {
      logger.error({ camera: wanted.id, endpoint: wanted.endpoint }, 'configured device did not answer the discovery probe; camera left out');
      continue;
    }
    try {
      const credentials = discovery.credentials === undefined ? {} : { user: discovery.credentials.username, password: discovery.credentials.password };
      const { streams } = await resolveCameraStreams({ kind: 'onvif', xaddr: device.xaddr, ...credentials });
      cameras.push({
        id: wanted.id,
        storeId: discovery.storeId,
        laneId: wanted.laneId,
        name: device.name ?? wanted.id,
        analysisUrl: withCredentials(streams.analysis.uri, discovery.credentials),
        evidenceUrl: withCredentials(streams.evidence.uri, discovery.credentials),
        transport: 'tcp',
        zones: wanted.zones,
        vms: wanted.vms,
      });
    } catch (error) {
      logger.error({ err: error, camera: wanted.id, endpoint: wanted.endpoint }, 'device could not be described over ONVIF; camera left out');
    }
  }
  return cameras;
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
