import type { Knex } from 'knex';
import { z } from 'zod';
import { CONFIRMED_STATES, detectionEventSchema, type StoreRule } from '../../contracts/index.js';
import type { Store } from '../../models/index.js';
import type { CameraPlacement } from '../commands/incident-merger.js';
import type { ReplayEvent, ReplayInput, Verdict } from './replay.js';

/** At most this many stored events are replayed per rule; a busier rule is replayed over its newest ones (and says so). */
export const REPLAY_EVENT_CAP = 50_000;

const confirmed = new Set<string>(CONFIRMED_STATES);
export const verdictOf = (state: string | null): Verdict => (state === 'dismissed' ? 'dismissed' : state !== null && confirmed.has(state) ? 'verified' : 'pending');

const storedRow = z.object({ payload: z.unknown(), incident_id: z.string().nullable(), state: z.string().nullable(), dismiss_reason: z.string().nullable() });

export interface StoredRuleHistory extends ReplayInput {
  /** Dismissed incidents by the reason reviewers gave. */
  readonly dismissReasons: ReadonlyMap<string, number>;
  /** True when more events were stored than REPLAY_EVENT_CAP. */
  readonly truncated: boolean;
}

/** The name a rule entry's events carry (`rule.name`), as the plugin labels them. */
export const shownName = (rule: StoreRule): string => rule.name ?? rule.rule;

/**
 * The store's own events of one rule entry (its type and shown name; program hits excluded) of the last `days`,
 * oldest first, with their incidents' states: what a threshold proposal replays.
 */
export async function loadRuleHistory(
  trx: Knex.Transaction, tenantId: string, store: Store, rule: StoreRule, options: { days: number; now: Date; defaultMergeWindowSeconds: number },
): Promise<StoredRuleHistory> {
  const since = new Date(options.now.getTime() - options.days * 86_400_000);
  const { rows } = await trx.raw<{ rows: unknown[] }>(
    `SELECT e.payload, e.incident_id, i.state, i.dismiss_reason FROM (
        SELECT payload, incident_id, occurred_at FROM detection_events
         WHERE tenant_id = ? AND store_id = ? AND type = ? AND occurred_at >= ? AND occurred_at <= ?
           AND payload->'rule'->>'name' = ? AND payload->'program' IS NULL
         ORDER BY occurred_at DESC LIMIT ?) e
       LEFT JOIN incidents i ON i.tenant_id = ? AND i.id = e.incident_id
      ORDER BY e.occurred_at`,
    [tenantId, store.id, rule.rule, since, options.now, shownName(rule), REPLAY_EVENT_CAP + 1, tenantId],
  );
  const parsed = rows.map((r) => storedRow.parse(r));
  const truncated = parsed.length > REPLAY_EVENT_CAP;
  const kept = truncated ? parsed.slice(1) : parsed;
  const events: ReplayEvent[] = kept.map((r) => ({ event: detectionEventSchema.parse(r.payload), incidentId: r.incident_id }));
  const verdicts = new Map<string, Verdict>();
  const dismissReasons = new Map<string, number>();
  for (const r of kept) {
    if (r.incident_id === null || verdicts.has(r.incident_id)) continue;
    verdicts.set(r.incident_id, verdictOf(r.state));
    const reason = r.dismiss_reason ?? 'no reason given';
    if (r.state === 'dismissed') dismissReasons.set(reason, (dismissReasons.get(reason) ?? 0) + 1);
  }
  const mergeWindowMs = (store.settings.mergeWindowSeconds ?? options.defaultMergeWindowSeconds) * 1000;
  const placement = (): CameraPlacement => ({ storeId: store.id, regionId: store.regionId, laneId: null, mergeWindowMs });
  return { events, verdicts, placement, days: options.days, dismissReasons, truncated };
}
