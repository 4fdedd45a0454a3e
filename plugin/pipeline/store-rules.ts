import type { Logger } from 'pino';
import { effectiveLaneSettings, type EventProgram, type StoreRule, type StoreRulesDocument } from '../../contracts/index.js';
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
  return build(document.rules, undefined, camera, timezone, logger, document.version);
}

/**
 * The rules of the pilot programs covering the camera (all lanes of the store, or the program's lanes), each
 * carrying its program, so its events name it and a shadow program raises no VMS alarm.
 */
export function programRulesFor(document: StoreRulesDocument, camera: RuleCamera, timezone: string, logger: Logger): ConfiguredRule[] {
  return document.programs.flatMap((program) => {
    const covers = program.laneIds.length === 0 || (camera.laneId !== undefined && (program.laneIds as readonly string[]).includes(camera.laneId));
    if (!covers) return [];
    return build(program.rules, { id: program.id, mode: program.mode, version: program.version }, camera, timezone, logger, document.version);
  });
}

function build(entries: readonly StoreRule[], program: EventProgram | undefined, camera: RuleCamera, timezone: string, logger: Logger, version: number): ConfiguredRule[] {
  const rules: ConfiguredRule[] = [];
  for (const entry of entries) {
    const settings = effectiveLaneSettings(entry, camera.laneId);
    if (settings === null) continue;
    try {
      rules.push({ rule: createRule(entry.rule, settings, { timezone, laneId: camera.laneId }), label: { name: entry.name ?? entry.rule, ...(program ? { program } : {}) } });
    } catch (error) {
      logger.warn({ err: error, camera: camera.id, rule: entry.rule, version, program: program?.id }, 'a rule of the hub’s store configuration cannot run here; left out');
    }
  }
  return rules;
}
