import { concealment } from './families/concealment.js';
import { loitering } from './families/loitering.js';
import { pushOut } from './families/push-out.js';
import { scanAvoidance } from './families/scan-avoidance.js';
import { sweep } from './families/sweep.js';
import { sweethearting } from './families/sweethearting.js';
import { unattendedPos } from './families/unattended-pos.js';
import { voidAfterBagging } from './families/void-after-bagging.js';
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
  { rule: 'concealment', scenario: concealment, config: {} },
  { rule: 'no_sale_drawer_open', scenario: unattendedPos(['no_sale', 'drawer_open']), config: {} },
  { rule: 'refund_no_customer', scenario: unattendedPos(['refund']), config: {} },
  { rule: 'void_after_bagging', scenario: voidAfterBagging, config: {} },
  { rule: 'push_out', scenario: pushOut, config: {} },
  { rule: 'loitering_high_value', scenario: loitering, config: {} },
  { rule: 'sweep', scenario: sweep, config: {} },
];

export function scenariosFor(suite: RuleSuite, count: number, seed: number): Scenario[] {
  return Array.from({ length: count }, (_, index) => suite.scenario({ rule: suite.rule, index, seed }));
}
