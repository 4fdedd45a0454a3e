export { FsEvidenceStore } from './fs/fs-evidence-store.js';
export { S3EvidenceStore, type S3StoreOptions } from './s3/s3-evidence-store.js';
export { assertObjectKey } from './object-key.js';
