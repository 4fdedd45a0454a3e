import { join, resolve } from 'node:path';
import { FsEvidenceStore, S3EvidenceStore } from '../../adapters/storage/index.js';
import { AppError, type EvidenceStore } from '../../contracts/index.js';
import type { HubConfig } from '../config/index.js';

export interface EvidenceStorageConfig {
  dataDir: string;
  evidence: HubConfig['evidence'];
}

const stores = new Map<string, EvidenceStore>();

/** The backend the `evidence` config section names: files under the data directory, or an S3 bucket. */
export function openEvidenceStore(config: EvidenceStorageConfig): EvidenceStore {
  const { evidence } = config;
  if (evidence.backend === 'filesystem') return new FsEvidenceStore(join(resolve(config.dataDir), 'evidence'));
  const s3 = evidence.s3;
  if (!s3?.bucket) throw new AppError('config_invalid', 'evidence storage: VIGIL_S3_BUCKET is required with VIGIL_EVIDENCE_BACKEND=s3');
  return new S3EvidenceStore({
    bucket: s3.bucket, endpoint: s3.endpoint, region: s3.region, prefix: s3.prefix, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey,
  });
}

/** One store per data directory and process: API routes, the worker and the CLI share it. */
export function evidenceStoreFor(config: EvidenceStorageConfig): EvidenceStore {
  const key = `${resolve(config.dataDir)}|${config.evidence.backend}|${config.evidence.s3?.bucket ?? ''}`;
  let store = stores.get(key);
  if (!store) {
    store = openEvidenceStore(config);
    stores.set(key, store);
  }
  return store;
}

/** Where an environment's objects live under a kind: `ten_…` for production, `ten_…-staging` for another (never nested, so one prefix is one environment). */
export function scopeSegment(tenantId: string, environment: string | undefined): string {
  return environment === undefined || environment === 'production' ? tenantId : `${tenantId}-${environment}`;
}

type KeyScope = { tenantId: string; environment?: string | undefined };

/** Object keys, minted here only: tenant, environment and id come from our own records, never from a request. */
export const evidenceKeys = {
  item: (scope: KeyScope, itemId: string, kind: string) => `items/${scopeSegment(scope.tenantId, scope.environment)}/${itemId}.${EXTENSIONS[kind] ?? 'bin'}`,
  staging: (scope: KeyScope, uploadId: string) => `uploads/${scopeSegment(scope.tenantId, scope.environment)}/${uploadId}`,
  export: (scope: KeyScope, exportId: string) => `exports/${scopeSegment(scope.tenantId, scope.environment)}/${exportId}.zip`,
};

const EXTENSIONS: Record<string, string> = { clip: 'mp4', snapshot: 'jpg', metadata: 'json' };
