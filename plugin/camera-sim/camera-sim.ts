import { randomUUID } from 'node:crypto';
import { H264Feed } from './h264-feed.js';
import { RtspServer } from './rtsp-server.js';
import type { VideoSize, VideoSource } from './scene.js';

export interface CameraSimOptions {
  /** Address to bind (default 127.0.0.1). */
  readonly host?: string;
  /** Host written into URLs; defaults to `host`, or 127.0.0.1 when binding 0.0.0.0. */
  readonly advertisedHost?: string;
  /** 0 (default) picks an ephemeral port. */
  readonly rtspPort?: number;
  readonly user?: string;
  readonly password?: string;
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
  readonly rtspPort: number;
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
  const advertised = options.advertisedHost ?? (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);
  const ffmpegPath = options.ffmpegPath ?? (await defaultFfmpegPath());
  const source = options.source ?? { kind: 'scene', scene: 'checkout-lane' };
  const credentials = options.user !== undefined ? { user: options.user, password: options.password ?? '' } : null;
  const log = (line: string): void => options.onLog?.(`[${options.name ?? 'camera-sim'}] ${line}`);
  const feeds = new Map<string, H264Feed>([
    ['main', makeFeed({ ...DEFAULT_MAIN, ...options.main }, source, ffmpegPath, options, (l) => log(`main: ${l}`))],
    ['sub', makeFeed({ ...DEFAULT_SUB, ...options.sub }, source, ffmpegPath, options, (l) => log(`sub: ${l}`))],
  ]);
  const rtsp = new RtspServer({ host, port: options.rtspPort ?? 0, feeds, credentials, onLog: (l) => log(l) });
  await rtsp.start();
  const rtspBase = `rtsp://${hostForUrl(advertised)}:${rtsp.port}`;
  return {
    name: options.name ?? 'Vigil camera-sim',
    uuid: randomUUID(),
    rtspUrl: { main: `${rtspBase}/main`, sub: `${rtspBase}/sub` },
    rtspPort: rtsp.port,
    stopRtsp: () => rtsp.stop(),
    startRtsp: () => rtsp.start(),
    async stop() {
      await rtsp.stop();
      for (const feed of feeds.values()) feed.close();
    },
  };
}

function makeFeed(size: VideoSize, source: VideoSource, ffmpegPath: string, options: CameraSimOptions, onLog: (l: string) => void): H264Feed {
  return new H264Feed({ ffmpegPath, size, source, onLog, ...(options.idleStopMs === undefined ? {} : { idleStopMs: options.idleStopMs }) });
}

export function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
