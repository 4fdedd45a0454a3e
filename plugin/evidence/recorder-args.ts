import { join } from 'node:path';
import { inputArgs } from '../capture/index.js';
import type { RecorderOptions } from './recorder-options.js';

/**
 * The recorder: the main stream's video copied (never re-encoded) into short MPEG-TS segments, plus a CSV list
 * (`file,start,end` in seconds of the output timeline) that ffmpeg 4.1 rewrites atomically after each segment.
 * Video only: camera audio is often G.711, which MP4 cannot carry without re-encoding.
 */
export function recorderArgs(options: RecorderOptions, runId: string): string[] {
  const listSize = Math.ceil(options.windowSeconds / options.segmentSeconds) + 5;
  return [
    '-hide_banner',
    '-nostdin',
    '-nostats',
    '-loglevel',
    'error',
    ...inputArgs(options.url, options.transport, options.socketTimeoutMs),
    '-fflags',
    '+genpts+discardcorrupt',
    '-i',
    options.url,
    '-map',
    '0:v:0',
    '-c',
    'copy',
    // Cameras that announce SPS/PPS only in the SDP (sprop-parameter-sets) and send keyframes that already start
    // with an AUD get no in-band parameter sets from the 4.1 mpegts muxer, so a segment could not be decoded on its
    // own; dump_extra puts them before every keyframe (a few bytes, no re-encode).
    '-bsf:v',
    'dump_extra',
    '-f',
    'segment',
    '-segment_time',
    String(options.segmentSeconds),
    '-segment_format',
    'mpegts',
    '-reset_timestamps',
    '1',
    '-segment_list',
    join(options.dir, `${runId}.csv`),
    '-segment_list_type',
    'csv',
    '-segment_list_size',
    String(listSize),
    join(options.dir, `${runId}-%06d.ts`),
  ];
}
