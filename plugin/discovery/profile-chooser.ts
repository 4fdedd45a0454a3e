import { AppError } from '../../contracts/index.js';
import type { CameraProfile, CameraStreams } from './types.js';

/** Below this height people at a checkout are too few pixels for the detector. */
export const MIN_ANALYSIS_HEIGHT = 320;

const VIDEO_CODECS = new Set(['H264', 'H265', 'HEVC']);
const area = (p: CameraProfile): number => p.width * p.height;
const stream = (p: CameraProfile): CameraStreams['analysis'] => ({ uri: p.streamUri ?? '', profileToken: p.token, width: p.width, height: p.height });

/**
 * Analysis: the smallest profile at least `minHeight` tall (cheap to decode, enough detail), else the largest one.
 * Evidence: the largest profile (ties go to the higher frame rate). H.264/H.265 profiles are preferred over MJPEG.
 */
export function chooseStreams(profiles: readonly CameraProfile[], minHeight = MIN_ANALYSIS_HEIGHT): CameraStreams {
  const usable = profiles.filter((p) => p.streamUri !== null && p.width > 0 && p.height > 0);
  const video = usable.filter((p) => VIDEO_CODECS.has(p.encoding.toUpperCase()));
  const candidates = video.length > 0 ? video : usable;
  if (candidates.length === 0) throw new AppError('unprocessable', 'the camera offers no profile with a stream URI and a resolution');
  const bySize = [...candidates].sort((a, b) => area(a) - area(b) || a.fps - b.fps);
  const largest = bySize[bySize.length - 1] as CameraProfile;
  const analysis = bySize.find((p) => p.height >= minHeight) ?? largest;
  return { analysis: stream(analysis), evidence: stream(largest) };
}
