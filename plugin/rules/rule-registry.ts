import { z } from 'zod';
import { AppError } from '../../contracts/index.js';
import { timeZoneSchema } from './local-time.js';
import type { Rule, RuleDefinition, RuleEnvironment } from './rule.js';
import { concealmentRule } from './concealment.js';
import { loiteringHighValueRule } from './loitering-high-value.js';
import { noSaleDrawerOpenRule } from './no-sale-drawer-open.js';
import { pushOutRule } from './push-out.js';
import { refundNoCustomerRule } from './refund-no-customer.js';
import { scanAvoidanceRule } from './scan-avoidance.js';
import { sweepRule } from './sweep.js';
import { sweetheartingRule } from './sweethearting.js';
import { voidAfterBaggingRule } from './void-after-bagging.js';
import { zoneDwellRule } from './zone-dwell.js';

const definitions = new Map<string, RuleDefinition<unknown>>();

export function registerRule<C>(definition: RuleDefinition<C>): void {
  if (definitions.has(definition.name)) throw new AppError('conflict', `rule ${definition.name} is already registered`);
  definitions.set(definition.name, definition as RuleDefinition<unknown>);
}

export function ruleNames(): string[] {
  return [...definitions.keys()];
}

export interface RuleSettingsIssue {
  readonly path: PropertyKey[];
  readonly message: string;
}

/**
 * The setting every rule type takes besides its own: `minConfidence`, below which a hit is not raised. It is
 * applied to what the rule (with its own de-duplication and cooldown) raises, so a stored event stream
 * replayed with a higher threshold drops exactly the events the rule would no longer send (hub/tuning/).
 */
export const MIN_CONFIDENCE_SETTING = 'minConfidence';
const minConfidenceSchema = z.number().min(0).max(1).describe('hits scored below this are not raised (tuned from reviewers\' verdicts)');

/** Splits the shared setting off a rule's raw settings; what remains is checked by the rule's own schema. */
function splitSettings(settings: unknown): { own: unknown; minConfidence: unknown } {
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings) || !(MIN_CONFIDENCE_SETTING in settings)) return { own: settings, minConfidence: undefined };
  const { [MIN_CONFIDENCE_SETTING]: minConfidence, ...own } = settings as Record<string, unknown>;
  return { own, minConfidence };
}

/** A rule type's settings checked by its own schema (and the shared minConfidence): the parsed settings, or every problem with its path. */
export function parseRuleSettings(name: string, settings: unknown): { success: true; data: unknown } | { success: false; issues: RuleSettingsIssue[] } {
  const definition = definitions.get(name);
  if (definition === undefined) return { success: false, issues: [{ path: ['rule'], message: `unknown rule ${name}; known: ${ruleNames().join(', ')}` }] };
  const { own, minConfidence } = splitSettings(settings);
  const parsed = definition.configSchema.safeParse(own);
  const threshold = minConfidence === undefined ? null : minConfidenceSchema.safeParse(minConfidence);
  const issues = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => ({ path: [...issue.path], message: issue.message }))),
    ...(threshold && !threshold.success ? threshold.error.issues.map((issue) => ({ path: [MIN_CONFIDENCE_SETTING, ...issue.path], message: issue.message })) : []),
  ];
  if (issues.length > 0 || !parsed.success) return { success: false, issues };
  return { success: true, data: threshold?.success ? { ...(parsed.data as object), [MIN_CONFIDENCE_SETTING]: threshold.data } : parsed.data };
}

/** A rule that raises only the hits of `inner` scored at least `minConfidence`. */
function withMinConfidence(inner: Rule, minConfidence: number): Rule {
  return {
    name: inner.name,
    evaluate: (input) => inner.evaluate(input).filter((hit) => hit.confidence >= minConfidence),
    ...(inner.reset ? { reset: () => inner.reset?.() } : {}),
  };
}

/** Builds a rule from its name and raw config (YAML/JSON), validated by the rule's own schema. */
export function createRule(name: string, config: unknown, env: RuleEnvironment): Rule {
  const definition = definitions.get(name);
  if (definition === undefined) throw new AppError('config_invalid', `unknown rule ${name}; known: ${ruleNames().join(', ')}`, { status: 400 });
  if (!timeZoneSchema.safeParse(env.timezone).success) throw new AppError('config_invalid', `store timezone ${env.timezone} is not an IANA time zone`, { status: 400 });
  const { own, minConfidence } = splitSettings(config);
  const parsed = definition.configSchema.safeParse(own);
  if (!parsed.success) throw new AppError('config_invalid', `rule ${name}: ${z.prettifyError(parsed.error)}`, { status: 400 });
  const rule = definition.create(parsed.data, env);
  if (minConfidence === undefined) return rule;
  const threshold = minConfidenceSchema.safeParse(minConfidence);
  if (!threshold.success) throw new AppError('config_invalid', `rule ${name}: ${MIN_CONFIDENCE_SETTING}: ${z.prettifyError(threshold.error)}`, { status: 400 });
  return threshold.data > 0 ? withMinConfidence(rule, threshold.data) : rule;
}

registerRule(zoneDwellRule);
registerRule(scanAvoidanceRule);
registerRule(sweetheartingRule);
registerRule(noSaleDrawerOpenRule);
registerRule(refundNoCustomerRule);
registerRule(concealmentRule);
registerRule(voidAfterBaggingRule);
registerRule(pushOutRule);
registerRule(loiteringHighValueRule);
registerRule(sweepRule);
