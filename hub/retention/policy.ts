import { z } from 'zod';
import { idSchema } from '../../contracts/index.js';
import type { RetentionOutcome } from '../../models/index.js';

/** What retention keys on: how the incident ended (or that nobody has looked at it yet). */
export const OUTCOME_CLASSES = ['dismissed', 'unreviewed', 'verified'] as const satisfies readonly RetentionOutcome[];
export type OutcomeClass = RetentionOutcome;

/** Days evidence is kept when no tenant policy narrows it (privacy law in many regions expects days). */
export const RETENTION_DEFAULTS: Record<OutcomeClass, number> = { dismissed: 3, unreviewed: 7, verified: 90 };

/** What deciding on a policy reads of it (the RetentionPolicy model has it). */
export interface RetentionPolicyScope {
  id: string;
  regionId: string | null;
  storeId: string | null;
  incidentType: string | null;
  outcome: OutcomeClass;
  keepDays: number;
}

export const retentionPolicyInput = z.strictObject({
  outcome: z.enum(OUTCOME_CLASSES),
  keepDays: z.number().int().min(0).max(3650),
  regionId: idSchema('region').optional(),
  storeId: idSchema('store').optional(),
  incidentType: z.string().min(1).max(64).optional(),
});

/** An item's incident state -> its retention class. Items without an incident count as unreviewed. */
export function outcomeOf(state: string | null): OutcomeClass {
  if (state === null || state === 'new' || state === 'acknowledged') return 'unreviewed';
  if (state === 'dismissed') return 'dismissed';
  return 'verified';
}

export interface RetentionSubject {
  regionId: string;
  storeId: string;
  incidentType: string | null;
  outcome: OutcomeClass;
}

export interface RetentionRule {
  keepDays: number;
  /** `default` or the policy id that decided it. */
  source: string;
}

/**
 * The most specific matching policy wins: a store beats a region beats the whole tenant, and a policy for
 * the incident's type beats one for any type. Nothing matching: the built-in default for the outcome.
 */
export function ruleFor(policies: RetentionPolicyScope[], subject: RetentionSubject): RetentionRule {
  let best: { score: number; policy: RetentionPolicyScope } | null = null;
  for (const p of policies) {
    if (p.outcome !== subject.outcome) continue;
    if (p.storeId && p.storeId !== subject.storeId) continue;
    if (p.regionId && p.regionId !== subject.regionId) continue;
    if (p.incidentType && p.incidentType !== subject.incidentType) continue;
    const score = (p.storeId ? 4 : 0) + (p.regionId ? 2 : 0) + (p.incidentType ? 1 : 0);
    if (!best || score > best.score) best = { score, policy: p };
  }
  return best ? { keepDays: best.policy.keepDays, source: best.policy.id } : { keepDays: RETENTION_DEFAULTS[subject.outcome], source: 'default' };
}
