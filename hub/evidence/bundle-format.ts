import { z } from 'zod';

export const BUNDLE_FORMAT = 'vigil-evidence-bundle/1';
export const MANIFEST = 'manifest.json';
export const SIGNATURE = 'manifest.sig';
export const PUBLIC_KEY = 'public-key.pem';

/** The signed table of contents of an evidence bundle: every other file with its SHA-256. */
export const manifestSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  exportId: z.string(),
  tenantId: z.string(),
  incidentId: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  redacted: z.boolean(),
  keyId: z.string().regex(/^[0-9a-f]{64}$/),
  algorithm: z.literal('ed25519'),
  files: z.array(z.object({
    path: z.string(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    bytes: z.number().int().nonnegative(),
    itemId: z.string().optional(),
    redacted: z.boolean().optional(),
    originalSha256: z.string().optional(),
  })),
});
export type BundleManifest = z.infer<typeof manifestSchema>;
