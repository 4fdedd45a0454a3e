import { z } from 'zod';

export const BUNDLE_FORMAT = 'vigil-evidence-bundle/2';
/** Bundles made before chain-of-custody fields (no `custody`); still verified. */
export const BUNDLE_FORMATS = ['vigil-evidence-bundle/1', BUNDLE_FORMAT] as const;
export const MANIFEST = 'manifest.json';
export const SIGNATURE = 'manifest.sig';
export const PUBLIC_KEY = 'public-key.pem';
export const AUDIT_EXTRACT = 'audit.json';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);

export const cameraIdentitySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** What the camera said of itself over ONVIF (manufacturer, model, serial, hardware id), without addresses. */
  onvif: z.record(z.string(), z.unknown()),
  /** Camera clock minus hub clock in milliseconds, when the plugin measured it; null when unknown. */
  clockOffsetMs: z.number().nullable(),
});

/** Who asked for the export, for whom and why, and where the evidence was recorded. */
export const custodySchema = z.object({
  caseNumber: z.string().nullable(),
  recipient: z.string().nullable(),
  purpose: z.string().nullable(),
  store: z.object({ id: z.string(), name: z.string(), timeZone: z.string() }),
  cameras: z.array(cameraIdentitySchema),
  /** Detection events that triggered the incident (events.json holds them in full). */
  eventIds: z.array(z.string()),
});
export type BundleCustody = z.infer<typeof custodySchema>;

/** The signed table of contents of an evidence bundle: every other file with its SHA-256. */
export const manifestSchema = z.object({
  format: z.enum(BUNDLE_FORMATS),
  exportId: z.string(),
  tenantId: z.string(),
  incidentId: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  redacted: z.boolean(),
  /** The kid: SHA-256 of the signing key's SPKI DER, hex; picks the key out of a published key set. */
  keyId: hex64,
  algorithm: z.literal('ed25519'),
  custody: custodySchema.optional(),
  files: z.array(z.object({
    path: z.string(),
    sha256: hex64,
    bytes: z.number().int().nonnegative(),
    itemId: z.string().optional(),
    redacted: z.boolean().optional(),
    /** The acquisition hash of the item; equals `sha256` for an unredacted file. */
    originalSha256: z.string().optional(),
  })),
});
export type BundleManifest = z.infer<typeof manifestSchema>;
