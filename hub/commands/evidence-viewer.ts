import type { AppError } from '../../contracts/index.js';
import { writeAudit, type CommandContext } from '../audit/index.js';
import { insertLink, markUsed, type LinkIssuer, type NewLink } from '../evidence/link-records.js';
import { signLink } from '../evidence/signed-link.js';
import type { ByteRange, OpenedLink } from '../evidence/index.js';

const subjectTypeOf = (id: string): string => (id.startsWith('exp_') ? 'EvidenceExport' : 'EvidenceItem');

/** Issues a signed link (its record binds it to the issuer's token or session) and audits the issue. */
export async function issueEvidenceLink(ctx: CommandContext, secret: Buffer, issuer: LinkIssuer, link: NewLink): Promise<{ url: string; expiresAt: string; linkId: string }> {
  const row = await insertLink(ctx.trx, issuer, link);
  const url = signLink(secret, {
    tenantId: issuer.tenantId, environment: ctx.environment ?? 'production', targetId: link.targetId, linkId: row.id, principalId: issuer.principalId, disposition: link.disposition, expiresAt: link.expiresAt.getTime(),
  });
  await writeAudit(ctx, {
    action: 'evidence.link_issued', subjectType: subjectTypeOf(link.targetId), subjectId: link.targetId,
    after: { linkId: row.id, variant: link.variant, disposition: link.disposition, expiresAt: link.expiresAt.toISOString(), boundTo: issuer.tokenId ?? issuer.sessionId ?? null },
  });
  return { url, expiresAt: link.expiresAt.toISOString(), linkId: row.id };
}

/**
 * Records a view (or download) once per link: the first request of a playback is audited with who, what,
 * which variant and from where; the Range requests a player sends after it are not.
 */
export async function recordEvidenceView(ctx: CommandContext, opened: OpenedLink, range: ByteRange | null, userAgent: string): Promise<boolean> {
  const { link, target } = opened;
  if (!(await markUsed(ctx.trx, link, (ctx.now ?? (() => new Date()))()))) return false;
  await writeAudit(ctx, {
    action: link.disposition === 'attachment' ? 'evidence.downloaded' : 'evidence.viewed',
    subjectType: subjectTypeOf(target.id),
    subjectId: target.id,
    after: { linkId: link.id, variant: link.variant, range: range ? `${range.start}-${range.end}` : null, userAgent: userAgent.slice(0, 200) || null },
  });
  return true;
}

/** Records a refused attempt to get evidence bytes or a link to them (the refusal's code, never the bytes). */
export async function recordAccessRefused(ctx: CommandContext, targetId: string, error: AppError, details: Record<string, unknown> = {}): Promise<void> {
  await writeAudit(ctx, {
    action: 'evidence.access_refused', subjectType: subjectTypeOf(targetId), subjectId: targetId,
    after: { code: error.code, reason: error.message, ...details },
  });
}
