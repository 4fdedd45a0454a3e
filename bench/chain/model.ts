// The load model of a chain: what one store sends the hub over a day, and the daily curve it follows.
// Figures from docs/ARCHITECTURE (scale): 10,000 stores, a few hundred detection events a second on
// average and thousands at peak, about 20 million POS transactions a day.

export interface StoreRates {
  /** Detection events per store per day (after motion gating and rule confirmation). */
  eventsPerDay: number;
  /** POS transactions per store per day. */
  posPerDay: number;
  /** Share of new incidents whose clip metadata the plugin registers (POST /v1/evidence/uploads). */
  evidenceShare: number;
  /** Share of new incidents a reviewer acts on (POST /v1/incidents/:id/transitions). */
  reviewShare: number;
}

const env = (name: string, fallback: number): number => (process.env[name] === undefined ? fallback : Number(process.env[name]));

/** The model's rates; each can be changed from the environment (BENCH_EVENTS_PER_DAY, BENCH_POS_PER_DAY, BENCH_EVIDENCE_SHARE, BENCH_REVIEW_SHARE). */
export const DEFAULT_RATES: StoreRates = {
  eventsPerDay: env('BENCH_EVENTS_PER_DAY', 2_600),
  posPerDay: env('BENCH_POS_PER_DAY', 2_000),
  evidenceShare: env('BENCH_EVIDENCE_SHARE', 0.5),
  reviewShare: env('BENCH_REVIEW_SHARE', 0.2),
};

/**
 * Relative traffic by hour of day (local), mean 1: closed at night, a lunch bump, the evening peak at
 * 17:00-18:00. The steps of the model run at the peak hour, the load a hub must carry.
 */
const SHAPE = [0.05, 0.03, 0.02, 0.02, 0.03, 0.1, 0.35, 0.7, 1.0, 1.2, 1.35, 1.55, 1.8, 1.6, 1.4, 1.5, 1.9, 2.3, 2.25, 1.9, 1.4, 0.9, 0.4, 0.15];
const MEAN = SHAPE.reduce((a, b) => a + b, 0) / SHAPE.length;
export const hourFactor = (hour: number): number => (SHAPE[((hour % 24) + 24) % 24] ?? 1) / MEAN;
export const PEAK_HOUR = SHAPE.indexOf(Math.max(...SHAPE));
export const PEAK_FACTOR = hourFactor(PEAK_HOUR);

/** Per second for one store at `hour`. */
export const perSecond = (perDay: number, hour: number): number => (perDay / 86_400) * hourFactor(hour);

/** A Poisson draw (Knuth for small means, a normal approximation above 30). */
export function poisson(mean: number, random: () => number = Math.random): number {
  if (mean <= 0) return 0;
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)));
  const limit = Math.exp(-mean);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k += 1;
  return k;
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(Math.max(1e-12, random()))) * Math.cos(2 * Math.PI * random());
}

/** The offered load of each step: from `start` stores, growing by `growth`, up to `max`. */
export function storeSteps(start: number, growth: number, max: number, steps: number): number[] {
  const out: number[] = [];
  for (let s = Math.min(start, max); out.length < steps; s = Math.min(max, Math.ceil(s * growth))) {
    out.push(s);
    if (s >= max) break;
  }
  return out;
}
