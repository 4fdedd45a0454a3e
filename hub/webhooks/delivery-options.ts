import { z } from 'zod';
import { AppError } from '../../contracts/index.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** The documented schedule: after the first attempt, retries 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h later. */
export const DEFAULT_RETRY_SCHEDULE_MS = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR];

export const deliveryOptionsSchema = z.strictObject({
  retryScheduleMs: z.array(z.number().int().min(0)).max(20).default(DEFAULT_RETRY_SCHEDULE_MS).describe('Delay before each retry; its length is the number of retries.'),
  jitter: z.number().min(0).max(0.5).default(0.1).describe('Each delay is spread by +/- this fraction so retries of many messages do not stampede.'),
  requestTimeoutMs: z.number().int().min(1).max(60 * SECOND).default(15 * SECOND).describe('A 2xx must arrive within this time.'),
  leaseMs: z.number().int().min(100).default(60 * SECOND).describe('A claim is void after this long even if its worker still looks alive; must exceed the request timeout (a send starts only while its whole timeout fits in the lease).'),
  heartbeatMs: z.number().int().min(10).max(60 * SECOND).default(SECOND).describe('How often a worker marks itself alive in webhook_workers.'),
  workerDeadAfterMs: z.number().int().min(30).default(10 * SECOND).describe('A worker silent this long is dead: any other worker gives its claims back (a dead worker on the same host is recognised at once by its PID).'),
  pollMs: z.number().int().min(5).max(60 * SECOND).default(1000).describe('Polling fallback when no notification arrives (and PGlite).'),
  concurrency: z.number().int().min(1).max(512).default(32).describe('Deliveries in flight per worker process.'),
  claimBatch: z.number().int().min(1).max(1000).default(128).describe('At most this many deliveries per claim query, and never more than free sending slots: a claimed delivery is sent at once.'),
  disableAfterMs: z.number().int().min(0).default(5 * 24 * HOUR).describe('An endpoint failing continuously this long is disabled.'),
  maxRetryAfterMs: z.number().int().min(0).default(24 * HOUR).describe('Upper bound on a Retry-After the receiver asks for.'),
  maxResponseBytes: z.number().int().min(0).max(65536).default(1024).describe('Response excerpt kept per attempt.'),
  recoverWindowMs: z.number().int().min(0).default(14 * 24 * HOUR).describe('Recover is refused for messages older than this (delivery retention).'),
  secretGraceMs: z.number().int().min(0).default(24 * HOUR).describe('After a rotation, the previous secret keeps signing this long.'),
}).superRefine((o, ctx) => {
  if (o.leaseMs <= o.requestTimeoutMs) ctx.addIssue({ code: 'custom', path: ['leaseMs'], message: `must exceed requestTimeoutMs (${o.requestTimeoutMs})` });
  if (o.workerDeadAfterMs < 3 * o.heartbeatMs) ctx.addIssue({ code: 'custom', path: ['workerDeadAfterMs'], message: `must be at least three heartbeats (${3 * o.heartbeatMs})` });
});

export type DeliveryOptions = z.infer<typeof deliveryOptionsSchema>;
export type DeliveryOptionsInput = z.input<typeof deliveryOptionsSchema>;

export function deliveryOptions(input: DeliveryOptionsInput = {}): DeliveryOptions {
  const parsed = deliveryOptionsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  throw new AppError('config_invalid', `webhook delivery options are invalid: ${problems.join('; ')}`, { details: { problems } });
}
