import { z } from 'zod';
import { idSchema } from '../../contracts/index.js';

/**
 * An evidence upload job as stored in the outbox: which file to send and how the hub should file it.
 * The job is queued before the upload starts, so a crash or a hub outage only delays it.
 */
export const evidenceJobSchema = z.strictObject({
  filePath: z.string().min(1).describe('The clip, snapshot or metadata file on the plugin’s disk'),
  upload: z.strictObject({
    kind: z.enum(['clip', 'snapshot', 'metadata']),
    bytes: z.number().int().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    cameraId: idSchema('camera'),
    eventId: idSchema('event').optional(),
    incidentId: idSchema('incident').optional(),
    capturedFrom: z.iso.datetime({ offset: true }),
    capturedTo: z.iso.datetime({ offset: true }),
    metadata: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type EvidenceJob = z.output<typeof evidenceJobSchema>;
export type EvidenceJobInput = z.input<typeof evidenceJobSchema>;
