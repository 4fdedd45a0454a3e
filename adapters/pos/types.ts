import { z } from 'zod';

/** Checkout exceptions worth a look on video. Adding one is an API change. */
export const POS_EXCEPTIONS = ['post_void', 'no_sale', 'refund', 'price_override', 'manual_discount', 'line_void', 'void_threshold', 'supervisor_override'] as const;
export type PosException = (typeof POS_EXCEPTIONS)[number];

const money = z.number().finite().min(-1e9).max(1e9);

export const posLineItemSchema = z.strictObject({
  type: z.enum(['sale', 'return', 'tender', 'discount', 'other']),
  itemId: z.string().max(100).nullable().default(null),
  description: z.string().max(500).nullable().default(null),
  quantity: z.number().finite().nullable().default(null),
  amount: money.nullable().default(null).describe('Extended amount of the line.'),
  regularPrice: money.nullable().default(null),
  actualPrice: money.nullable().default(null),
  tenderType: z.string().max(50).nullable().default(null),
  isVoided: z.boolean().default(false),
  isPriceOverride: z.boolean().default(false),
  isManualDiscount: z.boolean().default(false),
  isPriceModified: z.boolean().default(false).describe('A price modifier (promotion, discount) explains an actual price below the regular one.'),
  isSupervisorOverride: z.boolean().default(false).describe('A supervisor approved this line (override key, approval code).'),
  reason: z.string().max(200).nullable().default(null),
});

/** One POS transaction in Vigil's normalised form: what the POSLog parser produces and the JSON form accepts. */
export const posTransactionSchema = z.strictObject({
  posStoreId: z.string().trim().min(1).max(40).describe('The store number as the POS knows it (matched to stores.code).'),
  workstationId: z.string().trim().min(1).max(40).describe('The register (matched to lanes.pos_workstation_id).'),
  sequenceNumber: z.string().trim().min(1).max(40),
  businessDay: z.iso.date().describe('The business day (YYYY-MM-DD) the POS assigned.'),
  beginAt: z.iso.datetime({ offset: true, local: true }).nullable().default(null),
  endAt: z.iso.datetime({ offset: true, local: true }).nullable().default(null),
  operatorId: z.string().max(40).nullable().default(null),
  kind: z.enum(['sale', 'return', 'no_sale', 'post_void', 'control', 'other']).default('sale'),
  total: money.nullable().default(null),
  isSupervisorOverride: z.boolean().default(false).describe('A supervisor approved the transaction (override key, approval code).'),
  lineItems: z.array(posLineItemSchema).max(2000).default([]),
  raw: z.unknown().optional().describe('The source record, vendor extensions included (kept, otherwise ignored).'),
});

export type PosTransaction = z.output<typeof posTransactionSchema>;
export type PosLineItem = z.output<typeof posLineItemSchema>;

export const posBatchSchema = z.strictObject({ transactions: z.array(posTransactionSchema).min(1).max(100_000) });

/** The JSON form's envelope: each transaction is then validated on its own, so one bad one refuses only itself. */
export const posEnvelopeSchema = z.strictObject({ transactions: z.array(z.unknown()).min(1).max(100_000) });

/** A transaction of an upload that was refused on its own (the rest of the upload is stored). */
export interface PosRejection {
  /** 1-based position of the transaction in the document. */
  readonly index: number;
  readonly sequenceNumber?: string;
  readonly code: 'validation_failed';
  readonly message: string;
}

/** What a POS document holds: the valid transactions and the refused ones, each with its position. */
export interface PosDocument<T = PosTransaction> {
  readonly transactions: T[];
  readonly rejected: PosRejection[];
}

/** Thresholds of the configurable exceptions; the defaults flag 3 voided lines or 50.00 voided in one transaction. */
export const exceptionRulesSchema = z.strictObject({
  voidCountThreshold: z.coerce.number().int().min(1).max(1000).default(3)
    .describe('Voided lines in one transaction that raise void_threshold (this many or more).'),
  voidAmountThreshold: z.coerce.number().min(0).max(1e9).default(50)
    .describe('Voided value in one transaction that raises void_threshold (this much or more).'),
});
export type ExceptionRules = z.output<typeof exceptionRulesSchema>;
export const DEFAULT_EXCEPTION_RULES: ExceptionRules = exceptionRulesSchema.parse({});
