import { createPublicKey, verify } from 'node:crypto';
import { canonicalJson } from '../audit/canonical-json.js';
import { anyAuditExtractSchema, type AuditExtract, type ChainLink, type ExtractChain } from './custody-format.js';

const GENESIS = '0'.repeat(64);

/** The bytes an audit checkpoint signs (hub/audit/checkpoint.ts), rebuilt offline; shard 0 signs no shard field. */
const checkpointBytes = (c: NonNullable<ExtractChain['checkpoint']>): Buffer =>
  Buffer.from(canonicalJson({ v: c.v, tenantId: c.tenantId, ...(c.shard ? { shard: c.shard } : {}), seq: c.seq, headHash: c.headHash, at: c.at, keyId: c.keyId }));

/** Messages about shard 0 read as they did when a tenant had one chain; other shards are named. */
const inShard = (shard: number) => (problem: string) => (shard === 0 ? problem : `shard ${shard}: ${problem}`);

function linkProblems(chain: ExtractChain): string[] {
  const { links, head } = chain;
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

function checkpointProblems(extract: AuditExtract, chain: ExtractChain, bySeq: Map<number, ChainLink>): string[] {
  const cp = chain.checkpoint;
  if (!cp) return [];
  const problems: string[] = [];
  if (cp.tenantId !== extract.tenantId) problems.push(`the checkpoint names tenant ${cp.tenantId}`);
  if ((cp.shard ?? 0) !== chain.shard) problems.push(`the checkpoint is of shard ${cp.shard ?? 0}, not of this chain`);
  if (chain.checkpointPublicKeyPem) {
    try {
      if (!verify(null, checkpointBytes(cp), createPublicKey(chain.checkpointPublicKeyPem), Buffer.from(cp.signature, 'base64'))) problems.push('the audit checkpoint signature does not verify');
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

function recordProblems(extract: AuditExtract, chains: Map<number, Map<number, ChainLink>>): string[] {
  const problems: string[] = [];
  const subjects = new Set(extract.subjects);
  const seen = new Set<string>();
  for (const r of extract.records) {
    const named = inShard(r.shard);
    const link = chains.get(r.shard)?.get(r.seq);
    seen.add(`${r.shard}/${r.seq}`);
    if (!link) problems.push(named(`record ${r.seq} (${r.id}) is outside the chain links`));
    else if (link.id !== r.id || link.hash !== r.hash || link.prevHash !== r.prevHash || !link.full) problems.push(named(`record ${r.seq} (${r.id}) does not match its chain link`));
    if (!subjects.has(r.subjectId)) problems.push(named(`record ${r.seq} (${r.id}) is about ${r.subjectId}, not a subject of this bundle`));
    if (extract.networkDetailsRemoved && r.clientAddress !== null) problems.push(named(`record ${r.seq} (${r.id}) keeps a client address in a redacted extract`));
  }
  for (const [shard, links] of chains) {
    for (const link of links.values()) if (link.full && !seen.has(`${shard}/${link.seq}`)) problems.push(inShard(shard)(`record ${link.seq} (${link.id}) is about this bundle but missing from the extract`));
  }
  return problems;
}

/**
 * Checks an audit extract offline, chain by chain (one per audit shard): the links run contiguously (no
 * record missing, each following the previous hash) to the chain's head; the chain's signed checkpoint
 * falls on a link with the hash it recorded; every full record sits on its link in its shard's chain.
 * Reads /1 extracts (one chain) of older bundles too. Returns the problems in words (empty: continuous).
 */
export function checkAuditExtract(document: unknown): string[] {
  const parsed = anyAuditExtractSchema.safeParse(document);
  if (!parsed.success) return [`not an audit extract: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`.trim()];
  const extract = parsed.data;
  const problems: string[] = [];
  const chains = new Map<number, Map<number, ChainLink>>();
  for (const chain of extract.chains) {
    if (chains.has(chain.shard)) {
      problems.push(`shard ${chain.shard} appears twice`);
      continue;
    }
    const bySeq = new Map(chain.links.map((l) => [l.seq, l]));
    chains.set(chain.shard, bySeq);
    problems.push(...[...linkProblems(chain), ...checkpointProblems(extract, chain, bySeq)].map(inShard(chain.shard)));
  }
  return [...problems, ...recordProblems(extract, chains)];
}
