import { z } from 'zod';
import { POS_EXCEPTIONS } from '../../../adapters/pos/index.js';
import { idSchema, isoDateTime } from '../../../contracts/index.js';
import { timestamp } from '../common-schemas.js';
import { pageQuery } from '../pagination.js';

export const listPosTransactionsQuery = z.strictObject({
  ...pageQuery,
  storeId: idSchema('store').optional(),
  laneId: idSchema('lane').optional(),
  from: isoDateTime().optional().describe('Transactions that begin at or after this time.'),
  to: isoDateTime().optional().describe('Transactions that begin before this time.'),
  exception: z.enum(['true', 'false']).transform((v) => v === 'true').optional().describe('true: only transactions with exceptions; false: only those without.'),
}).refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to', path: ['from'] });

export const posLineSchema = z.object({
  type: z.string(),
  itemId: z.string().nullable(),
  description: z.string().nullable(),
  quantity: z.number().nullable(),
  amount: z.number().nullable(),
  regularPrice: z.number().nullable(),
  actualPrice: z.number().nullable(),
  tenderType: z.string().nullable(),
  isVoided: z.boolean(),
  isPriceOverride: z.boolean(),
  isManualDiscount: z.boolean(),
  isPriceModified: z.boolean(),
  isSupervisorOverride: z.boolean(),
  reason: z.string().nullable(),
});

export const posTransactionItemSchema = z.object({
  id: z.string(),
  storeId: z.string().nullable(),
  regionId: z.string().nullable(),
  laneId: z.string().nullable(),
  isMatched: z.boolean(),
  posStoreId: z.string(),
  workstationId: z.string(),
  sequenceNumber: z.string(),
  businessDay: z.string().describe('YYYY-MM-DD'),
  beginAt: timestamp.nullable().describe('When the transaction began; its end time when the POS gave none (isBeginInferred).'),
  endAt: timestamp.nullable(),
  isBeginInferred: z.boolean().describe('The POS wrote no begin time: beginAt is the end time.'),
  timeZone: z.string().nullable().describe('The IANA zone local POS times were read in (the store\'s); null when the POS wrote UTC offsets.'),
  operatorId: z.string().nullable(),
  kind: z.string(),
  total: z.number().nullable(),
  exceptions: z.array(z.enum(POS_EXCEPTIONS)),
  receivedAt: timestamp,
});

export const posTransactionDetailSchema = posTransactionItemSchema.extend({
  lines: z.array(posLineSchema),
  incidentIds: z.array(z.string()).describe('Incidents this transaction is linked to (same lane, within the correlation window, or opened for its exception).'),
});

/** A POS transaction as an incident shows it. */
export const incidentPosSchema = z.object({
  transactionId: z.string(),
  workstationId: z.string(),
  sequenceNumber: z.string(),
  beginAt: timestamp.nullable(),
  endAt: timestamp.nullable(),
  operatorId: z.string().nullable().optional().describe('Absent when the caller\'s rules hide operator ids on incidents.'),
  total: z.number().nullable(),
  exceptions: z.array(z.enum(POS_EXCEPTIONS)),
  lines: z.array(posLineSchema),
  reason: z.string().describe('same_lane_window or pos_only.'),
});
