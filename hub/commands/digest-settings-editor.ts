import type { CommandContext } from '../audit/index.js';
import { writeAudit } from '../audit/index.js';
import { digestSettingsOf, type DigestSettings } from '../digest/settings.js';

type Reader = Pick<CommandContext, 'trx' | 'tenantId'>;

/** The tenant's digest settings as the worker reads them (weekly where missing or malformed). */
export async function readDigestSettings(ctx: Reader): Promise<DigestSettings> {
  const row = await ctx.trx('tenants').where({ id: ctx.tenantId }).first('settings') as { settings: { digest?: unknown } | null } | undefined;
  return digestSettingsOf(row?.settings);
}

/** Sets the tenant's digest cadence (the other tenant settings stay as they are), audited before and after. */
export async function saveDigestSettings(ctx: CommandContext, settings: DigestSettings): Promise<DigestSettings> {
  const before = await readDigestSettings(ctx);
  await ctx.trx('tenants').where({ id: ctx.tenantId })
    .update({ settings: ctx.trx.raw("jsonb_set(coalesce(settings, '{}'::jsonb), '{digest}', ?::jsonb)", [JSON.stringify(settings)]) });
  const after = await readDigestSettings(ctx);
  await writeAudit(ctx, { action: 'digest_settings.updated', subjectType: 'Tenant', subjectId: ctx.tenantId, before, after });
  return after;
}
