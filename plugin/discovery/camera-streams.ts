import { z } from 'zod';
import { AppError } from '../../contracts/index.js';
import { describeCamera } from './onvif-client.js';
import { chooseStreams } from './profile-chooser.js';
import type { CameraDescription, CameraStreams } from './types.js';

const rtspUrl = z.string().refine((s) => /^rtsps?:\/\//i.test(s) && URL.canParse(s), 'must be an rtsp:// URL');

/** A video source token, or its 1-based position in the device's list (as `vigil discover` prints it). */
export const videoSourceSchema = z.union([z.string().min(1).max(64), z.number().int().min(1).max(256)]);

/** A SHA-256 certificate fingerprint: 64 hex digits, colons allowed (as openssl x509 -fingerprint -sha256 prints it). */
export const certificateSha256Schema = z.string().regex(/^([0-9a-fA-F]{2}:?){31}[0-9a-fA-F]{2}$/, 'expected a SHA-256 fingerprint (64 hex digits)');

/** How a camera is configured: found over ONVIF, or given as RTSP URLs (cameras without ONVIF, VMS restreams). */
export const cameraSourceSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('onvif'),
    xaddr: z.url().describe('ONVIF device service URL'),
    user: z.string().optional(),
    password: z.string().optional(),
    certificateSha256: certificateSha256Schema.optional().describe('SHA-256 fingerprint of the https device certificate, trusted instead of the CAs'),
    videoSource: videoSourceSchema.optional().describe('which video source (NVR channel) to use: its token or 1-based index; the first when absent'),
    minAnalysisHeight: z.number().int().min(64).max(4320).optional().describe('smallest profile height accepted for analysis'),
  }),
  z.object({
    kind: z.literal('rtsp'),
    analysisUrl: rtspUrl.describe('stream decoded for detection (usually the sub-stream)'),
    evidenceUrl: rtspUrl.optional().describe('stream recorded for evidence; defaults to analysisUrl'),
  }),
]);
export type CameraSource = z.infer<typeof cameraSourceSchema>;

/** The analysis and evidence streams of one configured camera (and its ONVIF description when it has one). */
export async function resolveCameraStreams(input: unknown, timeoutMs?: number): Promise<{ streams: CameraStreams; description: CameraDescription | null }> {
  const parsed = cameraSourceSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError('validation_failed', `camera source: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const source = parsed.data;
  if (source.kind === 'rtsp') {
    const given = (uri: string): CameraStreams['analysis'] => ({ uri, profileToken: null, width: null, height: null, encoding: null });
    return { streams: { videoSourceToken: null, analysis: given(source.analysisUrl), evidence: given(source.evidenceUrl ?? source.analysisUrl) }, description: null };
  }
  const description = await describeCamera({
    xaddr: source.xaddr,
    ...(source.user === undefined ? {} : { user: source.user }),
    ...(source.password === undefined ? {} : { password: source.password }),
    ...(source.certificateSha256 === undefined ? {} : { certificateSha256: source.certificateSha256 }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  return { streams: chooseStreams(description.profiles, source.minAnalysisHeight, source.videoSource), description };
}
