import type { Knex } from 'knex';
import { bindTenant } from '../../models/index.js';
import { incidentData, type IncidentSnapshot } from './incident-messages.js';
import { writeMessage } from './message-writer.js';

interface DueRow {
  tenant_id: string; environment: string; incident_id: string; policy_id: string; escalation_endpoint_ids: string[]; state: string;
  store_id: string; region_id: string; lane_id: string | null; camera_id: string; type: string; severity: string;
  confidence: number; event_count: number; opened_at: Date; last_event_at: Date;
}

const snapshot = (r: DueRow): IncidentSnapshot => ({
  id: r.incident_id, storeId: r.store_id, regionId: r.region_id, laneId: r.lane_id, cameraId: r.camera_id, type: r.type,
  severity: r.severity, state: r.state, confidence: Number(r.confidence), eventCount: r.event_count, openedAt: r.opened_at, lastEventAt: r.last_event_at,
});

/**
 * Fires due escalation timers: an incident still `new` (nobody acknowledged it in time) goes to the
 * policy's escalation endpoints as `incident.escalated`; one acknowledged meanwhile just closes its timer.
 * Timers are claimed with SKIP LOCKED, so several workers never fire one twice.
 */
export async function sweepEscalations(knex: Knex, limit = 100): Promise<number> {
  return knex.transaction(async (trx) => {
    const { rows } = await trx.raw<{ rows: DueRow[] }>(
      `SELECT e.tenant_id, e.environment, e.incident_id, e.policy_id, p.escalation_endpoint_ids, i.state, i.store_id, i.region_id, i.lane_id, i.camera_id,
              i.type, i.severity, i.confidence, i.event_count, i.opened_at, i.last_event_at
         FROM routing_escalations e
         JOIN incidents i ON i.tenant_id = e.tenant_id AND i.id = e.incident_id
         JOIN routing_policies p ON p.tenant_id = e.tenant_id AND p.id = e.policy_id
        WHERE e.done_at IS NULL AND e.due_at <= clock_timestamp()
        ORDER BY e.due_at LIMIT ? FOR UPDATE OF e SKIP LOCKED`,
      [limit],
    );
    for (const row of rows) {
      // The message and its deliveries belong to the incident's environment.
      await bindTenant(trx, row.tenant_id, { as: 'owner', environment: row.environment });
      const unacknowledged = row.state === 'new';
      if (unacknowledged) {
        await writeMessage(trx, row.tenant_id, { type: 'incident.escalated', subjectId: row.incident_id, data: incidentData(snapshot(row)) }, {
          endpointIds: row.escalation_endpoint_ids, ignoreSubscription: true,
        });
      }
      await trx.raw('UPDATE routing_escalations SET done_at = clock_timestamp(), result = ? WHERE tenant_id = ? AND incident_id = ? AND policy_id = ?', [
        unacknowledged ? 'escalated' : 'acknowledged_in_time', row.tenant_id, row.incident_id, row.policy_id,
      ]);
    }
    return rows.length;
  });
}
