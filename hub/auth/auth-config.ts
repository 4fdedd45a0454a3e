import { z } from 'zod';

/** Failed authentications a minute per client address and API process before 429 (VIGIL_AUTH_FAILURES_PER_MINUTE). */
export const authFailuresPerMinuteSchema = z.coerce.number().int().min(0).max(100_000).default(30)
  .describe('Failed authentications a minute per client address and API process before requests are refused with 429; 0 turns the limit off (VIGIL_AUTH_FAILURES_PER_MINUTE).');
