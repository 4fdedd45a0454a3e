import { z } from 'zod';
import { idSchema } from '../../../contracts/index.js';
import { pageQuery } from '../pagination.js';
import { DEFAULT_LINK_TTL_SECONDS, MAX_LINK_TTL_SECONDS, MIN_LINK_TTL_SECONDS } from '../../evidence/index.js';

export const itemSchema = z.object({
  id: z.string(), kind: z.enum(['clip', 'snapshot', 'metadata']), storeId: z.string(), cameraId: z.string(),
  incidentId: z.string().nullable(), eventId: z.string().nullable(), originalId: z.string().nullable(),
  contentType: z.string(), bytes: z.number(), sha256: z.string(), capturedFrom: z.string(), capturedTo: z.string(),
  metadata: z.record(z.string(), z.unknown()), createdAt: z.string(),
});

export const linkBody = z.strictObject({
  disposition: z.enum(['inline', 'attachment']).default('inline').describe('inline to play in the browser, attachment to download.'),
  ttlSeconds: z.number().int().min(MIN_LINK_TTL_SECONDS).max(MAX_LINK_TTL_SECONDS).default(DEFAULT_LINK_TTL_SECONDS)
    .describe(`Seconds the link lives: ${MIN_LINK_TTL_SECONDS} to ${MAX_LINK_TTL_SECONDS} (a longer TTL is refused, not shortened).`),
  redacted: z.boolean().default(true).describe('The redacted rendition (people not involved blurred, the default); false serves the original bytes and needs the unredact permission.'),
});
export const linkSchema = z.object({ url: z.string(), expiresAt: z.string(), linkId: z.string(), redacted: z.boolean() });

export const holdBody = z.strictObject({
  targetType: z.enum(['incident', 'item']),
  targetId: z.string().regex(/^(inc|evd)_[0-9a-z]{10,40}$/),
  reason: z.string().trim().min(1).max(2000),
});
export const holdSchema = z.object({
  id: z.string(), targetType: z.string(), targetId: z.string(), reason: z.string(), placedBy: z.string(), placedAt: z.string(),
  releasedBy: z.string().nullable(), releasedAt: z.string().nullable(),
});

export const holdsQuery = z.strictObject({
  ...pageQuery,
  state: z.enum(['active', 'released', 'all']).default('active').describe('Active holds (the default), released ones, or both.'),
  targetType: z.enum(['incident', 'item']).optional(),
  targetId: z.string().regex(/^(inc|evd)_[0-9a-z]{10,40}$/).optional().describe('The incident or item the holds are on.'),
});

const custodyText = (what: string) => z.string().trim().min(1).max(200).optional().describe(what);
export const exportBody = z.strictObject({
  redacted: z.boolean().default(true).describe('Blur people not involved in the incident (default). false needs the unredact permission.'),
  caseNumber: custodyText('The case or crime reference the export is for; recorded in the signed manifest and the audit trail.'),
  recipient: custodyText('Who receives the bundle (an officer, a court, an insurer); recorded in the manifest and the audit trail.'),
  purpose: custodyText('Why it is exported; recorded in the manifest and the audit trail.'),
}).default({ redacted: true });
export const exportSchema = z.object({
  id: z.string(), incidentId: z.string(), redacted: z.boolean(), bytes: z.number(), sha256: z.string(), url: z.string(), expiresAt: z.string(),
});

export const itemsQuery = z.strictObject({ incidentId: idSchema('incident') });
export { keySetSchema as keysSchema } from '../../evidence/keys.js';
