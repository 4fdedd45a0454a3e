import type { RuleHit } from '../../plugin/rules/index.js';
import type { TruthEvent } from './world.js';

export interface Score {
  tp: number;
  fp: number;
  fn: number;
  /** Of the false positives, hits on an event another hit already matched (a second incident for one fact). */
  duplicates: number;
}

export const emptyScore = (): Score => ({ tp: 0, fp: 0, fn: 0, duplicates: 0 });

export function addScore(total: Score, s: Score): Score {
  return { tp: total.tp + s.tp, fp: total.fp + s.fp, fn: total.fn + s.fn, duplicates: total.duplicates + s.duplicates };
}

/** The hits the hub would keep: the first of each de-duplication key. */
export function deduplicated(hits: readonly RuleHit[]): RuleHit[] {
  const seen = new Set<string>();
  return hits.filter((hit) => {
    if (seen.has(hit.dedupKey)) return false;
    seen.add(hit.dedupKey);
    return true;
  });
}

/** A hit matches a truth event when its span [since, at] overlaps the event's window. */
const overlaps = (hit: RuleHit, event: TruthEvent): boolean => hit.at >= event.from && Math.min(hit.since, hit.at) <= event.to;

/**
 * Event-level scoring of one scenario: each truth event of the rule is matched by at most one hit (the earliest);
 * a hit matching nothing, or only events already matched, is a false positive; unmatched events are misses.
 */
export function scoreHits(rule: string, hits: readonly RuleHit[], truth: readonly TruthEvent[]): Score {
  const events = truth.filter((e) => e.rule === rule);
  const matched = new Set<TruthEvent>();
  const score = emptyScore();
  for (const hit of [...deduplicated(hits)].filter((h) => h.rule === rule).sort((a, b) => a.at - b.at)) {
    const candidates = events.filter((e) => overlaps(hit, e));
    const free = candidates.find((e) => !matched.has(e));
    if (free !== undefined) {
      matched.add(free);
      score.tp++;
    } else {
      score.fp++;
      if (candidates.length > 0) score.duplicates++;
    }
  }
  score.fn = events.length - matched.size;
  return score;
}

export const precision = (s: Score): number => (s.tp + s.fp === 0 ? 1 : s.tp / (s.tp + s.fp));
export const recall = (s: Score): number => (s.tp + s.fn === 0 ? 1 : s.tp / (s.tp + s.fn));
