import type { RuleDefinition } from './rule.js';
import { UnattendedPosRule, unattendedPosSchema, type UnattendedPosConfig } from './unattended-pos-rule.js';

const NAME = 'refund_no_customer';
const KINDS = new Set(['refund'] as const);

/** A refund rung with no customer at the lane: the refund has nobody to go to. */
export const refundNoCustomerRule: RuleDefinition<UnattendedPosConfig> = {
  name: NAME,
  description: 'a refund on the lane while nobody is in the customer zone',
  configSchema: unattendedPosSchema('high', 30),
  create: (config, env) => new UnattendedPosRule({ name: NAME, kinds: KINDS }, config, env),
};
