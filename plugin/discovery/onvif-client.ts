// The one place node-onvif is used. node-onvif does the ONVIF conversation well (GetSystemDateAndTime clock offset,
// WS-Security UsernameToken digests corrected by that offset, GetCapabilities → media XAddr, GetDeviceInformation,
// GetProfiles, GetStreamUri, GetSnapshotUri). What it does weakly is handled here: every SOAP response is checked
// for DTDs before its xml2js parser sees it, its loosely shaped results are validated with zod into our types, its
// string errors become AppErrors, and vendor quirks in the answers are corrected below, each with its reason.
// WS-Discovery is not taken from node-onvif (it cannot probe a unicast target): see ws-discovery-probe.ts.
import { createRequire } from 'node:module';
import { z } from 'zod';
import { AppError, isAppError } from '../../contracts/index.js';
import { cameraDescriptionSchema, type CameraDescription, type CameraProfile } from './types.js';
import { assertSafeXml, UNSAFE_XML_MARKER } from './xml-guard.js';

interface NodeOnvifSoap {
  parse(xml: string): Promise<unknown>;
  HTTP_TIMEOUT: number;
}
interface NodeOnvifDevice {
  init(): Promise<unknown>;
  getInformation(): unknown;
  getProfileList(): unknown;
  time_diff: unknown;
}
interface NodeOnvifModule {
  OnvifDevice: new (params: { xaddr: string; user: string; pass: string }) => NodeOnvifDevice;
  _OnvifSoap: NodeOnvifSoap;
}

const nodeOnvif = createRequire(import.meta.url)('node-onvif') as NodeOnvifModule;
const GUARDED = Symbol.for('vigil.node-onvif.guarded');

/** Every SOAP response node-onvif reads (success or fault) goes through its soap singleton's parse(): guard it once. */
function guardNodeOnvif(soap: NodeOnvifSoap & { [GUARDED]?: true }): void {
  if (soap[GUARDED]) return;
  const parse = soap.parse.bind(soap);
  soap.parse = (xml: string) => {
    try {
      assertSafeXml(String(xml), 'ONVIF SOAP response');
    } catch (error) {
      return Promise.reject(isAppError(error) ? error : new AppError('unprocessable', `unsafe ONVIF SOAP response: ${String(error)}`, { cause: error }));
    }
    return parse(xml);
  };
  soap[GUARDED] = true;
}
guardNodeOnvif(nodeOnvif._OnvifSoap);

export interface DescribeOptions {
  /** Device service URL, e.g. http://10.0.0.5/onvif/device_service. */
  readonly xaddr: string;
  readonly user?: string;
  readonly password?: string;
  /** Per SOAP request (default 5 s); the whole conversation gets a few times that. */
  readonly timeoutMs?: number;
}

// xml2js turns elements with attributes into { _: text, $: attrs }; plain elements are strings.
const text = z.unknown().transform((v) => (typeof v === 'string' ? v : typeof v === 'object' && v !== null && '_' in v ? String((v as { _: unknown })._) : ''));
const num = z.unknown().transform((v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0));
const informationSchema = z.object({ Manufacturer: text, Model: text, FirmwareVersion: text, SerialNumber: text, HardwareId: text });
const profileSchema = z.object({
  token: z.string().min(1),
  name: text,
  snapshot: text,
  stream: z.object({ rtsp: text, udp: text }),
  video: z.object({
    encoder: z.object({ resolution: z.object({ width: num, height: num }), framerate: num, encoding: text }).nullable(),
  }),
});

/** Authenticates to one ONVIF camera and reads its identity, profiles, stream and snapshot URIs. */
export async function describeCamera(options: DescribeOptions): Promise<CameraDescription> {
  const xaddr = checkXaddr(options.xaddr);
  const user = options.user ?? '';
  // node-onvif writes the Username into the SOAP header without escaping it.
  if (/[<>&"']/.test(user)) throw new AppError('validation_failed', 'ONVIF user names with XML special characters are not supported');
  const timeoutMs = options.timeoutMs ?? 5000;
  nodeOnvif._OnvifSoap.HTTP_TIMEOUT = timeoutMs;
  const device = new nodeOnvif.OnvifDevice({ xaddr: xaddr.href, user, pass: options.password ?? '' });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      device.init(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new AppError('unavailable', `${xaddr.href} is unreachable: the ONVIF conversation timed out`)), timeoutMs * 4);
      }),
    ]);
  } catch (error) {
    throw toAppError(error, xaddr.href);
  } finally {
    clearTimeout(timer);
  }
  return normalise(device, xaddr);
}

