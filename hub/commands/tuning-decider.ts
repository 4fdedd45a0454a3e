import { AppError, type StoreRule, type StoreRulesDocument } from '../../contracts/index.js';
import type { Store } from '../../models/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';
import { currentMinConfidence, replayRule, type TuningOptions } from '../tuning/tuning-figures.js';
import type { ReplayFigures } from '../tuning/replay.js';
import { shownName } from '../tuning/tuning-reader.js';
import { latestStoreRules, saveStoreRules, type RuleCatalog } from './store-rules-editor.js';

export interface TuningDecision {
  rule: string;
  minConfidence: number;
  decision: 'accept' | 'reject';
  reason?: string | undefined;
}

export interface TuningOutcome {
  decision: 'accept' | 'reject';
  rule: string;
  minConfidence: number;
  figures: ReplayFigures;
  /** The store's rules as saved by an accepted change (the plugins pull this version). */
  storeRules: StoreRulesDocument | null;
}

function ruleNamed(rules: readonly StoreRule[], name: string): StoreRule {
  const rule = rules.find((r) => shownName(r) === name);
  if (!rule) throw new AppError('not_found', `rule ${name} is not among the store's rules`);
  return rule;
}

/** An accepted threshold must be replayable (above the current one) and keep recall at the floor. */
function checkAcceptable(figures: ReplayFigures, current: number, options: TuningOptions): void {
  if (figures.threshold <= current) {
    throw new AppError('unprocessable', `minConfidence ${figures.threshold} is not above the current ${current}: events below the current threshold were never sent, so a lower one cannot be replayed`);
  }
  if (figures.recall === null) throw new AppError('unprocessable', 'no verified incident in the period, so the change\'s recall cannot be measured');
  if (figures.recall < options.recallFloor) {
    throw new AppError('unprocessable', `minConfidence ${figures.threshold} keeps ${figures.verifiedKept} of ${figures.verified} verified incidents (recall ${figures.recall.toFixed(3)}), below the floor of ${options.recallFloor}`);
  }
}

/**
 * An admin's decision on a threshold for one of the store's rules, replayed again over the stored period so
 * the audit records what the decision rested on. Accepting saves the next version of the store's rules with
 * the rule's minConfidence (audited as store_rules.updated, pulled by the store's plugins); rejecting only
 * records the decision.
 */
export async function decideTuning(ctx: CommandContext, store: Store, decision: TuningDecision, options: TuningOptions & { catalog: RuleCatalog }): Promise<TuningOutcome> {
  const rules = (await latestStoreRules(ctx, store.id))?.rules ?? [];
  const rule = ruleNamed(rules, decision.rule);
  const current = currentMinConfidence(rule);
  const figures = await replayRule(ctx, store, rule, decision.minConfidence, options);
  let storeRules: StoreRulesDocument | null = null;
  if (decision.decision === 'accept') {
    checkAcceptable(figures, current, options);
    const changed = rules.map((r) => (r === rule ? { ...r, settings: { ...r.settings, minConfidence: decision.minConfidence } } : r));
    storeRules = await saveStoreRules(ctx, store, { rules: changed }, { catalog: options.catalog });
  }
  await writeAudit(ctx, {
    action: decision.decision === 'accept' ? 'tuning.accepted' : 'tuning.rejected', subjectType: 'StoreRules', subjectId: store.id,
    before: { rule: decision.rule, minConfidence: current },
    after: {
      rule: decision.rule, minConfidence: decision.minConfidence, days: options.days, recallFloor: options.recallFloor, figures,
      ...(decision.reason === undefined ? {} : { reason: decision.reason }), ...(storeRules ? { storeRulesVersion: storeRules.version } : {}),
    },
  });
  return { decision: decision.decision, rule: decision.rule, minConfidence: decision.minConfidence, figures, storeRules };
}
