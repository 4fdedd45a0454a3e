import { z } from 'zod';

export const INCIDENT_STATES = ['new', 'acknowledged', 'verified', 'dismissed', 'intervened', 'escalated', 'resolved'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];
export const incidentStateSchema = z.enum(INCIDENT_STATES);

/** States in which new events of the same camera and type still merge into the incident. */
export const OPEN_STATES: readonly IncidentState[] = ['new', 'acknowledged', 'verified', 'intervened', 'escalated'];

/** States a reviewer has confirmed the incident in: verified, or past it (a true positive). */
export const CONFIRMED_STATES: readonly IncidentState[] = ['verified', 'intervened', 'escalated', 'resolved'];

export const outcomeSchema = z.strictObject({
  result: z.enum(['recovered', 'partially_recovered', 'not_recovered', 'no_loss', 'apprehended', 'other']),
  recoveredValue: z.number().min(0).max(1_000_000_000).describe('Value recovered, in the store currency.'),
  currency: z.string().length(3).optional(),
  notes: z.string().trim().min(1).max(4000),
});
export type Outcome = z.infer<typeof outcomeSchema>;

interface TransitionRule {
  from: readonly IncidentState[];
  needs?: 'reason' | 'outcome';
  /** Only reviewers may take it (an override of a closed decision). */
  override?: boolean;
}

/**
 * The incident workflow, as data:
 * new -> acknowledged -> verified | dismissed (reason); verified -> intervened | escalated -> resolved (outcome);
 * a reviewer override reopens a dismissed or resolved incident (reason), back to acknowledged.
 */
export const TRANSITIONS: Record<Exclude<IncidentState, 'new'>, TransitionRule> & { reopened: TransitionRule } = {
  acknowledged: { from: ['new'] },
  verified: { from: ['acknowledged'] },
  dismissed: { from: ['acknowledged'], needs: 'reason' },
  intervened: { from: ['verified'] },
  escalated: { from: ['verified'] },
  resolved: { from: ['intervened', 'escalated'], needs: 'outcome' },
  reopened: { from: ['dismissed', 'resolved'], needs: 'reason', override: true },
};

export type TransitionTarget = keyof typeof TRANSITIONS;
export const TRANSITION_TARGETS = Object.keys(TRANSITIONS) as TransitionTarget[];

/** Where a transition lands: every target is a state of its own name, except reopening. */
export const landingState = (target: TransitionTarget): IncidentState => (target === 'reopened' ? 'acknowledged' : target);

export function allowedTargets(state: IncidentState): TransitionTarget[] {
  return TRANSITION_TARGETS.filter((target) => TRANSITIONS[target].from.includes(state));
}

export const transitionBodySchema = z.strictObject({
  to: z.enum(TRANSITION_TARGETS as [TransitionTarget, ...TransitionTarget[]]).describe('The next state, or `reopened` (reviewer override).'),
  reason: z.string().trim().min(1).max(2000).optional(),
  outcome: outcomeSchema.optional(),
  expectedVersion: z.number().int().min(1).optional().describe('Optimistic concurrency: refuse if the incident changed meanwhile.'),
});
export type TransitionBody = z.infer<typeof transitionBodySchema>;
