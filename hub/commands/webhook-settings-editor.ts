import { writeAudit, type CommandContext } from '../audit/index.js';
import { newSecret } from '../webhooks/signer.js';
import type { OperatorCeiling } from '../webhooks/operator-ceiling.js';
import type { SecretBox } from '../webhooks/secret-box.js';

/** Saves the tenant's allow-list; 422 when a range lies outside the operator's ceiling. */
export async function saveSettings(ctx: CommandContext, allowedSubnets: string[], ceiling: OperatorCeiling): Promise<string[]> {
  ceiling.assertAllowed(allowedSubnets);
  const before = await readSettings(ctx);
  await ctx.trx.raw(
    `INSERT INTO webhook_settings (tenant_id, allowed_subnets, updated_at) VALUES (?, ?::cidr[], now())
     ON CONFLICT (tenant_id) DO UPDATE SET allowed_subnets = excluded.allowed_subnets, updated_at = now()`,
    [ctx.tenantId, `{${allowedSubnets.join(',')}}`],
  );
  const after = await readSettings(ctx);
  await writeAudit(ctx, { action: 'webhook_settings.updated', subjectType: 'Webhook', subjectId: ctx.tenantId, before: { allowedSubnets: before }, after: { allowedSubnets: after } });
  return after;
}

export async function readSettings(ctx: Pick<CommandContext, 'trx' | 'tenantId'>): Promise<string[]> {
  const { rows } = await ctx.trx.raw<{ rows: Array<{ subnets: string[] }> }>(
    'SELECT array(SELECT unnest(allowed_subnets)::text) AS subnets FROM webhook_settings WHERE tenant_id = ?',
    [ctx.tenantId],
  );
  return rows[0]?.subnets ?? [];
}

/** A new secret that uploads to the hub must be signed with (shown once); null turns the requirement off. */
export async function setInboundSecret(ctx: CommandContext, enable: boolean, box: SecretBox): Promise<string | null> {
  const secret = enable ? newSecret() : null;
  await ctx.trx.raw(
    `INSERT INTO webhook_settings (tenant_id, inbound_secret, updated_at) VALUES (?, ?, now())
     ON CONFLICT (tenant_id) DO UPDATE SET inbound_secret = excluded.inbound_secret, updated_at = now()`,
    [ctx.tenantId, secret === null ? null : box.seal(secret)],
  );
  await writeAudit(ctx, { action: 'webhook_settings.inbound_secret', subjectType: 'Webhook', subjectId: ctx.tenantId, after: { required: enable } });
  return secret;
}
