import { createRule, ruleNames } from './rule-registry.js';

/**
 * The rule registry as the hub checks saved settings with it: the composition root hands this to the hub
 * (`startHub({ ruleCatalog })`), which never imports the plugin. A rule is built and dropped, so its settings
 * pass exactly the checks the plugin will apply when it runs them.
 */
export const pluginRuleCatalog = {
  names: (): readonly string[] => ruleNames(),
  check(rule: string, settings: Record<string, unknown>, env: { timezone: string; laneId?: string | undefined }): void {
    createRule(rule, settings, env);
  },
};
