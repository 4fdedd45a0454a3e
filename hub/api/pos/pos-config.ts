import { z } from 'zod';

/** Settings of POS uploads (`POST /v1/pos/transactions`). */
export const posConfigSchema = z.strictObject({
  uploadLimitBytes: z.coerce.number().int().min(1024).max(256 * 1024 * 1024).default(32 * 1024 * 1024)
    .describe('Largest accepted POS upload in bytes (413 above it); a busy store\'s daily export is a few MB.'),
  maxConcurrentParses: z.coerce.number().int().min(1).max(16).default(2)
    .describe('POS uploads parsed at once in worker threads; further uploads wait their turn.'),
});
export type PosConfig = z.output<typeof posConfigSchema>;

/** Environment variables of these settings (keys of the hub config's `pos` section). */
export const POS_ENV = { VIGIL_POS_UPLOAD_LIMIT_BYTES: 'uploadLimitBytes', VIGIL_POS_MAX_CONCURRENT_PARSES: 'maxConcurrentParses' } as const;
