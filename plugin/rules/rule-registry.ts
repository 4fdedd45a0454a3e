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

/** A rule type's settings checked by its own schema: the parsed settings, or every problem with its path. */
export function parseRuleSettings(name: string, settings: unknown): { success: true; data: unknown } | { success: false; issues: RuleSettingsIssue[] } {
  const definition = definitions.get(name);
  if (definition === undefined) return { success: false, issues: [{ path: ['rule'], message: `unknown rule ${name}; known: ${ruleNames().join(', ')}` }] };
  const parsed = definition.configSchema.safeParse(settings);
  if (parsed.success) return { success: true, data: parsed.data };
  return { success: false, issues: parsed.error.issues.map((issue) => ({ path: [...issue.path], message: issue.message })) };
}

/** Builds a rule from its name and raw config (YAML/JSON), validated by the rule's own schema. */
export function createRule(name: string, config: unknown, env: RuleEnvironment): Rule {
  const definition = definitions.get(name);
  if (definition === undefined) throw new AppError('config_invalid', `unknown rule ${name}; known: ${ruleNames().join(', ')}`, { status: 400 });
  if (!timeZoneSchema.safeParse(env.timezone).success) throw new AppError('config_invalid', `store timezone ${env.timezone} is not an IANA time zone`, { status: 400 });
  const parsed = definition.configSchema.safeParse(config);
  if (!parsed.success) throw new AppError('config_invalid', `rule ${name}: ${z.prettifyError(parsed.error)}`, { status: 400 });
  return definition.create(parsed.data, env);
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
