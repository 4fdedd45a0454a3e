import { AppError } from '../../contracts/index.js';

export interface ByteRange {
  start: number;
  end: number;
}

/**
 * One `Range: bytes=…` range (what browsers send when seeking a video). Multiple ranges are answered with
 * the whole object (allowed by RFC 9110); an unsatisfiable range is a 416 with `Content-Range: bytes *\/size`.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, from, to] = match;
  let start: number;
  let end: number;
  if (from === '' && to === '') return null;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0) throw unsatisfiable(size);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(from);
    end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  }
  if (start >= size || start > end) throw unsatisfiable(size);
  return { start, end };
}

function unsatisfiable(size: number): AppError {
  return new AppError('bad_request', 'requested range not satisfiable', { status: 416, details: { size } });
}
