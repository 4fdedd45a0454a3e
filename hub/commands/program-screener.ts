import type { Knex } from 'knex';
import type { ProgramMode } from '../../contracts/index.js';
import type { ScreenedItem } from './event-screener.js';

interface ProgramRow { id: string; mode: ProgramMode; store_ids: string[]; state: string }

/** Which mode each program of a batch runs in now, by the hub's own record. */
export type ProgramModes = ReadonlyMap<string, ProgramMode>;

const refusal = (id: string, message: string): ScreenedItem => ({ kind: 'result', result: { id, status: 'rejected', error: { code: 'not_found', message } } });

/**
 * Events raised by a pilot program's rule must name an active program of this environment that covers their
 * store; any other is refused in its own result. The program's mode is the hub's, whatever the plugin last
 * pulled: an event of a program rolled back to shadow is filed as shadow. Costs nothing for a batch without programs.
 */
export async function screenPrograms(trx: Knex.Transaction, tenantId: string, items: ScreenedItem[]): Promise<{ items: ScreenedItem[]; modes: ProgramModes }> {
  const named = [...new Set(items.flatMap((item) => (item.kind === 'event' && item.event.program ? [item.event.program.id] : [])))];
  if (named.length === 0) return { items, modes: new Map() };
  const rows = (await trx('programs').where({ tenant_id: tenantId }).whereIn('id', named).select('id', 'mode', 'store_ids', 'state')) as ProgramRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const screened = items.map((item): ScreenedItem => {
    if (item.kind !== 'event' || !item.event.program) return item;
    const program = byId.get(item.event.program.id);
    if (!program || program.state !== 'active') return refusal(item.event.id, `no active program ${item.event.program.id} in this environment`);
    if (!program.store_ids.includes(item.event.storeId)) return refusal(item.event.id, `program ${program.id} does not cover store ${item.event.storeId}`);
    return item;
  });
  return { items: screened, modes: new Map(rows.map((r) => [r.id, r.mode])) };
}
