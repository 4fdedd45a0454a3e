import { TenantModel } from './base-model.js';

export class AuditRecord extends TenantModel {
  static override tableName = 'audit_records';
  static override idColumn = ['tenant_id', 'shard', 'seq', 'occurred_at'];
  static override jsonAttributes = ['before', 'after'];
  /** The environment it was written in (the trail is the tenant's; outside production it is read per environment). */
  environment!: string;
  /** Which of the tenant's audit chains (0 unless writers ran concurrently); seq counts within it. */
  shard!: number;
  seq!: number;
  occurredAt!: Date;
  actorType!: string;
  actorId!: string;
  action!: string;
  subjectType!: string;
  subjectId!: string;
  before!: unknown;
  after!: unknown;
  requestId!: string | null;
  clientAddress!: string | null;
  prevHash!: string;
  hash!: string;
  /** `hmac-sha256` (keyed chain) or `sha256` (records from before keyed chains). */
  macAlg!: string;
  /** Id of the HMAC key (never the key): lets keys rotate while old records stay verifiable. */
  keyId!: string | null;
}
