import { writeAudit, type CommandContext } from '../audit/index.js';
import type { ByteRange, LinkGrant, PlaybackTarget } from '../evidence/index.js';

/** Records one use of a signed link: who looked at (or downloaded) what, which bytes, from where. */
export async function recordEvidenceView(ctx: CommandContext, grant: LinkGrant, target: PlaybackTarget, range: ByteRange | null, userAgent: string): Promise<void> {
  await writeAudit(ctx, {
    action: grant.disposition === 'attachment' ? 'evidence.downloaded' : 'evidence.viewed',
    subjectType: target.kind === 'item' ? 'EvidenceItem' : 'EvidenceExport',
    subjectId: target.id,
    after: { range: range ? `${range.start}-${range.end}` : null, userAgent: userAgent.slice(0, 200) || null },
  });
}
