import { createHash } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { H264Feed } from './h264-feed.js';
import { SimEvents } from './events-service.js';
import { OnvifServer } from './onvif-server.js';
import type { OnvifDeviceModel, OnvifProfileModel } from './onvif-responses.js';
import { RtspServer } from './rtsp-server.js';
import type { VideoSize, VideoSource } from './scene.js';
import { takeSnapshot } from './snapshot.js';
import { mayJoinMulticast, WS_DISCOVERY_PORT, WsDiscoveryResponder } from './ws-discovery-responder.js';

export interface CameraSimOptions {
  /** Address to bind (default 127.0.0.1). */
  readonly host?: string;
  /** Host written into URLs; defaults to `host`, or the first external IPv4 address when binding 0.0.0.0. */
  readonly advertisedHost?: string;
  /** 0 (default) picks an ephemeral port. */
  readonly rtspPort?: number;
  /** ONVIF HTTP port; 0 (default) picks an ephemeral port. */
  readonly httpPort?: number;
  /** WS-Discovery UDP port: 3702 (default) for real discovery, 0 for an ephemeral port probed by unicast, null for none. */
  readonly discoveryPort?: number | null;
  /** NVR mode: this many channels (video sources), each with a main/sub profile pair and its marker drawn (default 1). */
  readonly channels?: number;
  /** The device UUID is derived from this (default: the name), so it survives restarts like a real camera's. */
  readonly uuidSeed?: string;
  /** Join the WS-Discovery multicast group (default: only when discoveryPort is 3702 and host is not loopback). */
  readonly discoveryMulticast?: boolean;
  readonly location?: string;
  readonly manufacturer?: string;
  readonly model?: string;
  /** Simulated camera clock error in ms (clients must correct WS-Security Created times for it). */
  readonly clockSkewMs?: number;
  /** Host written into GetStreamUri answers, to simulate cameras that report 0.0.0.0 or a stale address. */
  readonly streamUriHost?: string;
  readonly user?: string;
  readonly password?: string;
  /** Offer Media2 only: Media1 answers the ActionNotSupported fault (the ONVIF text real devices send) and GetCapabilities lists no Media (Media2 is always offered). */
  readonly media2Only?: boolean;
  /** SOAP authentication: WS-UsernameToken (default) or HTTP Digest only. */
  readonly soapAuth?: 'ws-security' | 'digest';
  readonly name?: string;
  readonly main?: Partial<VideoSize>;
  readonly sub?: Partial<VideoSize>;
  readonly source?: VideoSource;
  /** Defaults to the @ffmpeg-installer binary. */
  readonly ffmpegPath?: string;
  /** Encoders stop this long after their last reader leaves (default 10 s). */
  readonly idleStopMs?: number;
  readonly onLog?: (line: string) => void;
}

export interface CameraSim {
  readonly name: string;
  readonly uuid: string;
  readonly rtspUrl: { readonly main: string; readonly sub: string };
  /** Every channel (one for a plain camera): its video source token and stream URLs. */
  readonly channels: ReadonlyArray<{ readonly videoSourceToken: string; readonly rtspUrl: { readonly main: string; readonly sub: string } }>;
  readonly rtspPort: number;
  /** Device service URL (the ONVIF entry point). */
  readonly onvifUrl: string;
  readonly snapshotUrl: { readonly main: string; readonly sub: string };
  /** UDP port answering WS-Discovery probes, or null when discovery is off. */
  readonly discoveryPort: number | null;
  /** The motion state the events service reports for a video source (default: every channel); the scene's own state until set. */
  setMotion(active: boolean, videoSourceToken?: string): void;
  /** The tamper state (tns1:VideoSource/GlobalSceneChange/ImagingService) of a video source (default: every channel). */
  setTamper(active: boolean, videoSourceToken?: string): void;
  /** Live PullPoint subscriptions (tests wait for a client to subscribe or unsubscribe). */
  readonly eventSubscriptions: number;
  /** Simulates the camera's RTSP daemon dying: the port closes and every reader is cut off. */
  stopRtsp(): Promise<void>;
  /** Brings the RTSP daemon back on the same port. */
  startRtsp(): Promise<void>;
  /** Stops every server and kills the ffmpeg children. */
  stop(): Promise<void>;
}

