import { execFile } from 'node:child_process';
import { AppError } from '../../contracts/index.js';
import { ffmpegPath } from '../capture/index.js';

export interface MediaProbe {
  readonly format: { readonly duration: number | null; readonly startTime: number | null };
  readonly video: { readonly codec: string; readonly profile: string | null; readonly width: number; readonly height: number } | null;
}

/**
 * What a media file holds (duration, first video stream's codec, profile and size), read from `ffmpeg -i`'s input
 * summary. Not ffprobe: the @ffprobe-installer build (N-66595, 2023 static) segfaults on every file on this
 * platform (Firecracker kernel 6.18), while the ffmpeg 4.1 build works; its summary format is stable across 4.x.
 */
export function probeMedia(path: string, binary: string = ffmpegPath): Promise<MediaProbe> {
  return new Promise((resolve, reject) => {
    // Exit code 1 is expected ("At least one output file must be specified"); the summary is on stderr.
    execFile(binary, ['-hide_banner', '-nostdin', '-i', path], { timeout: 30_000 }, (error, _stdout, stderr) => {
      if (!/^Input #0/m.test(stderr)) {
        reject(new AppError('media_invalid', `cannot read media ${path}: ${stderr.trim().split('\n').at(-1) ?? error?.message ?? 'no output'}`));
        return;
      }
      resolve(parseInputSummary(stderr));
    });
  });
}

export function parseInputSummary(text: string): MediaProbe {
  const duration = /Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)/.exec(text);
  const start = /, start: (-?\d+(?:\.\d+)?)/.exec(text);
  const stream = /Stream #0:\d+[^:]*: Video: (\w+)(?: \(([^)]*)\))?.*?, (\d+)x(\d+)/.exec(text);
  const profile = stream?.[2];
  return {
    format: {
      duration: duration ? Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]) : null,
      startTime: start ? Number(start[1]) : null,
    },
    video: stream
      ? {
          codec: stream[1] ?? 'unknown',
          // "(avc1 / 0x31637661)" is the codec tag, not a profile.
          profile: profile && !profile.includes(' / ') ? profile : null,
          width: Number(stream[3]),
          height: Number(stream[4]),
        }
      : null,
  };
}
