import { createRule, ruleNames, type RuleHit } from '../../plugin/rules/index.js';
import type { PosFaults } from './pos-stream.js';
import { runScenario, type RunOptions } from './runner.js';
import { addScore, emptyScore, scoreHits, type Score } from './score.js';
import { scenariosFor, type RuleSuite } from './suite.js';
import type { Scenario } from './world.js';

export const TIMEZONE = 'Europe/Berlin';

export interface ScenarioOutcome {
  readonly scenario: Scenario;
  readonly hits: readonly RuleHit[];
  readonly score: Score;
  readonly faults: PosFaults;
}

export interface RuleReport {
  readonly rule: string;
  readonly registered: boolean;
  readonly scenarios: number;
  readonly score: Score;
  readonly outcomes: readonly ScenarioOutcome[];
}

export interface EvaluateOptions extends RunOptions {
  readonly count: number;
  readonly seed: number;
  readonly onScenario?: (done: number, total: number) => void;
}

export const isRegistered = (rule: string): boolean => ruleNames().includes(rule);

/** Runs one scenario through a fresh instance of its rule and scores the hits. */
export function runOne(suite: RuleSuite, scenario: Scenario, options: RunOptions = {}): ScenarioOutcome {
  const rule = createRule(suite.rule, suite.config, { timezone: TIMEZONE, laneId: scenario.laneId });
  const { hits, faults } = runScenario(scenario, rule, options);
  return { scenario, hits, faults, score: scoreHits(suite.rule, hits, scenario.truth) };
}

/** All scenarios of one rule; a rule not (yet) registered is reported as such, with no scenarios run. */
export function evaluateRule(suite: RuleSuite, options: EvaluateOptions): RuleReport {
  if (!isRegistered(suite.rule)) return { rule: suite.rule, registered: false, scenarios: 0, score: emptyScore(), outcomes: [] };
  const scenarios = scenariosFor(suite, options.count, options.seed);
  const outcomes = scenarios.map((scenario, i) => {
    const outcome = runOne(suite, scenario, options);
    options.onScenario?.(i + 1, scenarios.length);
    return outcome;
  });
  const score = outcomes.reduce((total, o) => addScore(total, o.score), emptyScore());
  return { rule: suite.rule, registered: true, scenarios: scenarios.length, score, outcomes };
}
