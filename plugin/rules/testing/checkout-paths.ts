import { productAt, type FrameSpec } from './scene.js';

/** Product `id` on the load area (2 frames), the scanner (2), bagging (2); with 500 ms frames, 3 s in all. */
export function scannedPath(id: number): FrameSpec[] {
  return [0.1, 0.1, 0.4, 0.4, 0.65, 0.65].map((x) => ({ tracks: [productAt(id, x)] }));
}

/** Several products one after the other, each starting where the previous one's path ends. */
export const oneAfterAnother = (...ids: number[]): FrameSpec[] => ids.flatMap(scannedPath);

/** Adds POS events to the frame at `index` (extending the list with empty frames when needed). */
export function withPos(frames: readonly FrameSpec[], index: number, pos: NonNullable<FrameSpec['pos']>): FrameSpec[] {
  const out = [...frames];
  while (out.length <= index) out.push({});
  const frame = out[index] ?? {};
  out[index] = { ...frame, pos: [...(frame.pos ?? []), ...pos] };
  return out;
}
