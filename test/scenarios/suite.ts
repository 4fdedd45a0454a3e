import { scanAvoidance } from './families/scan-avoidance.js';
import { sweethearting } from './families/sweethearting.js';
import type { Scenario, ScenarioRequest } from './world.js';

/** A rule under test: how its scenarios are made and the config it runs with (its defaults unless said). */
export interface RuleSuite {
  readonly rule: string;
  readonly scenario: (req: ScenarioRequest) => Scenario;
  readonly config: Readonly<Record<string, unknown>>;
}

export const SUITES: readonly RuleSuite[] = [
  { rule: 'scan_avoidance', scenario: scanAvoidance, config: {} },
  { rule: 'sweethearting', scenario: sweethearting, config: {} },
];

export function scenariosFor(suite: RuleSuite, count: number, seed: number): Scenario[] {
  return Array.from({ length: count }, (_, index) => suite.scenario({ rule: suite.rule, index, seed }));
}