function checkXaddr(value: string): URL {
  if (!URL.canParse(value)) throw new AppError('validation_failed', `not a URL: ${value}`);
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AppError('validation_failed', `ONVIF device URL must be http(s): ${value}`);
  return url;
}

function normalise(device: NodeOnvifDevice, xaddr: URL): CameraDescription {
  const info = informationSchema.safeParse(device.getInformation());
  const list = z.array(profileSchema).safeParse(device.getProfileList());
  if (!info.success || !list.success) throw new AppError('unprocessable', `ONVIF answers of ${xaddr.href} have an unexpected shape`);
  const profiles: CameraProfile[] = list.data.map((p) => ({
    token: p.token,
    name: p.name,
    encoding: p.video.encoder?.encoding.toUpperCase() ?? '',
    width: p.video.encoder?.resolution.width ?? 0,
    height: p.video.encoder?.resolution.height ?? 0,
    fps: p.video.encoder?.framerate ?? 0,
    // node-onvif asks GetStreamUri with Protocol UDP, HTTP and RTSP. The RTSP answer comes first: Hikvision
    // answers the HTTP-transport request with rtsp://ip:80/… (cdavis-code/easy_onvif_workspace#39); some cameras
    // answer only the UDP (RTP-Unicast) form, hence the fallback.
    streamUri: fixHost(p.stream.rtsp || p.stream.udp, xaddr),
    snapshotUri: fixHost(p.snapshot, xaddr),
  }));
  const i = info.data;
  return cameraDescriptionSchema.parse({
    xaddr: xaddr.href,
    identity: { manufacturer: i.Manufacturer, model: i.Model, firmware: i.FirmwareVersion, serial: i.SerialNumber, hardwareId: i.HardwareId },
    profiles,
    timeOffsetMs: typeof device.time_diff === 'number' && Number.isFinite(device.time_diff) ? device.time_diff : 0,
  });
}

const UNSPECIFIED_HOSTS = new Set(['0.0.0.0', '[::]', '::', '']);
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Media URIs as cameras report them are not always reachable. Cameras behind NAT or port forwarding answer their
 * internal address, and some firmwares answer 0.0.0.0 or 127.0.0.1 while their network setup is incomplete (no
 * specific model verified here; the simulator reproduces it with `streamUriHost`). The host we reached the device
 * service on is the one that works, so it replaces unspecified hosts, and loopback hosts of a non-local device.
 */
export function fixHost(uri: string, xaddr: URL): string | null {
  if (!uri || !URL.canParse(uri)) return null;
  const url = new URL(uri);
  const deviceIsLocal = LOOPBACK_HOSTS.has(xaddr.hostname);
  if (UNSPECIFIED_HOSTS.has(url.hostname) || (LOOPBACK_HOSTS.has(url.hostname) && !deviceIsLocal)) url.hostname = xaddr.hostname;
  return url.href;
}

/** node-onvif reports everything as Error(message): sort its messages into our codes. */
function toAppError(error: unknown, xaddr: string): AppError {
  if (isAppError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (message.includes(UNSAFE_XML_MARKER)) {
    return new AppError('malformed_xml', `${xaddr} answered with a DTD or entity declaration; refused`, { cause: error });
  }
  if (/NotAuthorized|not authori[sz]ed|\b401\b|Unauthorized/i.test(message)) {
    return new AppError('unauthenticated', `${xaddr} refused the ONVIF credentials`, { cause: error });
  }
  if (/Network Error|ECONNREFUSED|EHOSTUNREACH|ETIMEDOUT|socket hang up|timed out/i.test(message)) {
    return new AppError('unavailable', `${xaddr} is unreachable: ${message}`, { cause: error });
  }
  return new AppError('unprocessable', `ONVIF conversation with ${xaddr} failed: ${message}`, { cause: error });
}
