// Reads GetProfiles answers (node-onvif's xml2js shape: explicitArray false, attributes under `$`, text of elements
// with attributes under `_`, namespace prefixes stripped) one profile at a time. node-onvif's own reader throws a
// TypeError on the first profile it cannot read (an NVR channel with an empty VideoEncoderConfiguration has no
// `Resolution`), which failed the whole device; here such a profile is skipped and reported, the others are kept.
import { z } from 'zod';
import { normaliseEncoding } from './vendor-quirks.js';

const text = z.unknown().transform((v) => (typeof v === 'string' ? v.trim() : typeof v === 'object' && v !== null && '_' in v ? String((v as { _: unknown })._).trim() : ''));
const integer = text.transform((s) => (/^\d+(\.\d+)?$/.test(s) ? Math.round(Number(s)) : 0));
const attrs = z.object({ token: z.string().min(1) });

const rawProfileSchema = z.object({
  $: attrs,
  Name: text.optional(),
  VideoSourceConfiguration: z.object({ $: attrs.partial().optional(), SourceToken: text }).optional(),
  VideoEncoderConfiguration: z.object({
    Encoding: text,
    Resolution: z.object({ Width: integer, Height: integer }),
    RateControl: z.object({ FrameRateLimit: integer }).optional(),
  }).optional(),
});

/** One readable media profile, before stream URIs are asked for. */
export interface MediaProfile {
  readonly token: string;
  readonly name: string;
  /** VideoSourceConfiguration/SourceToken: the physical input (NVR channel) the profile encodes. */
  readonly videoSourceToken: string | null;
  readonly encoding: string;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
}

export interface SkippedProfile {
  readonly token: string | null;
  readonly reason: string;
}

export interface ProfileReading {
  readonly profiles: MediaProfile[];
  readonly skipped: SkippedProfile[];
}

/** `response` is the GetProfilesResponse element; a missing or odd one yields no profiles, never a throw. */
export function readMediaProfiles(response: unknown): ProfileReading {
  return readProfiles(response, (raw) => raw);
}

/**
 * The Media2 (ver20/media/wsdl) GetProfilesResponse, asked with Type=All: each profile holds its configurations under
 * `Configurations` (VideoSource, VideoEncoder, ...) instead of Media1's VideoSourceConfiguration and
 * VideoEncoderConfiguration; the configurations themselves have the same tt: shapes, so they are read alike.
 */
export function readMedia2Profiles(response: unknown): ProfileReading {
  return readProfiles(response, (raw) => {
    if (typeof raw !== 'object' || raw === null) return raw;
    const { Configurations, ...rest } = raw as { Configurations?: unknown };
    const c = typeof Configurations === 'object' && Configurations !== null ? (Configurations as Record<string, unknown>) : {};
    return { ...rest, VideoSourceConfiguration: c['VideoSource'], VideoEncoderConfiguration: c['VideoEncoder'] };
  });
}

function readProfiles(response: unknown, shape: (raw: unknown) => unknown): ProfileReading {
  const list = typeof response === 'object' && response !== null && 'Profiles' in response ? (response as { Profiles: unknown }).Profiles : undefined;
  const reading: ProfileReading = { profiles: [], skipped: [] };
  for (const raw of [list ?? []].flat()) {
    const result = readOne(shape(raw));
    if ('reason' in result) reading.skipped.push(result);
    else reading.profiles.push(result);
  }
  return reading;
}

function readOne(raw: unknown): MediaProfile | SkippedProfile {
  const parsed = rawProfileSchema.safeParse(raw);
  if (!parsed.success) {
    return { token: tokenOf(raw), reason: `unreadable profile: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` };
  }
  const p = parsed.data;
  const encoder = p.VideoEncoderConfiguration;
  if (encoder === undefined) return { token: p.$.token, reason: 'no video encoder configuration' };
  if (encoder.Resolution.Width <= 0 || encoder.Resolution.Height <= 0) return { token: p.$.token, reason: 'video encoder configuration without a resolution' };
  return {
    token: p.$.token,
    name: p.Name ?? '',
    videoSourceToken: p.VideoSourceConfiguration?.SourceToken || null,
    encoding: normaliseEncoding(encoder.Encoding),
    width: encoder.Resolution.Width,
    height: encoder.Resolution.Height,
    fps: encoder.RateControl?.FrameRateLimit ?? 0,
  };
}

function tokenOf(raw: unknown): string | null {
  const parsed = z.object({ $: attrs }).safeParse(raw);
  return parsed.success ? parsed.data.$.token : null;
}
