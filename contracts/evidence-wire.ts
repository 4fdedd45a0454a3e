import { z } from 'zod';
import { idSchema } from './ids.js';

/**
 * An evidence upload as `POST /v1/evidence/uploads` and `GET /v1/evidence/uploads/:id` answer it: the
 * hub presents it with this schema and the plugin parses it with the same one.
 */
export const evidenceUploadSchema = z.object({
  id: idSchema('upload'),
  itemId: z.string(),
  state: z.enum(['open', 'complete', 'refused']),
  bytes: z.number().int().nonnegative(),
  offset: z.number().int().nonnegative().describe('Bytes the hub holds: where the next chunk starts.'),
  refusal: z.string().nullable(),
  location: z.string(),
  expiresAt: z.string(),
});
export type EvidenceUpload = z.infer<typeof evidenceUploadSchema>;

/** Body of `POST /v1/evidence/uploads` as the plugin sends it (the hub validates it with `uploadRequestSchema`). */
export interface EvidenceUploadRequest {
  readonly kind: 'clip' | 'snapshot' | 'metadata';
  readonly bytes: number;
  readonly sha256: string;
  readonly cameraId: string;
  readonly eventId?: string | undefined;
  readonly incidentId?: string | undefined;
  readonly capturedFrom: string;
  readonly capturedTo: string;
  readonly metadata?: Record<string, unknown> | undefined;
}
