import { AppError } from '../../contracts/index.js';
import type { CameraProfile, CameraStreams } from './types.js';

/** Below this height people at a checkout are too few pixels for the detector. */
export const MIN_ANALYSIS_HEIGHT = 320;

/** Which video source (NVR channel) a camera uses: its token, or its 1-based position in the device's order. */
export type VideoSourceSelector = string | number;

const VIDEO_CODECS = new Set(['H264', 'H265']);
const area = (p: CameraProfile): number => p.width * p.height;
const stream = (p: CameraProfile): CameraStreams['analysis'] => ({ uri: p.streamUri ?? '', profileToken: p.token, width: p.width, height: p.height, encoding: p.encoding });
const sourceKey = (p: CameraProfile): string => p.videoSourceToken ?? '';

/** The profiles grouped by video source, in the order the device lists the sources. */
export function profilesBySource(profiles: readonly CameraProfile[]): Map<string, CameraProfile[]> {
  const groups = new Map<string, CameraProfile[]>();
  for (const p of profiles) groups.set(sourceKey(p), [...(groups.get(sourceKey(p)) ?? []), p]);
  return groups;
}

/**
 * Picks one video source (the selected one, else the first listed) and, within it only, the analysis and evidence
 * profiles: evidence from another channel than the one analysed is the worst failure an evidence system can have.
 * Analysis: the smallest profile at least `minHeight` tall (cheap to decode, enough detail), else the largest one.
 * Evidence: the largest profile (ties go to the higher frame rate). H.264/H.265 profiles are preferred over MJPEG.
 */
export function chooseStreams(profiles: readonly CameraProfile[], minHeight = MIN_ANALYSIS_HEIGHT, videoSource?: VideoSourceSelector): CameraStreams {
  const groups = profilesBySource(profiles.filter((p) => p.streamUri !== null && p.width > 0 && p.height > 0));
  const [token, group] = selectSource(profilesBySource(profiles), groups, videoSource);
  return { videoSourceToken: token === '' ? null : token, ...chooseWithin(group, minHeight) };
}

function selectSource(all: Map<string, CameraProfile[]>, usable: Map<string, CameraProfile[]>, selector: VideoSourceSelector | undefined): [string, CameraProfile[]] {
  if (selector === undefined) {
    const first = [...usable][0];
    if (first === undefined) throw new AppError('unprocessable', 'the camera offers no profile with a stream URI and a resolution');
    return first;
  }
  const token = typeof selector === 'number' ? [...all.keys()][selector - 1] : selector;
  const group = token === undefined ? undefined : usable.get(token);
  if (token === undefined || group === undefined) {
    const known = [...all.keys()].map((k, i) => `${i + 1}: ${k || '(none)'}`).join(', ');
    throw new AppError('unprocessable', `video source ${String(selector)} has no usable profile; the device has ${known || 'none'}`);
  }
  return [token, group];
}

function chooseWithin(group: readonly CameraProfile[], minHeight: number): Pick<CameraStreams, 'analysis' | 'evidence'> {
  const video = group.filter((p) => VIDEO_CODECS.has(p.encoding.toUpperCase()));
  const candidates = video.length > 0 ? video : group;
  const bySize = [...candidates].sort((a, b) => area(a) - area(b) || a.fps - b.fps);
  const largest = bySize[bySize.length - 1] as CameraProfile;
  const analysis = bySize.find((p) => p.height >= minHeight) ?? largest;
  return { analysis: stream(analysis), evidence: stream(largest) };
}

/** One entry per video source of a device (what `vigil discover` lists): its 1-based index and chosen streams. */
export interface SourceChoice {
  readonly index: number;
  readonly videoSourceToken: string | null;
  readonly streams: CameraStreams | null;
  readonly problem: string | null;
}

export function chooseStreamsPerSource(profiles: readonly CameraProfile[], minHeight = MIN_ANALYSIS_HEIGHT): SourceChoice[] {
  return [...profilesBySource(profiles).keys()].map((token, i) => {
    const base = { index: i + 1, videoSourceToken: token === '' ? null : token };
    try {
      return { ...base, streams: chooseStreams(profiles, minHeight, token === '' ? i + 1 : token), problem: null };
    } catch (error) {
      return { ...base, streams: null, problem: error instanceof Error ? error.message : String(error) };
    }
  });
}
