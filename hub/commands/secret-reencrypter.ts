import type { Knex } from 'knex';
import { mapConfigSecrets, mapHeaders } from '../webhooks/endpoint-secrets.js';
import type { SecretBox } from '../webhooks/secret-box.js';

export interface ReencryptSummary {
  keyId: string;
  endpoints: number;
  settings: number;
}

interface EndpointSecrets {
  tenant_id: string; id: string; secret: string; previous_secret: string | null; headers: Record<string, string>; config: Record<string, unknown>;
}

const BATCH = 500;

/** Rewrites one endpoint's sealed values under the current key; false when all already were. */
async function reencryptEndpoint(knex: Knex, box: SecretBox, row: EndpointSecrets): Promise<boolean> {
  const patch = {
    secret: box.reseal(row.secret),
    previous_secret: row.previous_secret === null ? null : box.reseal(row.previous_secret),
    headers: mapHeaders(row.headers, (v) => box.reseal(v)),
    config: mapConfigSecrets(row.config, (v) => box.reseal(v)),
  };
  if (JSON.stringify(patch) === JSON.stringify({ secret: row.secret, previous_secret: row.previous_secret, headers: row.headers, config: row.config })) return false;
  await knex('webhook_endpoints')
    .where({ tenant_id: row.tenant_id, id: row.id })
    .update({ ...patch, headers: JSON.stringify(patch.headers), config: JSON.stringify(patch.config) });
  return true;
}

/**
 * Key rotation's second step (`vigil secrets reencrypt`): every webhook secret, header value, ServiceNow
 * credential and inbound secret sealed with a previous key (or still in plaintext) is sealed again with
 * the current key, in batches across all tenants. Idempotent: a second run changes nothing. Each row is
 * its own statement, so the hub keeps delivering meanwhile (it opens both the old and new forms).
 */
export async function reencryptSecrets(knex: Knex, box: SecretBox): Promise<ReencryptSummary> {
  let endpoints = 0;
  let after: [string, string] = ['', ''];
  for (;;) {
    const rows = (await knex('webhook_endpoints')
      .select('tenant_id', 'id', 'secret', 'previous_secret', 'headers', 'config')
      .whereRaw('(tenant_id, id) > (?, ?)', after)
      .orderBy([{ column: 'tenant_id' }, { column: 'id' }])
      .limit(BATCH)) as EndpointSecrets[];
    for (const row of rows) if (await reencryptEndpoint(knex, box, row)) endpoints += 1;
    const last = rows[rows.length - 1];
    if (!last || rows.length < BATCH) break;
    after = [last.tenant_id, last.id];
  }
  let settings = 0;
  const inbound = (await knex('webhook_settings').select('tenant_id', 'inbound_secret').whereNotNull('inbound_secret')) as Array<{ tenant_id: string; inbound_secret: string }>;
  for (const row of inbound) {
    if (box.isCurrent(row.inbound_secret)) continue;
    await knex('webhook_settings').where({ tenant_id: row.tenant_id }).update({ inbound_secret: box.reseal(row.inbound_secret) });
    settings += 1;
  }
  return { keyId: box.currentKeyId, endpoints, settings };
}
