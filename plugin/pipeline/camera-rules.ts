import type { RuleConfig } from '../config/index.js';
import { createRule } from '../rules/index.js';
import type { ConfiguredRule } from './camera-pipeline.js';
import type { RuleCamera } from './store-rules.js';

/**
 * The rules of the plugin's own configuration that run on one camera, each a fresh instance (rules keep
 * per-camera state such as which visits already fired). A rule without a `cameras` list runs everywhere; lane
 * rules read the POS events of the camera's lane.
 */
export function rulesForCamera(configs: readonly RuleConfig[], camera: RuleCamera, timezone: string): ConfiguredRule[] {
  return configs
    .filter((c) => c.cameras === undefined || (c.cameras as readonly string[]).includes(camera.id))
    .map((c) => ({ rule: createRule(c.rule, c.settings, { timezone, laneId: camera.laneId }), label: { name: c.name ?? c.rule } }));
}
