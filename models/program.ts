import { TenantModel } from './base-model.js';

/** A pilot: a rule configuration run on some stores (or lanes) in shadow or live mode. */
export class Program extends TenantModel {
  static override tableName = 'programs';
  static override idColumn = ['tenant_id', 'id'];
  static override jsonAttributes = ['rules'];
  environment!: string;
  name!: string;
  mode!: 'shadow' | 'live';
  storeIds!: string[];
  laneIds!: string[];
  rules!: unknown[];
  version!: number;
  state!: 'active' | 'ended';
  createdBy!: string;
  createdAt!: Date;
  updatedAt!: Date;
}

/** One version of a program: what changed, the configuration it left, and for promotions the figures it was based on. */
export class ProgramVersion extends TenantModel {
  static override tableName = 'program_versions';
  static override idColumn = ['tenant_id', 'program_id', 'version'];
  static override jsonAttributes = ['rules', 'figures'];
  programId!: string;
  version!: number;
  change!: 'created' | 'updated' | 'promoted' | 'rolled_back' | 'ended';
  mode!: 'shadow' | 'live';
  storeIds!: string[];
  laneIds!: string[];
  rules!: unknown[];
  figures!: Record<string, unknown> | null;
  reason!: string | null;
  changedBy!: string;
  changedAt!: Date;
}
