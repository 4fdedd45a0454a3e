import { BaseModel, TenantModel } from './base-model.js';

export class AuditRecord extends TenantModel {
  static override tableName = 'audit_records';
  static override idColumn = ['tenant_id', 'seq', 'occurred_at'];
  static override jsonAttributes = ['before', 'after'];
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
}

export class AuditHead extends BaseModel {
  static override tableName = 'audit_heads';
  static override idColumn = 'tenant_id';
  tenantId!: string;
  seq!: number;
  hash!: string;
}