export const DEFAULT_MAIN: VideoSize = { width: 1280, height: 720, fps: 10 };
export const DEFAULT_SUB: VideoSize = { width: 640, height: 360, fps: 10 };

export async function defaultFfmpegPath(): Promise<string> {
  return (await import('@ffmpeg-installer/ffmpeg')).default.path;
}

/** Starts one virtual camera. Encoders start on the first reader, so an idle camera costs no CPU. */
export async function startCameraSim(options: CameraSimOptions = {}): Promise<CameraSim> {
  const host = options.host ?? '127.0.0.1';
  const advertised = options.advertisedHost ?? (host === '0.0.0.0' || host === '::' ? externalAddress() : host);
  const ffmpegPath = options.ffmpegPath ?? (await defaultFfmpegPath());
  const source = options.source ?? { kind: 'scene', scene: 'checkout-lane' };
  const credentials = options.user !== undefined ? { user: options.user, password: options.password ?? '' } : null;
  const log = (line: string): void => options.onLog?.(`[${options.name ?? 'camera-sim'}] ${line}`);
  const layout = channelLayout(options.channels ?? 1);
  const feeds = new Map<string, H264Feed>();
  for (const ch of layout) {
    const channel = layout.length > 1 ? ch.number : undefined;
    feeds.set(ch.main, makeFeed({ ...DEFAULT_MAIN, ...options.main }, source, ffmpegPath, options, (l) => log(`${ch.main}: ${l}`), channel));
    feeds.set(ch.sub, makeFeed({ ...DEFAULT_SUB, ...options.sub }, source, ffmpegPath, options, (l) => log(`${ch.sub}: ${l}`), channel));
  }
  const rtsp = new RtspServer({ host, port: options.rtspPort ?? 0, feeds, credentials, onLog: (l) => log(l) });
  const name = options.name ?? 'Vigil camera-sim';
  const uuid = stableUuid(options.uuidSeed ?? name);
  const urls = { rtsp: '', http: '' };
  const model = (): OnvifDeviceModel => deviceModel(options, layout, feeds, urls, uuid);
  // The scenes (checkout lane, test pattern, a looped file) are always moving, so motion starts active on every channel.
  const events = new SimEvents(layout.map((ch) => ({ token: ch.videoSource, motion: true })));
  const onvif = new OnvifServer({
    events,
    host, port: options.httpPort ?? 0, credentials, model, clockSkewMs: options.clockSkewMs ?? 0, soapAuth: options.soapAuth ?? 'ws-security',
    snapshot: (token) => takeSnapshot(feeds.get(token) ?? (feeds.get(layout[0]?.sub ?? '') as H264Feed), ffmpegPath), onLog: log,
  });
  const discoveryPort = options.discoveryPort === undefined ? WS_DISCOVERY_PORT : options.discoveryPort;
  const discovery = discoveryPort === null ? null : new WsDiscoveryResponder({
    host, port: discoveryPort, deviceType: layout.length > 1 ? 'nvr' : 'camera', multicast: options.discoveryMulticast ?? (discoveryPort === WS_DISCOVERY_PORT && mayJoinMulticast(host)), onLog: log,
    identity: () => ({ uuid, xaddr: `${urls.http}/onvif/device_service`, name, hardware: options.model ?? 'camera-sim', location: options.location ?? 'lab' }),
  });
  const stopAll = async (): Promise<void> => {
    await Promise.allSettled([rtsp.stop(), onvif.stop(), discovery?.stop()]);
    for (const feed of feeds.values()) feed.close();
  };
  try {
    await rtsp.start();
    await onvif.start();
    await discovery?.start();
  } catch (error) {
    await stopAll();
    throw error;
  }
  urls.rtsp = `rtsp://${hostForUrl(advertised)}:${rtsp.port}`;
  urls.http = `http://${hostForUrl(advertised)}:${onvif.port}`;
  return {
    name,
    uuid,
    onvifUrl: `${urls.http}/onvif/device_service`,
    rtspUrl: { main: `${urls.rtsp}/${layout[0]?.main ?? 'main'}`, sub: `${urls.rtsp}/${layout[0]?.sub ?? 'sub'}` },
    channels: layout.map((ch) => ({ videoSourceToken: ch.videoSource, rtspUrl: { main: `${urls.rtsp}/${ch.main}`, sub: `${urls.rtsp}/${ch.sub}` } })),
    snapshotUrl: { main: `${urls.http}/snapshot/${layout[0]?.main ?? 'main'}.jpg`, sub: `${urls.http}/snapshot/${layout[0]?.sub ?? 'sub'}.jpg` },
    rtspPort: rtsp.port,
    discoveryPort: discovery?.port ?? null,
    setMotion: (active, token) => {
      for (const ch of layout) if (token === undefined || ch.videoSource === token) events.setMotion(ch.videoSource, active);
    },
    setTamper: (active, token) => {
      for (const ch of layout) if (token === undefined || ch.videoSource === token) events.setTamper(ch.videoSource, active);
    },
    get eventSubscriptions() {
      return events.subscriptionCount;
    },
    stopRtsp: () => rtsp.stop(),
    startRtsp: () => rtsp.start(),
    stop: stopAll,
  };
}

