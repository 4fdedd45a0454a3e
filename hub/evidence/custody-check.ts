import { createPublicKey, verify } from 'node:crypto';
import { canonicalJson } from '../audit/canonical-json.js';
import { auditExtractSchema, type AuditExtract, type ChainLink } from './custody-format.js';

const GENESIS = '0'.repeat(64);

/** The bytes an audit checkpoint signs (hub/audit/checkpoint.ts), rebuilt offline. */
const checkpointBytes = (c: NonNullable<AuditExtract['checkpoint']>): Buffer =>
  Buffer.from(canonicalJson({ v: c.v, tenantId: c.tenantId, seq: c.seq, headHash: c.headHash, at: c.at, keyId: c.keyId }));

function linkProblems(links: ChainLink[], head: AuditExtract['head']): string[] {
  const problems: string[] = [];
  const first = links[0];
  if (!first) return head.seq === 0 ? [] : ['no chain links, though the chain head is not empty'];
  if (first.seq === 1 && first.prevHash !== GENESIS) problems.push('record 1 does not start from the genesis hash');
  for (let i = 1; i < links.length; i += 1) {
    const [prev, link] = [links[i - 1], links[i]];
    if (!prev || !link) continue;
    if (link.seq !== prev.seq + 1) problems.push(`chain broken: record(s) ${prev.seq + 1}..${link.seq - 1} missing between ${prev.id} and ${link.id}`);
    else if (link.prevHash !== prev.hash) problems.push(`chain broken: record ${link.seq} (${link.id}) does not follow record ${prev.seq}'s hash`);
  }
  const last = links[links.length - 1];
  if (last && (last.seq !== head.seq || last.hash !== head.hash)) problems.push(`the links end at record ${last.seq}, not at the chain head ${head.seq} (${head.hash.slice(0, 16)}…)`);
  return problems;
}

function recordProblems(extract: AuditExtract, bySeq: Map<number, ChainLink>): string[] {
  const problems: string[] = [];
  const subjects = new Set(extract.subjects);
  const seen = new Set<number>();
  for (const r of extract.records) {
    const link = bySeq.get(r.seq);
    seen.add(r.seq);
    if (!link) problems.push(`record ${r.seq} (${r.id}) is outside the chain links`);
    else if (link.id !== r.id || link.hash !== r.hash || link.prevHash !== r.prevHash || !link.full) problems.push(`record ${r.seq} (${r.id}) does not match its chain link`);
    if (!subjects.has(r.subjectId)) problems.push(`record ${r.seq} (${r.id}) is about ${r.subjectId}, not a subject of this bundle`);
    if (extract.networkDetailsRemoved && r.clientAddress !== null) problems.push(`record ${r.seq} (${r.id}) keeps a client address in a redacted extract`);
  }
  for (const link of extract.links) if (link.full && !seen.has(link.seq)) problems.push(`record ${link.seq} (${link.id}) is about this bundle but missing from the extract`);
  return problems;
}

function checkpointProblems(extract: AuditExtract, bySeq: Map<number, ChainLink>): string[] {
  const cp = extract.checkpoint;
  if (!cp) return [];
  const problems: string[] = [];
  if (cp.tenantId !== extract.tenantId) problems.push(`the checkpoint names tenant ${cp.tenantId}`);
  if (extract.checkpointPublicKeyPem) {
    try {
      if (!verify(null, checkpointBytes(cp), createPublicKey(extract.checkpointPublicKeyPem), Buffer.from(cp.signature, 'base64'))) problems.push('the audit checkpoint signature does not verify');
    } catch (error) {
      problems.push(`the audit checkpoint key is unusable: ${(error as Error).message}`);
    }
  }
  if (cp.seq === 0) return problems;
  const at = bySeq.get(cp.seq);
  if (!at) problems.push(`the chain links do not reach the checkpoint at record ${cp.seq}`);
  else if (at.hash !== cp.headHash) problems.push(`record ${cp.seq} no longer has the hash the checkpoint of ${cp.at} signed: the chain was rewritten`);
  return problems;
}

/**
 * Checks an audit extract offline: the links run contiguously (no record missing, each following the
 * previous hash) to the chain head; every full record matches its link; the signed checkpoint falls on a
 * link with the hash it recorded. Returns the problems in words (empty: continuous).
 */
export function checkAuditExtract(document: unknown): string[] {
  const parsed = auditExtractSchema.safeParse(document);
  if (!parsed.success) return [`not an audit extract: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`.trim()];
  const extract = parsed.data;
  const bySeq = new Map(extract.links.map((l) => [l.seq, l]));
  return [...linkProblems(extract.links, extract.head), ...recordProblems(extract, bySeq), ...checkpointProblems(extract, bySeq)];
}
