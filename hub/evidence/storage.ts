import { join, resolve } from 'node:path';
import { z } from 'zod';
import { FsEvidenceStore, S3EvidenceStore } from '../../adapters/storage/index.js';
import { AppError, type EvidenceStore } from '../../contracts/index.js';

/**
 * Which backend holds evidence. Read from the environment (not the hub's YAML) so secrets stay out of files:
 * `VIGIL_EVIDENCE_BACKEND=s3` with `VIGIL_S3_BUCKET`, optional `VIGIL_S3_ENDPOINT` (MinIO, Ceph…),
 * `VIGIL_S3_REGION`, `VIGIL_S3_PREFIX` and the usual `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`.
 */
const storageEnvSchema = z.object({
  VIGIL_EVIDENCE_BACKEND: z.enum(['filesystem', 's3']).default('filesystem'),
  VIGIL_S3_BUCKET: z.string().min(3).optional(),
  VIGIL_S3_ENDPOINT: z.url().optional(),
  VIGIL_S3_REGION: z.string().min(1).optional(),
  VIGIL_S3_PREFIX: z.string().regex(/^([a-z0-9_-]+\/)*$/).optional(),
  AWS_ACCESS_KEY_ID: z.string().optional(),
  AWS_SECRET_ACCESS_KEY: z.string().optional(),
});

const stores = new Map<string, EvidenceStore>();

export function evidenceStoreFromEnv(dataDir: string, env: NodeJS.ProcessEnv = process.env): EvidenceStore {
  const parsed = storageEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new AppError('config_invalid', `evidence storage: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const e = parsed.data;
  if (e.VIGIL_EVIDENCE_BACKEND === 'filesystem') return new FsEvidenceStore(join(resolve(dataDir), 'evidence'));
  if (!e.VIGIL_S3_BUCKET) throw new AppError('config_invalid', 'evidence storage: VIGIL_S3_BUCKET is required with VIGIL_EVIDENCE_BACKEND=s3');
  return new S3EvidenceStore({
    bucket: e.VIGIL_S3_BUCKET, endpoint: e.VIGIL_S3_ENDPOINT, region: e.VIGIL_S3_REGION, prefix: e.VIGIL_S3_PREFIX,
    accessKeyId: e.AWS_ACCESS_KEY_ID, secretAccessKey: e.AWS_SECRET_ACCESS_KEY,
  });
}

/** One store per data directory and process: API routes, the worker and the CLI share it. */
export function evidenceStoreFor(config: { dataDir: string }): EvidenceStore {
  const key = resolve(config.dataDir);
  let store = stores.get(key);
  if (!store) {
    store = evidenceStoreFromEnv(config.dataDir);
    stores.set(key, store);
  }
  return store;
}

/** Object keys, minted here only: tenant and id come from our own records, never from a request. */
export const evidenceKeys = {
  item: (tenantId: string, itemId: string, kind: string) => `items/${tenantId}/${itemId}.${EXTENSIONS[kind] ?? 'bin'}`,
  staging: (tenantId: string, uploadId: string) => `uploads/${tenantId}/${uploadId}`,
  export: (tenantId: string, exportId: string) => `exports/${tenantId}/${exportId}.zip`,
};

const EXTENSIONS: Record<string, string> = { clip: 'mp4', snapshot: 'jpg', metadata: 'json' };
