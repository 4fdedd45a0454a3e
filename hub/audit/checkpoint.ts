import { sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from './canonical-json.js';
import type { SigningKey } from './audit-keys.js';

/**
 * A signed statement "tenant T's audit chain (shard S) had N records ending in hash H at time A", kept
 * outside the database. Shard 0 is written without the field, as every checkpoint before shards was.
 */
export const checkpointSchema = z.strictObject({
  v: z.literal(1),
  tenantId: z.string().min(1),
  shard: z.number().int().min(1).optional(),
  seq: z.number().int().min(0),
  headHash: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.iso.datetime(),
  keyId: z.string().min(1),
  signature: z.string().min(1),
});

export type Checkpoint = z.infer<typeof checkpointSchema>;
export type UnsignedCheckpoint = Omit<Checkpoint, 'signature' | 'keyId' | 'v' | 'shard'> & { shard?: number };

/** The shard a checkpoint speaks of (0 when it names none). */
export const shardOf = (c: { shard?: number | undefined }): number => c.shard ?? 0;
const shardField = (shard: number | undefined): { shard?: number } => (shard ? { shard } : {});

const signedBytes = (c: Omit<Checkpoint, 'signature'>): Buffer =>
  Buffer.from(canonicalJson({ v: c.v, tenantId: c.tenantId, ...shardField(c.shard), seq: c.seq, headHash: c.headHash, at: c.at, keyId: c.keyId }));

export function signCheckpoint(key: SigningKey, body: UnsignedCheckpoint): Checkpoint {
  const unsigned = { v: 1 as const, tenantId: body.tenantId, ...shardField(body.shard), seq: body.seq, headHash: body.headHash, at: body.at, keyId: key.id };
  return { ...unsigned, signature: sign(null, signedBytes(unsigned), key.privateKey).toString('base64') };
}

/** Null when the signature holds under a known key; otherwise why not. */
export function checkpointSignatureProblem(checkpoint: Checkpoint, keys: ReadonlyMap<string, KeyObject>): string | null {
  const key = keys.get(checkpoint.keyId);
  if (!key) return `signed with ${checkpoint.keyId}, which is not one of this hub's checkpoint keys`;
  const ok = verify(null, signedBytes(checkpoint), key, Buffer.from(checkpoint.signature, 'base64'));
  return ok ? null : 'its signature does not verify';
}

/** Parses a stored checkpoint; null when it is not one (reported by the caller with its location). */
export function parseCheckpoint(text: string): Checkpoint | null {
  try {
    const parsed = checkpointSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
