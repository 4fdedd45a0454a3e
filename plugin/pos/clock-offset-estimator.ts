import type { OffsetEstimationConfig } from './pos-config-schema.js';

/** A lane's clock offset (POS clock minus camera clock, ms) and how it was arrived at. */
export interface OffsetEstimate {
  readonly configuredMs: number;
  /** The offset in use: the estimate once enough scans matched, the configured value until then. */
  readonly offsetMs: number;
  readonly isEstimated: boolean;
  /** Crossings matched with a scan within the tolerance of the consensus (the inliers). */
  readonly samples: number;
  /** Robust spread of the inliers' differences (1.4826 x median absolute deviation), ms; null without samples. */
  readonly spreadMs: number | null;
  readonly crossings: number;
  readonly scans: number;
}

const median = (sorted: readonly number[]): number => {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const sortNumbers = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

/**
 * Learns a lane's clock offset from pairs of (scanner-zone crossing on camera time, sale line on POS time).
 * Which scan belongs to which crossing is not known, so every scan within the search window of a crossing
 * is a candidate difference. Right pairings agree with each other and wrong ones scatter: the consensus is
 * the densest cluster of differences (width 2 x tolerance), then each crossing keeps its one candidate
 * nearest the consensus if within the tolerance, and the estimate is the median of those inliers, after
 * dropping any beyond 3 robust deviations. Crossings without a scan (the interesting ones!) and scans
 * without a crossing (keyed items) only add scatter. On a busy lane some wrong pairings agree by chance,
 * so the estimate is used only when enough crossings match (minMatches) and clearly more than chance
 * would match (see chanceLimit).
 */
export class ClockOffsetEstimator {
  private readonly crossings: number[] = [];
  private readonly scans: number[] = [];
  private cached: OffsetEstimate | null = null;

  constructor(private readonly configuredMs: number, private readonly options: OffsetEstimationConfig) {}

  observeCrossing(atCameraMs: number): void {
    this.push(this.crossings, atCameraMs, this.options.history);
  }

  observeScan(posTimeMs: number): void {
    this.push(this.scans, posTimeMs, this.options.history * 8);
  }

  get offsetMs(): number {
    return this.estimate().offsetMs;
  }

  estimate(): OffsetEstimate {
    this.cached ??= this.compute();
    return this.cached;
  }

  private push(list: number[], value: number, limit: number): void {
    list.push(value);
    if (list.length > limit) list.splice(0, list.length - limit);
    this.cached = null;
  }

  private candidates(): number[][] {
    const { searchWindowMs } = this.options;
    return this.crossings.map((c) => this.scans.map((s) => s - c).filter((d) => Math.abs(d - this.configuredMs) <= searchWindowMs));
  }

  /** Centre of the densest run of differences no wider than 2 x tolerance; ties go to the one nearest the configured offset. */
  private consensus(differences: number[]): number | null {
    const sorted = sortNumbers(differences);
    const width = 2 * this.options.matchToleranceMs;
    let best: { count: number; centre: number } | null = null;
    let lo = 0;
    for (let hi = 0; hi < sorted.length; hi += 1) {
      while ((sorted[hi] ?? 0) - (sorted[lo] ?? 0) > width) lo += 1;
      const count = hi - lo + 1;
      if (best !== null && count < best.count) continue;
      const centre = median(sorted.slice(lo, hi + 1));
      const isCloser = best !== null && count === best.count && Math.abs(centre - this.configuredMs) < Math.abs(best.centre - this.configuredMs);
      if (best === null || count > best.count || isCloser) best = { count, centre };
    }
    return best?.centre ?? null;
  }

  private compute(): OffsetEstimate {
    const base = { configuredMs: this.configuredMs, crossings: this.crossings.length, scans: this.scans.length };
    const fallback: OffsetEstimate = { ...base, offsetMs: this.configuredMs, isEstimated: false, samples: 0, spreadMs: null };
    const perCrossing = this.candidates();
    const consensus = this.consensus(perCrossing.flat());
    if (consensus === null) return fallback;
    // A second pass around the inliers' median settles a consensus window that caught a neighbour's pairs.
    const firstPass = this.inliers(perCrossing, consensus);
    const kept = this.rejectOutliers(firstPass.length === 0 ? [] : this.inliers(perCrossing, median(firstPass)));
    if (kept.length === 0) return fallback;
    const estimate = Math.round(median(kept));
    const spreadMs = Math.round(1.4826 * median(sortNumbers(kept.map((d) => Math.abs(d - estimate)))));
    const isEstimated = kept.length >= this.options.minMatches && kept.length >= this.chanceLimit(perCrossing);
    return { ...base, offsetMs: isEstimated ? estimate : this.configuredMs, isEstimated, samples: kept.length, spreadMs };
  }

  /**
   * Inliers that random pairings could reach by chance. Crossing i has n_i candidates spread over the
   * search window, so one falls within the tolerance of a given centre with probability
   * p_i = 1 - exp(-n_i x 2 tolerance / 2 window); the chance count is a sum of such trials. The consensus is
   * the best of M = window / tolerance places to look, so the limit is the chance mean plus
   * (sqrt(2 ln M) + 3) standard deviations (the extreme of M normal draws, with a margin).
   */
  private chanceLimit(perCrossing: number[][]): number {
    const { matchToleranceMs, searchWindowMs } = this.options;
    let mean = 0;
    let variance = 0;
    for (const ds of perCrossing) {
      const p = 1 - Math.exp(-(ds.length * matchToleranceMs) / searchWindowMs);
      mean += p;
      variance += p * (1 - p);
    }
    const places = Math.max(2, searchWindowMs / matchToleranceMs);
    return mean + (Math.sqrt(2 * Math.log(places)) + 3) * Math.sqrt(variance);
  }

  /** Each crossing's candidate nearest `centre`, when within the tolerance; sorted. */
  private inliers(perCrossing: number[][], centre: number): number[] {
    return sortNumbers(perCrossing.flatMap((ds) => {
      const nearest = ds.reduce<number | null>((a, d) => (a === null || Math.abs(d - centre) < Math.abs(a - centre) ? d : a), null);
      return nearest !== null && Math.abs(nearest - centre) <= this.options.matchToleranceMs ? [nearest] : [];
    }));
  }

  private rejectOutliers(sorted: number[]): number[] {
    if (sorted.length < 3) return sorted;
    const m = median(sorted);
    const deviation = 1.4826 * median(sortNumbers(sorted.map((d) => Math.abs(d - m))));
    const limit = Math.max(3 * deviation, 50);
    return sorted.filter((d) => Math.abs(d - m) <= limit);
  }
}
