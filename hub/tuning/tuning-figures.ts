import type { StoreRule } from '../../contracts/index.js';
import type { Store } from '../../models/index.js';
import type { CommandContext } from '../audit/index.js';
import { nowOf } from '../commands/clock.js';
import { latestStoreRules } from '../commands/store-rules-editor.js';
import { candidateThresholds, proposeThreshold, replayAt, type ReplayFigures } from './replay.js';
import { loadRuleHistory, shownName } from './tuning-reader.js';

export interface TuningOptions {
  days: number;
  recallFloor: number;
  defaultMergeWindowSeconds: number;
}

/** One rule entry of a store: what reviewers said of it, and the threshold the verdicts propose. */
export interface RuleTuning {
  rule: string;
  type: string;
  /** The rule's minConfidence now (0 when it has none). */
  minConfidence: number;
  days: number;
  recallFloor: number;
  /** The stored period replayed at the current threshold (the like-with-like base of the proposal). */
  current: ReplayFigures;
  dismissReasons: Array<{ reason: string; incidents: number }>;
  /** The proposed threshold and what it would have done, or null (with why). */
  proposal: ReplayFigures | null;
  noProposal: string | null;
  /** Every threshold tried, for the chart. */
  curve: ReplayFigures[];
  truncated: boolean;
}

export const currentMinConfidence = (rule: StoreRule): number => {
  const value = rule.settings.minConfidence;
  return typeof value === 'number' ? value : 0;
};

function whyNoProposal(current: ReplayFigures, proposal: ReplayFigures | null): string | null {
  if (proposal) return null;
  if (current.verified === 0) return 'no verified incident in the period, so recall cannot be measured';
  if (current.dismissedKept === 0) return 'no dismissed incident in the period';
  return 'every higher threshold would keep fewer verified incidents than the recall floor allows';
}

/** What one threshold would have done to one rule entry over the stored period. */
export async function replayRule(ctx: CommandContext, store: Store, rule: StoreRule, threshold: number, options: TuningOptions): Promise<ReplayFigures> {
  const history = await loadRuleHistory(ctx.trx, ctx.tenantId, store, rule, { days: options.days, now: nowOf(ctx), defaultMergeWindowSeconds: options.defaultMergeWindowSeconds });
  return replayAt(threshold, history);
}

/** The tuning of one rule entry over the stored period. */
export async function tuneRule(ctx: CommandContext, store: Store, rule: StoreRule, options: TuningOptions): Promise<RuleTuning> {
  const history = await loadRuleHistory(ctx.trx, ctx.tenantId, store, rule, { days: options.days, now: nowOf(ctx), defaultMergeWindowSeconds: options.defaultMergeWindowSeconds });
  const minConfidence = currentMinConfidence(rule);
  const curve = candidateThresholds(minConfidence, history.events).map((t) => replayAt(t, history));
  const current = curve[0] ?? replayAt(minConfidence, history);
  const proposal = proposeThreshold(curve, minConfidence, options.recallFloor);
  return {
    rule: shownName(rule), type: rule.rule, minConfidence, days: options.days, recallFloor: options.recallFloor, current,
    dismissReasons: [...history.dismissReasons].map(([reason, incidents]) => ({ reason, incidents })).sort((a, b) => b.incidents - a.incidents),
    proposal, noProposal: whyNoProposal(current, proposal), curve, truncated: history.truncated,
  };
}

/** Every enabled rule entry of the store's rules in force, tuned. */
export async function tuneStore(ctx: CommandContext, store: Store, options: TuningOptions): Promise<RuleTuning[]> {
  const rules = (await latestStoreRules(ctx, store.id))?.rules ?? [];
  const tuned: RuleTuning[] = [];
  for (const rule of rules.filter((r) => r.enabled)) tuned.push(await tuneRule(ctx, store, rule, options));
  return tuned;
}
