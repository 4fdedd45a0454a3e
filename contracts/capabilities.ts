import type { DetectionEvent } from './events.js';

/** A raw frame as decoded by capture: tightly packed pixels, newest wins downstream. */
export interface Frame {
  readonly cameraId: string;
  readonly width: number;
  readonly height: number;
  readonly format: 'rgb24' | 'bgr24' | 'gray';
  readonly data: Uint8Array;
  /** Wall-clock capture time in epoch milliseconds. */
  readonly timestamp: number;
  readonly sequence: number;
}

/** Anything that yields frames: an RTSP camera through ffmpeg, a file, a generated scene. */
export interface FrameSource {
  readonly cameraId: string;
  frames(signal?: AbortSignal): AsyncGenerator<Frame>;
}

/** A detection in the source image's pixel coordinates. */
export interface Detection {
  readonly label: string;
  readonly classId: number;
  readonly score: number;
  readonly box: readonly [number, number, number, number];
  readonly keypoints?: ReadonlyArray<readonly [number, number, number]>;
}

export interface Detector {
  readonly modelName: string;
  detect(frame: Frame): Promise<Detection[]>;
  close(): Promise<void>;
}

/** Alarms in the operators' own VMS console (Milestone, Genetec, Nx). */
export interface VmsAdapter {
  readonly vendor: string;
  raiseAlarm(event: DetectionEvent): Promise<void>;
}

export interface PosEvent {
  readonly storeId: string;
  readonly workstationId: string;
  readonly kind: 'sale' | 'void' | 'post_void' | 'no_sale' | 'refund' | 'price_override' | 'manual_discount' | 'item';
  readonly at: number;
  readonly attributes: Record<string, string | number | boolean | null>;
}

/** A lane's POS events as they happen (journal tail, POSLog drop, vendor feed). */
export interface PosSource {
  events(signal?: AbortSignal): AsyncGenerator<PosEvent>;
}

export interface Notifier {
  notify(message: { type: string; data: unknown }): Promise<void>;
}

export interface EvidenceObject {
  readonly key: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** Where evidence bytes live. Keys are minted by the hub, never taken from user input. */
export interface EvidenceStore {
  put(key: string, body: AsyncIterable<Uint8Array>, options?: { contentType?: string }): Promise<EvidenceObject>;
  get(key: string, range?: { start: number; end: number }): Promise<AsyncIterable<Uint8Array>>;
  stat(key: string): Promise<{ bytes: number } | null>;
  delete(key: string): Promise<void>;
}
