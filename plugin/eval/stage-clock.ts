import { readFile } from 'node:fs/promises';
import type { FrameTiming } from '../pipeline/index.js';

/** Totals of the pipeline's per-frame stage times over one run. */
export interface StageTotals {
  frames: number;
  /** Frames the motion gate (or a due confirmation) let through to the model. */
  detected: number;
  motionMs: number;
  inferenceMs: number;
  trackingMs: number;
  rulesMs: number;
  /** CPU time of the ffmpeg decoder process (Linux /proc); null where it cannot be read. */
  decodeCpuMs: number | null;
  /** Scene time of the newest analysed frame, ms since the scene's origin. */
  lastFrameAt: number;
}

export const emptyTotals = (): StageTotals => ({ frames: 0, detected: 0, motionMs: 0, inferenceMs: 0, trackingMs: 0, rulesMs: 0, decodeCpuMs: null, lastFrameAt: Number.NEGATIVE_INFINITY });

export function addTiming(into: StageTotals, t: FrameTiming): void {
  into.frames += 1;
  if (t.isDetected) into.detected += 1;
  into.motionMs += t.motionMs;
  into.inferenceMs += t.inferenceMs;
  into.trackingMs += t.trackingMs;
  into.rulesMs += t.rulesMs;
  into.lastFrameAt = Math.max(into.lastFrameAt, t.timestamp);
}

export function sumTotals(all: readonly StageTotals[]): StageTotals {
  const out = emptyTotals();
  for (const t of all) {
    out.frames += t.frames;
    out.detected += t.detected;
    out.motionMs += t.motionMs;
    out.inferenceMs += t.inferenceMs;
    out.trackingMs += t.trackingMs;
    out.rulesMs += t.rulesMs;
    if (t.decodeCpuMs !== null) out.decodeCpuMs = (out.decodeCpuMs ?? 0) + t.decodeCpuMs;
  }
  return out;
}

/**
 * User plus system CPU time of a process so far, from /proc/<pid>/stat (fields 14 and 15, in clock ticks; 100 a
 * second on Linux builds). Null off Linux or once the process is gone: decode time is then not reported.
 */
export async function processCpuMs(pid: number | undefined): Promise<number | null> {
  if (pid === undefined || process.platform !== 'linux') return null;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : null;
  } catch {
    return null; // the decoder exited between the pid read and the file read
  }
}
