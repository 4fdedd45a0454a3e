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
