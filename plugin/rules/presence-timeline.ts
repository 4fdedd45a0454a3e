/** A stretch of frames in which someone was (or nobody was) present. */
interface PresenceRun {
  readonly from: number;
  to: number;
  readonly isPresent: boolean;
  /** Track ids seen present in this run. */
  readonly trackIds: Set<number>;
}

/**
 * Whether someone was present, frame by frame, compressed into runs, for the last `memoryMs`: POS events that
 * arrive late can still be judged against what the camera saw at their `at`. Frames further apart than `maxGapMs`
 * leave a hole: the camera did not see that moment, so it cannot say nobody was there.
 */
export class PresenceTimeline {
  private readonly runs: PresenceRun[] = [];

  constructor(
    private readonly memoryMs: number,
    private readonly maxGapMs = 2000,
  ) {}

  record(at: number, presentTrackIds: readonly number[]): void {
    const isPresent = presentTrackIds.length > 0;
    const last = this.runs.at(-1);
    if (last !== undefined && at < last.to) return; // frames come in order; a stale one says nothing new
    if (last !== undefined && last.isPresent === isPresent && at - last.to <= this.maxGapMs) {
      last.to = at;
      for (const id of presentTrackIds) last.trackIds.add(id);
    } else {
      this.runs.push({ from: at, to: at, isPresent, trackIds: new Set(presentTrackIds) });
    }
    while ((this.runs[0]?.to ?? at) < at - this.memoryMs) this.runs.shift();
  }

  /** True when the frames seen cover [from, to] without holes. */
  covers(from: number, to: number): boolean {
    let reached = from;
    for (const run of this.runs) {
      if (run.to < reached) continue;
      if (run.from - reached > this.maxGapMs) return false;
      reached = Math.max(reached, run.to);
      if (reached >= to) return true;
    }
    return false;
  }

  /** Track ids present at some frame within [from, to] (empty: nobody was seen there). */
  presentBetween(from: number, to: number): number[] {
    const ids = new Set<number>();
    for (const run of this.runs) if (run.isPresent && run.to >= from && run.from <= to) for (const id of run.trackIds) ids.add(id);
    return [...ids];
  }

  reset(): void {
    this.runs.length = 0;
  }
}
