import type { Knex } from 'knex';
import { environmentScopes, withTenant, type TenantScope } from '../../models/index.js';
import type { CommandContext } from '../audit/index.js';
import { publishDigest } from '../commands/digest-publisher.js';
import { buildDigest } from './builder.js';
import { renderDigestHtml } from './html.js';
import { CATCH_UP_PERIODS, closedPeriods, type DigestPeriod } from './period.js';
import { digestCadenceOf } from './settings.js';

const ACTOR = { type: 'system' as const, id: 'analytics-digest' };

/** Whether the roll-up has folded every change to the hours of the period and the one before (nothing of them left in the change log). */
async function rollupsCurrent(trx: Knex.Transaction, scope: TenantScope, period: DigestPeriod): Promise<boolean> {
  const pending = await trx('analytics_dirty_hours').where({ tenant_id: scope.tenantId, environment: scope.environment })
    .where('hour', '>=', period.previousStart).where('hour', '<', period.end).first('id');
  return pending === undefined;
}

/**
 * The regions with live incidents in the period or the one before (a region with nothing to compare gets no digest)
 * that have no digest of the period yet. With `missedOnly`, only regions that had a digest of an earlier period
 * of the cadence: a period the worker missed, not the history of a region (or tenant) that never had digests.
 */
async function regionsWithoutDigest(trx: Knex.Transaction, scope: TenantScope, period: DigestPeriod, missedOnly: boolean): Promise<string[]> {
  const query = trx('analytics_store_days as s');
  if (missedOnly) {
    void query.whereExists((q) => void q.from('analytics_digests as e').whereRaw('e.tenant_id = s.tenant_id AND e.environment = s.environment AND e.region_id = s.region_id')
      .where('e.cadence', period.cadence).where('e.period_start', '<', period.start));
  }
  return query.where({ 's.tenant_id': scope.tenantId, 's.environment': scope.environment, 's.shadow': false })
    .where('s.day', '>=', period.previousStart).where('s.day', '<', period.end).where('s.incidents', '>', 0)
    .whereNotExists((q) => void q.from('analytics_digests as d').whereRaw('d.tenant_id = s.tenant_id AND d.environment = s.environment AND d.region_id = s.region_id')
      .where({ 'd.cadence': period.cadence, 'd.period_start': period.start }))
    .distinct('s.region_id').orderBy('s.region_id')
    .pluck('s.region_id') as Promise<string[]>;
}

async function cadenceOfTenant(trx: Knex.Transaction, tenantId: string) {
  const row = await trx('tenants').where({ id: tenantId }).first('settings') as { settings: { digest?: unknown } | null } | undefined;
  return digestCadenceOf(row?.settings);
}

/**
 * One environment's due digests, in one transaction as the runtime role (row-level security keeps it in the
 * environment): nothing while the tenant has digests off. For the last closed period, each region with incidents
 * to report and no digest yet gets one; for the few periods before it (CATCH_UP_PERIODS), a region that had
 * digests gets the ones it missed (the worker was down when they were due), oldest first. A period whose changes
 * the roll-up has not folded yet waits for a later run. Returns how many were published.
 */
export async function publishScopeDigests(knex: Knex, scope: TenantScope, now: () => Date): Promise<number> {
  return withTenant(knex, scope.tenantId, { environment: scope.environment }, async (trx) => {
    const cadence = await cadenceOfTenant(trx, scope.tenantId);
    if (!cadence) return 0;
    const ctx: CommandContext = { actor: ACTOR, tenantId: scope.tenantId, environment: scope.environment, requestId: null, clientAddress: null, trx, now };
    const periods = closedPeriods(cadence, now(), CATCH_UP_PERIODS[cadence]);
    let published = 0;
    for (const [index, period] of periods.entries()) {
      if (!(await rollupsCurrent(trx, scope, period))) continue;
      for (const regionId of await regionsWithoutDigest(trx, scope, period, index < periods.length - 1)) {
        const content = await buildDigest({ trx, tenantId: scope.tenantId, environment: scope.environment, regionId, period });
        if (await publishDigest(ctx, { regionId, period, content, html: renderDigestHtml(content) })) published += 1;
      }
    }
    return published;
  });
}

/** Every environment of every tenant (or of one): the digests that are due. */
export async function publishDueDigests(knex: Knex, now: () => Date, onlyTenant?: string): Promise<number> {
  let published = 0;
  for (const scope of await environmentScopes(knex, onlyTenant)) published += await publishScopeDigests(knex, scope, now);
  return published;
}
