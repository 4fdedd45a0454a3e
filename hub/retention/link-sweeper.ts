import type { Knex } from 'knex';
import { writeAudit, type CommandContext } from '../audit/index.js';

export interface LinkSweep {
  /** Links past their expiry. */
  expired: number;
  /** Links still within their TTL whose issuing API token was revoked (or ran out) or whose console session ended. */
  revoked: number;
}

interface DeadLink {
  id: string;
  expired: boolean;
}

/**
 * The tenant's evidence links that can never be used again: expired, or issued by an API token that was
 * revoked or ran out or by a console session that ended (checkIssuer refuses them already).
 */
export async function deadLinks(trx: Knex.Transaction, tenantId: string, now: Date, limit = 5000): Promise<DeadLink[]> {
  const rows = await trx('evidence_links as l')
    .where('l.tenant_id', tenantId)
    .where((q) => void q
      .where('l.expires_at', '<=', now)
      .orWhere((t) => void t.whereNotNull('l.token_id').whereNotExists((s) => void s.from('api_tokens as k')
        .whereRaw('k.tenant_id = l.tenant_id AND k.id = l.token_id')
        .where((live) => void live.whereNull('k.revoked_at').orWhere('k.revoked_at', '>', now))
        .where((live) => void live.whereNull('k.expires_at').orWhere('k.expires_at', '>', now))))
      .orWhere((t) => void t.whereNotNull('l.session_id').whereNotExists((s) => void s.from('sessions as v')
        .whereRaw('v.tenant_id = l.tenant_id AND v.id = l.session_id')
        .where('v.expires_at', '>', now))))
    .orderBy('l.id')
    .limit(limit)
    .select<Array<{ id: string; expires_at: Date }>>('l.id', 'l.expires_at');
  return rows.map((r) => ({ id: r.id, expired: new Date(r.expires_at).getTime() <= now.getTime() }));
}

const tally = (links: DeadLink[]): LinkSweep => ({ expired: links.filter((l) => l.expired).length, revoked: links.filter((l) => !l.expired).length });

/** What a sweep at `now` would remove, read-only (`vigil retention plan`). */
export async function planLinkSweep(trx: Knex.Transaction, tenantId: string, now: Date): Promise<LinkSweep> {
  return tally(await deadLinks(trx, tenantId, now, 100_000));
}

/**
 * Part of the retention purge: deletes the tenant's dead evidence links (their records only; the objects
 * they served belong to the items, renditions and exports), audited as one `evidence.links_swept` record
 * with the counts. A use of a swept link is refused like a revoked one.
 */
export async function sweepLinks(ctx: CommandContext, now: Date): Promise<LinkSweep> {
  const dead = await deadLinks(ctx.trx, ctx.tenantId, now);
  if (dead.length === 0) return { expired: 0, revoked: 0 };
  await ctx.trx('evidence_links').where('tenant_id', ctx.tenantId).whereIn('id', dead.map((l) => l.id)).delete();
  const swept = tally(dead);
  await writeAudit(ctx, { action: 'evidence.links_swept', subjectType: 'Tenant', subjectId: ctx.tenantId, after: { ...swept, at: now.toISOString() } });
  return swept;
}
