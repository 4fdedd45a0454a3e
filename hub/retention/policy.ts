import { z } from 'zod';

/** What retention keys on: how the incident ended (or that nobody has looked at it yet). */
export const OUTCOME_CLASSES = ['dismissed', 'unreviewed', 'verified'] as const;
export type OutcomeClass = (typeof OUTCOME_CLASSES)[number];

/** Days evidence is kept when no tenant policy narrows it (privacy law in many regions expects days). */
export const RETENTION_DEFAULTS: Record<OutcomeClass, number> = { dismissed: 3, unreviewed: 7, verified: 90 };

export interface RetentionPolicyRow {
  tenant_id: string;
  id: string;
  region_id: string | null;
  store_id: string | null;
  incident_type: string | null;
  outcome: OutcomeClass;
  keep_days: number;
  created_at: Date;
}

export const retentionPolicyInput = z.strictObject({
  outcome: z.enum(OUTCOME_CLASSES),
  keepDays: z.number().int().min(0).max(3650),
  regionId: z.string().regex(/^reg_[0-9a-z]{10,40}$/).optional(),
  storeId: z.string().regex(/^sto_[0-9a-z]{10,40}$/).optional(),
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
export function ruleFor(policies: RetentionPolicyRow[], subject: RetentionSubject): RetentionRule {
  let best: { score: number; policy: RetentionPolicyRow } | null = null;
  for (const p of policies) {
    if (p.outcome !== subject.outcome) continue;
    if (p.store_id && p.store_id !== subject.storeId) continue;
    if (p.region_id && p.region_id !== subject.regionId) continue;
    if (p.incident_type && p.incident_type !== subject.incidentType) continue;
    const score = (p.store_id ? 4 : 0) + (p.region_id ? 2 : 0) + (p.incident_type ? 1 : 0);
    if (!best || score > best.score) best = { score, policy: p };
  }
  return best ? { keepDays: best.policy.keep_days, source: best.policy.id } : { keepDays: RETENTION_DEFAULTS[subject.outcome], source: 'default' };
}
