import type { RuleDefinition } from './rule.js';
import { UnattendedPosRule, unattendedPosSchema, type UnattendedPosConfig } from './unattended-pos-rule.js';

const NAME = 'no_sale_drawer_open';
const KINDS = new Set(['no_sale', 'drawer_open'] as const);

/** The drawer opened (a no-sale, or a drawer-open event) with no customer at the lane. */
export const noSaleDrawerOpenRule: RuleDefinition<UnattendedPosConfig> = {
  name: NAME,
  description: 'a no-sale or drawer-open on the lane while nobody is in the customer zone',
  configSchema: unattendedPosSchema('high', 30),
  create: (config, env) => new UnattendedPosRule({ name: NAME, kinds: KINDS }, config, env),
};
