import type { Knex } from 'knex';
import { environmentScopes, withTenant, type TenantScope } from '../../models/index.js';
import type { CommandContext } from '../audit/index.js';
import { publishDigest } from '../commands/digest-publisher.js';
import { buildDigest } from './builder.js';
import { renderDigestHtml } from './html.js';
import { lastClosedPeriod, type DigestPeriod } from './period.js';
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
 * that have no digest of the period yet.
 */
async function regionsWithoutDigest(trx: Knex.Transaction, scope: TenantScope, period: DigestPeriod): Promise<string[]> {
  return trx('analytics_store_days as s').where({ 's.tenant_id': scope.tenantId, 's.environment': scope.environment, 's.shadow': false })
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
 * One environment's digests of the last closed period, in one transaction as the runtime role (row-level security
 * keeps it in the environment): nothing while the tenant has digests off or the roll-up has not yet folded the
 * period's changes; otherwise each region with incidents to report and no digest yet gets one. Returns how many were published.
 */
export async function publishScopeDigests(knex: Knex, scope: TenantScope, now: () => Date): Promise<number> {
  return withTenant(knex, scope.tenantId, { environment: scope.environment }, async (trx) => {
    const cadence = await cadenceOfTenant(trx, scope.tenantId);
    if (!cadence) return 0;
    const period = lastClosedPeriod(cadence, now());
    if (!(await rollupsCurrent(trx, scope, period))) return 0;
    const ctx: CommandContext = { actor: ACTOR, tenantId: scope.tenantId, environment: scope.environment, requestId: null, clientAddress: null, trx, now };
    let published = 0;
    for (const regionId of await regionsWithoutDigest(trx, scope, period)) {
      const content = await buildDigest({ trx, tenantId: scope.tenantId, environment: scope.environment, regionId, period });
      if (await publishDigest(ctx, { regionId, period, content, html: renderDigestHtml(content) })) published += 1;
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
