import { z } from 'zod';
import { DIGEST_CADENCES, type DigestCadence } from './period.js';

/** Per-tenant digest settings, from `tenants.settings.digest`: which cadence the worker builds, or off. */
export const digestSettingsSchema = z.object({
  cadence: z.enum([...DIGEST_CADENCES, 'off']).default('weekly'),
});
export type DigestSettings = z.infer<typeof digestSettingsSchema>;

/** The tenant's digest settings from `tenants.settings` (weekly where missing or malformed). */
export function digestSettingsOf(settings: { digest?: unknown } | null | undefined): DigestSettings {
  const parsed = digestSettingsSchema.safeParse(settings?.digest ?? {});
  return parsed.success ? parsed.data : { cadence: 'weekly' };
}

/** The tenant's digest cadence (weekly where the setting is missing or malformed), or null when off. */
export function digestCadenceOf(settings: { digest?: unknown } | null | undefined): DigestCadence | null {
  const { cadence } = digestSettingsOf(settings);
  return cadence === 'off' ? null : cadence;
}
