import { z } from 'zod';
import { POS_EXCEPTIONS } from '../../../adapters/pos/index.js';

/** POS exceptions that open a `pos_exception` incident when no video incident covers them; a lone line void is routine. */
export const DEFAULT_INCIDENT_EXCEPTIONS = POS_EXCEPTIONS.filter((kind) => kind !== 'line_void');


/** Settings of POS uploads (`POST /v1/pos/transactions`) and of their correlation with video incidents. */
export const posConfigSchema = z.strictObject({
  uploadLimitBytes: z.coerce.number().int().min(1024).max(256 * 1024 * 1024).default(32 * 1024 * 1024)
    .describe('Largest accepted POS upload in bytes (413 above it); a busy store\'s daily export is a few MB.'),
  maxConcurrentParses: z.coerce.number().int().min(1).max(16).default(2)
    .describe('POS uploads parsed at once in worker threads; further uploads wait their turn.'),
  correlationWindowSeconds: z.coerce.number().int().min(0).max(3600).default(120)
    .describe('A POS transaction and an incident of the same lane are linked when the incident falls within this many seconds of the transaction\'s begin..end.'),
  voidCountThreshold: z.coerce.number().int().min(1).max(1000).default(3)
    .describe('Voided lines in one transaction that raise void_threshold (this many or more).'),
  voidAmountThreshold: z.coerce.number().min(0).max(1e9).default(50)
    .describe('Voided value in one transaction that raises void_threshold (this much or more).'),
  incidentExceptions: z.array(z.enum(POS_EXCEPTIONS)).default([...DEFAULT_INCIDENT_EXCEPTIONS])
    .describe('POS exceptions that open (or join) a pos_exception incident of their lane when no video incident is linked.'),
});
export type PosConfig = z.output<typeof posConfigSchema>;

/**
 * Environment variables of these settings (keys of the hub config's `pos` section). The correlation and
 * exception settings are set in the config file's `pos` section.
 */
export const POS_ENV = { VIGIL_POS_UPLOAD_LIMIT_BYTES: 'uploadLimitBytes', VIGIL_POS_MAX_CONCURRENT_PARSES: 'maxConcurrentParses' } as const;
