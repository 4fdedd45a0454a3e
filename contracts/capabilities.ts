import type { EventDetection, Severity } from './events.js';

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

/**
 * Finds objects in a frame's pixels (the plugin's inference pool, `OnnxDetector`). Only the pixels and
 * their layout are needed; an implementation may transfer `data` to a worker thread, detaching it.
 */
export interface Detector {
  readonly modelName: string;
  detect(frame: Pick<Frame, 'width' | 'height' | 'format' | 'data'>): Promise<Detection[]>;
  close(): Promise<void>;
}

/** How the VMS itself names a camera: Milestone camera GUID (FQID ObjectId) or name, Genetec entity GUID, Nx device id. */
export interface VmsCameraRef {
  /** The VMS's own id of the camera (a GUID for Milestone and Genetec, the device id for Nx). */
  readonly id?: string | undefined;
  /** The camera's name in the VMS (Milestone can address a source by name). */
  readonly name?: string | undefined;
}

/** One alarm for the operators' console, built from a rule hit the moment it fires. */
export interface VmsAlarm {
  /** The event id, stable across resends: the VMS-side de-duplication key (Milestone CustomTag). */
  readonly id: string;
  /** The event type (scan_avoidance, zone_dwell…); VMS-side event definitions are keyed by it. */
  readonly type: string;
  /** Short title, e.g. "Scan avoidance — lane 3". */
  readonly title: string;
  /** What happened, for the operator (the rule's explanation). */
  readonly description: string;
  readonly severity: Severity;
  /** ISO 8601 instant the rule fired. */
  readonly occurredAt: string;
  readonly camera: { readonly id: string; readonly name: string; readonly vms: VmsCameraRef };
  readonly storeId: string;
  readonly laneId?: string | undefined;
  /** Boxes normalised 0..1. */
  readonly detections: readonly EventDetection[];
  /** The review page of the incident in the hub's console, when known. */
  readonly incidentUrl?: string | undefined;
}

/** What a VMS answered one alarm. `retry`: try again later (timeout, refused, 5xx); `rejected`: will never succeed as sent. */
export type VmsDelivery =
  | { readonly status: 'delivered'; readonly detail?: string }
  | { readonly status: 'retry'; readonly reason: string }
  | { readonly status: 'rejected'; readonly reason: string; readonly isConfigurationError: boolean };

export interface VmsAdapterHealth {
  readonly vendor: string;
  /** ok: the last alarm was accepted; failing: the last one could not be sent; misconfigured: the VMS refused it as not set up. */
  readonly state: 'idle' | 'ok' | 'failing' | 'misconfigured';
  readonly sent: number;
  readonly failed: number;
  readonly lastError: string | null;
  readonly lastSuccessAt: number | null;
}

/**
 * Alarms in the operators' own VMS console (Milestone XProtect, Genetec Security Center, Nx Witness). An adapter
 * speaks one VMS's documented wire format, times out fast and never throws for a VMS answer: it says what came back.
 */
export interface VmsAdapter {
  readonly vendor: string;
  raise(alarm: VmsAlarm, signal?: AbortSignal): Promise<VmsDelivery>;
  health(): VmsAdapterHealth;
}

export interface PosEvent {
  readonly storeId: string;
  readonly workstationId: string;
  readonly kind: 'sale' | 'void' | 'post_void' | 'no_sale' | 'refund' | 'price_override' | 'manual_discount' | 'item';
  readonly at: number;
  readonly attributes: Record<string, string | number | boolean | null>;
}

/**
 * A lane's POS events as they happen (journal tail, POSLog drop, vendor feed). Not implemented yet: the
 * edge POS feeds arrive with their own issue (today POS data reaches the hub by upload, adapters/pos).
 */
export interface PosSource {
  events(signal?: AbortSignal): AsyncGenerator<PosEvent>;
}

export interface EvidenceObject {
  readonly key: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** Whether the backend itself enforced a legal hold (S3 object lock) or only the hub's database guards it. */
export type LegalHoldResult = 'applied' | 'unsupported';

/** Where evidence bytes live. Keys are minted by the hub, never taken from user input. */
export interface EvidenceStore {
  /** `filesystem`, `s3`: recorded beside each item so a later migration knows where its bytes are. */
  readonly backend: string;
  put(key: string, body: AsyncIterable<Uint8Array>, options?: { contentType?: string; bytes?: number }): Promise<EvidenceObject>;
  get(key: string, range?: { start: number; end: number }): Promise<AsyncIterable<Uint8Array>>;
  stat(key: string): Promise<{ bytes: number } | null>;
  delete(key: string): Promise<void>;
  /**
   * Resumable staging: writes `body` at `offset` of the staged object `key`, which must hold exactly `offset`
   * bytes (bytes past it, left by a dropped request, are discarded first). Resolves to the new length.
   */
  append(key: string, offset: number, body: AsyncIterable<Uint8Array>, options?: { bytes?: number }): Promise<number>;
  /** Bytes a staged object holds now (0 when absent): the truth after a dropped request. */
  stagedBytes(key: string): Promise<number>;
  /**
   * Turns a staged object into a stored one under `to`, hashing it on the way. `hashed` is the SHA-256 the
   * caller computed while the chunks streamed in: a backend that moves the object without copying it (the
   * filesystem) returns it instead of reading the bytes again, once the size matches.
   */
  commitStaged(from: string, to: string, options?: { contentType?: string; hashed?: { sha256: string; bytes: number } }): Promise<EvidenceObject>;
  /** Drops a staged object and whatever parts it has. */
  discardStaged(key: string): Promise<void>;
  /** A local file holding the object, when the backend has one (the filesystem): lets tools read it directly. */
  localPath?(key: string): string | null;
  /** Places or releases a storage-level legal hold (S3 object lock where the bucket has it). */
  setLegalHold(key: string, held: boolean): Promise<LegalHoldResult>;
}
