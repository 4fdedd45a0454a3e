// Vendor quirks of ONVIF devices, in one place, each with the reason it is handled. Those that live in the code
// path they bend are listed here with where to find them:
// - node-onvif throws a TypeError on a profile without Resolution (NVR channels with an empty encoder
//   configuration): profiles are read one by one and such a profile is skipped (media-profiles.ts).
// - Hikvision answers the HTTP-transport GetStreamUri with rtsp://ip:80/…; some cameras answer only the UDP form:
//   RTSP is asked first, then UDP (onvif-client.ts, mediaUris).
// - Stream, snapshot, service and subscription addresses with 0.0.0.0 or a loopback host (incomplete network setup,
//   NAT): the host we reached the device on replaces it (onvif-client.ts fixHost; onvif-events.ts fixAddress).
// - Firmwares that list Media2 in GetServices before answering it: Media1 is asked instead (onvif-client.ts).
// - Cameras wanting HTTP Digest on the SOAP endpoint instead of WS-UsernameToken: one Digest retry on a 401
//   (soap-transport.ts). Self-signed https certificates: pinned by SHA-256 (soap-transport.ts).
// - Devices routing PullMessages/Renew by WS-Addressing To/Action rather than by path: both headers are always sent
//   (onvif-events.ts). Events services listed without PullPoint support: given up after one attempt (onvif-events.ts).
// - NVRs allow few PullPoint subscriptions: one per device, shared by its channels (onvif-events.ts).

/**
 * Encoder names as ffmpeg and the chooser know them. Media1 says H264 / JPEG / MPEG4; Media2 and several
 * Hikvision/Dahua firmwares say H265 or HEVC for the main stream inside a Media1 profile (an H.265 stream was
 * reported as H.264 when the encoder configuration was ignored).
 */
export function normaliseEncoding(value: string): string {
  const upper = value.trim().toUpperCase().replace(/[.\-_ ]/g, '');
  if (upper === 'HEVC' || upper === 'H265') return 'H265';
  if (upper === 'H264' || upper === 'AVC') return 'H264';
  if (upper === 'JPEG' || upper === 'MJPEG' || upper === 'MJPG') return 'MJPEG';
  return upper;
}

/** Codec hint for ffmpeg's -c:v input option (or null to let ffmpeg probe). */
export function ffmpegCodecOf(encoding: string): 'h264' | 'hevc' | 'mjpeg' | null {
  switch (normaliseEncoding(encoding)) {
    case 'H264':
      return 'h264';
    case 'H265':
      return 'hevc';
    case 'MJPEG':
      return 'mjpeg';
    default:
      return null;
  }
}

// ONVIF event topics: motion and tamper. Devices write topics with their own namespace prefixes (tns1:, tns:, none)
// and some vendors use their own topic trees beside the ONVIF ones, so the prefixes are dropped before matching.
export type EventKind = 'motion' | 'tamper';
const MOTION_TOPICS = [
  'VideoSource/MotionAlarm', // Profile S motion alarm (Data State)
  'RuleEngine/CellMotionDetector/Motion', // the cell motion analytics rule, Hikvision/Dahua/Axis (Data IsMotion)
  'RuleEngine/MotionRegionDetector/Motion', // motion region rules, Profile M (Data State)
];
const TAMPER_TOPICS = [
  'VideoSource/GlobalSceneChange', // .../ImagingService, .../AnalyticsService, .../RecordingService (Data State)
  'VideoSource/ImageTooBlurry', 'VideoSource/ImageTooDark', 'VideoSource/ImageTooBright',
  'RuleEngine/TamperDetector/Tamper', // the tamper analytics rule (Data IsTamper)
  'VideoSource/SignalLoss', // an encoder's analogue input lost (Data State)
];

export function classifyTopic(topic: string): EventKind | null {
  const path = topic.trim().split('/').map((segment) => segment.replace(/^[\w.-]+:/, '')).join('/');
  if (MOTION_TOPICS.some((t) => path === t || path.startsWith(`${t}/`))) return 'motion';
  if (TAMPER_TOPICS.some((t) => path === t || path.startsWith(`${t}/`))) return 'tamper';
  return null;
}

/**
 * The video source a message is about. The ONVIF topics name it "Source" (VideoSource topics); the analytics rules
 * name VideoSourceConfigurationToken (Hikvision, Axis) or VideoSourceToken (some Dahua firmwares); encoders InputToken.
 */
const SOURCE_ITEMS = ['Source', 'VideoSourceToken', 'VideoSource', 'VideoSourceConfigurationToken', 'InputToken'];
export function eventSourceToken(items: ReadonlyArray<{ '@_Name': string; '@_Value': string }>): string | null {
  for (const name of SOURCE_ITEMS) {
    const item = items.find((i) => i['@_Name'] === name && i['@_Value'] !== '');
    if (item !== undefined) return item['@_Value'];
  }
  return null;
}

/** The message's boolean: State, IsMotion or IsTamper; "true"/"false" per xs:boolean, some firmwares write 1/0. */
export function eventBoolean(items: ReadonlyArray<{ '@_Name': string; '@_Value': string }>): boolean | null {
  const item = items.find((i) => ['State', 'IsMotion', 'IsTamper', 'LogicalState'].includes(i['@_Name']));
  const value = item?.['@_Value'].trim().toLowerCase();
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return null;
}

/**
 * The device types `vigil discover` and the plugin probe for, one Probe each (the Types of one Probe must all
 * match). Profile S cameras answer dn:NetworkVideoTransmitter; many NVRs and multi-channel encoders (Hikvision and
 * Dahua NVRs among them) answer only tds:Device, which every ONVIF device is.
 */
export type ProbeType = 'dn:NetworkVideoTransmitter' | 'tds:Device';
export const PROBE_TYPES: readonly ProbeType[] = ['dn:NetworkVideoTransmitter', 'tds:Device'];
