import type { Logger } from 'pino';
import { effectiveLaneSettings, type StoreRulesDocument } from '../../contracts/index.js';
import { createRule } from '../rules/index.js';
import type { ConfiguredRule } from './camera-pipeline.js';

export interface RuleCamera {
  readonly id: string;
  readonly laneId?: string | undefined;
}

/**
 * The rules one camera runs from its store's rule document at the hub: each enabled rule with the store's settings
 * overlaid by the camera's lane. A rule this plugin cannot build (a type newer than the plugin, settings it refuses)
 * is logged and left out; the others run.
 */
export function rulesFromStoreDocument(document: StoreRulesDocument, camera: RuleCamera, timezone: string, logger: Logger): ConfiguredRule[] {
  const rules: ConfiguredRule[] = [];
  for (const entry of document.rules) {
    const settings = effectiveLaneSettings(entry, camera.laneId);
    if (settings === null) continue;
    try {
      rules.push({ rule: createRule(entry.rule, settings, { timezone, laneId: camera.laneId }), label: { name: entry.name ?? entry.rule } });
    } catch (error) {
      logger.warn({ err: error, camera: camera.id, rule: entry.rule, version: document.version }, 'a rule of the hub’s store configuration cannot run here; left out');
    }
  }
  return rules;
}
