import type { RuleConfig } from '../config/index.js';
import { createRule } from '../rules/index.js';
import type { ConfiguredRule } from './camera-pipeline.js';

/**
 * The rules that run on one camera, each a fresh instance (rules keep per-camera state such as which visits
 * already fired). A rule without a `cameras` list runs everywhere.
 */
export function rulesForCamera(configs: readonly RuleConfig[], cameraId: string, timezone: string): ConfiguredRule[] {
  return configs
    .filter((c) => c.cameras === undefined || (c.cameras as readonly string[]).includes(cameraId))
    .map((c) => {
      const { rule: type, name, cameras, severity, ...settings } = c;
      void cameras;
      return { rule: createRule(type, { ...settings, severity }, { timezone }), label: { name: name ?? type } };
    });
}
