import type { CaptureOptions } from './capture-options.js';
import { inputArgs } from './input-args.js';

/**
 * The analysis decoder: the chosen video stream, resampled to the analysis rate and size, as raw pixels on stdout.
 * Timestamps are the arrival wall-clock (`-use_wallclock_as_timestamps`): cameras that restart their RTP clock,
 * or a looping test file, would otherwise make the fps filter drop everything until the old timestamps are reached.
 */
export function decoderArgs(options: CaptureOptions): string[] {
  return [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-loglevel',
    'error',
    ...inputArgs(options.url, options.transport, options.socketTimeoutMs),
    '-fflags',
    '+discardcorrupt+genpts+nobuffer',
    '-use_wallclock_as_timestamps',
    '1',
    // Enough to find SPS/PPS and a keyframe; the 5 s default delays the first frame after every restart. `nobuffer`
    // drops the packets read while probing: kept, they come out as a burst of stale frames stamped "now".
    '-probesize',
    '1000000',
    '-analyzeduration',
    '1000000',
    '-i',
    options.url,
    '-map',
    '0:v:0',
    '-an',
    '-sn',
    '-dn',
    '-vf',
    `fps=${options.fps},scale=${options.width}:${options.height}:flags=bilinear`,
    '-f',
    'rawvideo',
    '-pix_fmt',
    options.format,
    'pipe:1',
  ];
}
