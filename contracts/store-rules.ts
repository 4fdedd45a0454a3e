import { z } from 'zod';
import { idSchema } from './ids.js';
import { programModeSchema } from './programs.js';

const settingsSchema = z
  .record(z.string().min(1).max(64), z.unknown())
  .describe('The rule type’s own settings (thresholds, zone types, windows); checked against that type’s schema when saved');

/** How one lane departs from its store's settings of a rule. */
export const laneRuleOverrideSchema = z.strictObject({
  enabled: z.boolean().optional().describe('Turn the rule off (or on) for this lane only'),
  settings: settingsSchema.optional().describe('Replaces these settings for this lane; the others stay the store’s'),
});

/** One rule as a store runs it, with per-lane overrides. */
export const storeRuleSchema = z.strictObject({
  rule: z.string().min(1).max(64).describe('The rule type, e.g. scan_avoidance'),
  name: z.string().min(1).max(100).optional().describe('Name shown on incidents; the rule type when absent'),
  enabled: z.boolean().default(true),
  settings: settingsSchema.default({}),
  lanes: z.record(idSchema('lane'), laneRuleOverrideSchema).default({}).describe('Overrides by lane id'),
});
export type StoreRule = z.output<typeof storeRuleSchema>;

/** `PUT /v1/stores/{id}/rules`: the whole rule configuration of a store (zones stay with each camera). */
export const storeRulesBodySchema = z.strictObject({
  rules: z.array(storeRuleSchema).max(64),
});
export type StoreRulesBody = z.output<typeof storeRulesBodySchema>;

/** The rules a program runs on one store, as its plugin pulls them with the store's own rules. */
export const storeProgramSchema = z.strictObject({
  id: idSchema('program'),
  name: z.string().min(1).max(100),
  mode: programModeSchema,
  version: z.number().int().positive(),
  laneIds: z.array(idSchema('lane')).max(1000).describe('Lanes the program runs on; every lane of the store when empty'),
  rules: z.array(storeRuleSchema).max(64),
});
export type StoreProgram = z.output<typeof storeProgramSchema>;

/** What plugins pull (`GET /v1/stores/{id}/rules`, with ETag): the configuration and its version. */
export const storeRulesDocumentSchema = storeRulesBodySchema.extend({
  storeId: idSchema('store'),
  /** Increases by one with every saved change; the ETag is derived from it and from the programs' versions. */
  version: z.number().int().nonnegative(),
  updatedAt: z.string().nullable(),
  /** Pilot programs that cover the store, each with its own rules and mode (shadow or live). */
  programs: z.array(storeProgramSchema).max(20).default([]),
});
export type StoreRulesDocument = z.output<typeof storeRulesDocumentSchema>;

/**
 * The settings one lane runs a store rule with: the store's settings, overlaid by the lane's, or null when the rule
 * is off for that lane. Used by the hub (to validate what is saved) and by the plugin (to build its rules).
 */
export function effectiveLaneSettings(rule: StoreRule, laneId: string | undefined): Record<string, unknown> | null {
  const override = laneId === undefined ? undefined : (rule.lanes as Record<string, z.output<typeof laneRuleOverrideSchema>>)[laneId];
  const enabled = override?.enabled ?? rule.enabled;
  if (!enabled) return null;
  return { ...rule.settings, ...(override?.settings ?? {}) };
}
