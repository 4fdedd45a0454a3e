import type { Knex } from 'knex';

export const CAMERAS_PER_STORE = 20;
export const LANES_PER_STORE = 4;
const REGIONS = 100;

const pad = (prefix: string, sql: string) => `'${prefix}_' || lpad((${sql})::text, 26, '0')`;
export const storeId = (s: number): string => `sto_${String(s).padStart(26, '0')}`;
export const cameraId = (s: number, c: number): string => `cam_${String(s * CAMERAS_PER_STORE + c).padStart(26, '0')}`;
export const laneId = (s: number, l: number): string => `lan_${String(s * LANES_PER_STORE + l).padStart(26, '0')}`;
export const storeCode = (s: number): string => `C${s}`;

/** The chain's directory by SQL (stores 0..n-1, each with its lanes and cameras; the first 4 cameras watch the lanes). */
export async function seedChain(knex: Knex, tenantId: string, stores: number, progress: (done: number) => void): Promise<void> {
  await knex.raw(`INSERT INTO regions (tenant_id, id, name) SELECT ?, ${pad('reg', 'r')}, 'Region ' || r FROM generate_series(0, ${REGIONS - 1}) r`, [tenantId]);
  const chunk = 1000;
  for (let from = 0; from < stores; from += chunk) {
    const to = Math.min(stores, from + chunk) - 1;
    await knex.raw(`INSERT INTO stores (tenant_id, id, region_id, name, code, timezone)
      SELECT ?, ${pad('sto', 's')}, ${pad('reg', `s % ${REGIONS}`)}, 'Store ' || s, 'C' || s, 'UTC' FROM generate_series(?::int, ?::int) s`, [tenantId, from, to]);
    await knex.raw(`INSERT INTO lanes (tenant_id, id, store_id, name, pos_workstation_id)
      SELECT ?, ${pad('lan', `s * ${LANES_PER_STORE} + l`)}, ${pad('sto', 's')}, 'Lane ' || l, l::text
        FROM generate_series(?::int, ?::int) s CROSS JOIN generate_series(0, ${LANES_PER_STORE - 1}) l`, [tenantId, from, to]);
    await knex.raw(`INSERT INTO cameras (tenant_id, id, store_id, lane_id, name)
      SELECT ?, ${pad('cam', `s * ${CAMERAS_PER_STORE} + c`)}, ${pad('sto', 's')},
             CASE WHEN c < ${LANES_PER_STORE} THEN ${pad('lan', `s * ${LANES_PER_STORE} + c`)} END, 'Camera ' || c
        FROM generate_series(?::int, ?::int) s CROSS JOIN generate_series(0, ${CAMERAS_PER_STORE - 1}) c`, [tenantId, from, to]);
    progress(to + 1);
  }
  await knex.raw('ANALYZE');
}
