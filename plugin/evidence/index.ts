/**
 * Evidence: a per-camera recording ring buffer (main stream, stream copy, short MPEG-TS segments) and clips cut from
 * it by stream copy into faststart MP4, with a JPEG snapshot and the SHA-256 of each file.
 *
 *   const recorder = new SegmentRecorder({ cameraId, url, dir, windowSeconds: 60 }, logger);
 *   await recorder.start();
 *   const { clip, snapshot, complete, warnings } = await recorder.clip({ at, preMs: 5_000, postMs: 5_000, outputDir });
 *   await recorder.stop();
 */
export { SegmentRecorder, type RecorderHealth, type RecorderState, type RecorderEvents } from './segment-recorder.js';
export { recorderOptionsSchema, type RecorderOptions, type RecorderOptionsInput } from './recorder-options.js';
export {
  cutClip,
  type ClipRequest,
  type ClipResult,
  type ClipFile,
  type SnapshotFile,
  type EvidenceFile,
  type SegmentSource,
  type CutterBinaries,
} from './clip-cutter.js';
export { ClipError, type ClipFailure } from './clip-error.js';
export type { Segment } from './segment-index.js';
export { hashFile } from './file-hash.js';
export { probeMedia, parseInputSummary, type MediaProbe } from './media-probe.js';
export { encodeFrameSnapshot, type SnapshotFrame } from './frame-snapshot.js';