interface ChannelLayout {
  readonly number: number;
  readonly videoSource: string;
  readonly main: string;
  readonly sub: string;
}

/** A plain camera keeps the tokens main/sub on source "vs"; NVR channel n has ch<n>_main/ch<n>_sub on "vs<n>". */
function channelLayout(count: number): ChannelLayout[] {
  if (count <= 1) return [{ number: 1, videoSource: 'vs', main: 'main', sub: 'sub' }];
  return Array.from({ length: count }, (_, i) => ({ number: i + 1, videoSource: `vs${i + 1}`, main: `ch${i + 1}_main`, sub: `ch${i + 1}_sub` }));
}

/** A name-based UUID (RFC 4122 version 5 layout over SHA-1), so a restarted simulator keeps its WS-Discovery endpoint. */
export function stableUuid(seed: string): string {
  const bytes = createHash('sha1').update(`vigil-camera-sim:${seed}`).digest().subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function deviceModel(options: CameraSimOptions, layout: readonly ChannelLayout[], feeds: ReadonlyMap<string, H264Feed>, urls: { rtsp: string; http: string }, uuid: string): OnvifDeviceModel {
  const streamBase = options.streamUriHost === undefined ? urls.rtsp : urls.rtsp.replace(/^rtsp:\/\/[^/]+:/, `rtsp://${hostForUrl(options.streamUriHost)}:`);
  const profile = (ch: ChannelLayout, token: string, kind: string): OnvifProfileModel => ({
    token,
    name: layout.length > 1 ? `Channel ${ch.number} ${kind}` : kind,
    videoSource: { token: ch.videoSource, size: (feeds.get(ch.main) as H264Feed).size },
    size: (feeds.get(token) as H264Feed).size,
    streamUri: `${streamBase}/${token}`,
    snapshotUri: `${urls.http}/snapshot/${token}.jpg`,
  });
  return {
    manufacturer: options.manufacturer ?? 'Vigil',
    model: options.model ?? (layout.length > 1 ? 'camera-sim NVR' : 'camera-sim'),
    firmware: '1.0.0',
    serial: uuid.slice(0, 8).toUpperCase(),
    hardwareId: 'sim-1',
    name: options.name ?? 'Vigil camera-sim',
    location: options.location ?? 'lab',
    deviceUrl: `${urls.http}/onvif/device_service`,
    mediaUrl: `${urls.http}/onvif/media_service`,
    media2Url: `${urls.http}/onvif/media2_service`,
    media2Only: options.media2Only === true,
    eventsUrl: `${urls.http}/onvif/event_service`,
    profiles: layout.flatMap((ch) => [profile(ch, ch.main, 'MainStream'), profile(ch, ch.sub, 'SubStream')]),
  };
}

function makeFeed(size: VideoSize, source: VideoSource, ffmpegPath: string, options: CameraSimOptions, onLog: (l: string) => void, channel?: number): H264Feed {
  return new H264Feed({
    ffmpegPath, size, source, onLog,
    ...(channel === undefined ? {} : { channel }),
    ...(options.idleStopMs === undefined ? {} : { idleStopMs: options.idleStopMs }),
  });
}

/** The address other machines reach us on when we bind every interface (what a real camera advertises). */
function externalAddress(): string {
  const external = Object.values(networkInterfaces()).flat().find((i) => i !== undefined && i.family === 'IPv4' && !i.internal);
  return external?.address ?? '127.0.0.1';
}

export function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
