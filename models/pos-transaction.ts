import { TenantModel } from './base-model.js';

/** One stored POS transaction (partitioned by business day; looked up by id through pos_transactions_id). */
export class PosTransactionRow extends TenantModel {
  static override tableName = 'pos_transactions';
  static override idColumn = ['tenant_id', 'pos_store_id', 'workstation_id', 'sequence_number', 'occurred_at'];
  static override jsonAttributes = ['lineItems', 'raw'];
  occurredAt!: Date;
  posStoreId!: string;
  workstationId!: string;
  sequenceNumber!: string;
  storeId!: string | null;
  regionId!: string | null;
  laneId!: string | null;
  isMatched!: boolean;
  beginAt!: Date | null;
  endAt!: Date | null;
  beginInferred!: boolean;
  timeZone!: string | null;
  operatorId!: string | null;
  kind!: string;
  exceptions!: string[];
  /** numeric(14, 2): the driver returns a string. */
  total!: string | number | null;
  lineItems!: unknown[];
  raw!: unknown;
  receivedAt!: Date;
}

/** A POS transaction seen together with an incident (same lane, within the correlation window), and why. */
export class PosIncidentLink extends TenantModel {
  static override tableName = 'pos_incident_links';
  static override idColumn = ['tenant_id', 'pos_transaction_id', 'incident_id'];
  posTransactionId!: string;
  incidentId!: string;
  laneId!: string;
  reason!: string;
  linkedAt!: Date;
}
