// The one place node-onvif is used. node-onvif does the ONVIF conversation well (GetSystemDateAndTime clock offset,
// WS-Security UsernameToken digests corrected by that offset, GetCapabilities → media XAddr, GetDeviceInformation,
// and the SOAP calls of GetProfiles, GetStreamUri, GetSnapshotUri; profiles are read by media-profiles.ts). What it does weakly is handled here: every SOAP response is checked
// for DTDs before its xml2js parser sees it, its loosely shaped results are validated with zod into our types, its
// string errors become AppErrors, and vendor quirks in the answers are corrected below, each with its reason.
// WS-Discovery is not taken from node-onvif (it cannot probe a unicast target): see ws-discovery-probe.ts.
import { createRequire } from 'node:module';
import { z } from 'zod';
import { AppError, isAppError } from '../../contracts/index.js';
import { readMedia2Profiles, readMediaProfiles, type ProfileReading, type SkippedProfile } from './media-profiles.js';
import { pinCertificate, postSoap, type LegacyUrl } from './soap-transport.js';
import { cameraDescriptionSchema, EVENTS_NS, MEDIA2_NS, type CameraDescription, type CameraProfile, type MediaService } from './types.js';
import { assertSafeXml, UNSAFE_XML_MARKER } from './xml-guard.js';

interface NodeOnvifSoap {
  parse(xml: string): Promise<unknown>;
  createRequestSoap(params: { body: string; xmlns: string[]; diff: unknown; user: string; pass: string }): string;
  requestCommand(oxaddr: LegacyUrl, method: string, soap: string): Promise<{ data: unknown }>;
  _request(oxaddr: LegacyUrl, soap: string): Promise<string>;
  HTTP_TIMEOUT: number;
}
interface NodeOnvifMedia {
  getProfiles(): Promise<{ data: unknown }>;
  getStreamUri(params: { ProfileToken: string; Protocol: 'UDP' | 'HTTP' | 'RTSP' }): Promise<{ data: unknown }>;
  getSnapshotUri(params: { ProfileToken: string }): Promise<{ data: unknown }>;
}
interface NodeOnvifDevice {
  // The first three steps of node-onvif's init(); its profile steps are replaced (see media-profiles.ts).
  _getSystemDateAndTime(): Promise<unknown>;
  _getCapabilities(): Promise<unknown>;
  _getDeviceInformation(): Promise<unknown>;
  getInformation(): unknown;
  services: { media: NodeOnvifMedia | null; device: { getServices(params: { IncludeCapability: boolean }): Promise<{ data: unknown }> } };
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
  soap._request = (oxaddr: LegacyUrl, body: string) => postSoap(oxaddr, body, soap.HTTP_TIMEOUT);
  soap[GUARDED] = true;
}
guardNodeOnvif(nodeOnvif._OnvifSoap);

export interface DescribeOptions {
  /** Device service URL, e.g. http://10.0.0.5/onvif/device_service. */
  readonly xaddr: string;
  readonly user?: string;
  readonly password?: string;
  /** SHA-256 fingerprint of the device's https certificate (hex, colons allowed): trusted instead of the CAs. */
  readonly certificateSha256?: string;
  /** Per SOAP request (default 5 s); the whole conversation gets a few times that. */
  readonly timeoutMs?: number;
}

// xml2js turns elements with attributes into { _: text, $: attrs }; plain elements are strings.
const text = z.unknown().transform((v) => (typeof v === 'string' ? v : typeof v === 'object' && v !== null && '_' in v ? String((v as { _: unknown })._) : ''));
const informationSchema = z.object({ Manufacturer: text, Model: text, FirmwareVersion: text, SerialNumber: text, HardwareId: text });
/** Authenticates to one ONVIF camera and reads its identity, profiles, stream and snapshot URIs. */
export async function describeCamera(options: DescribeOptions): Promise<CameraDescription> {
  const xaddr = checkXaddr(options.xaddr);
  const user = options.user ?? '';
  // node-onvif writes the Username into the SOAP header without escaping it.
  if (/[<>&"']/.test(user)) throw new AppError('validation_failed', 'ONVIF user names with XML special characters are not supported');
  const timeoutMs = options.timeoutMs ?? 5000;
  if (options.certificateSha256 !== undefined) pinCertificate(xaddr, options.certificateSha256);
  nodeOnvif._OnvifSoap.HTTP_TIMEOUT = timeoutMs;
  const device = new nodeOnvif.OnvifDevice({ xaddr: xaddr.href, user, pass: options.password ?? '' });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      converse({ device, xaddr, user, password: options.password ?? '' }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new AppError('unavailable', `${xaddr.href} is unreachable: the ONVIF conversation timed out`)), timeoutMs * 4);
      }),
    ]);
  } catch (error) {
    throw toAppError(error, xaddr.href);
  } finally {
    clearTimeout(timer);
  }
}

function checkXaddr(value: string): URL {
  if (!URL.canParse(value)) throw new AppError('validation_failed', `not a URL: ${value}`);
  const url = new URL(value);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AppError('validation_failed', `ONVIF device URL must be http(s): ${value}`);
  return url;
}

interface Conversation {
  readonly device: NodeOnvifDevice;
  readonly xaddr: URL;
  readonly user: string;
  readonly password: string;
}

async function converse(c: Conversation): Promise<CameraDescription> {
  const { device, xaddr } = c;
  await device._getSystemDateAndTime();
  await device._getCapabilities();
  await device._getDeviceInformation();
  const services = await readServices(c);
  const media2 = services.get(MEDIA2_NS);
  const media = device.services.media;
  let media2Failure: unknown = null;
  if (media2 !== undefined) {
    try {
      return await describeWithMedia2(c, media2, services);
    } catch (error) {
      // Listed but not answering (some firmwares list ver20/media before implementing it): Media1 is asked instead.
      if (media === null || isAppError(error)) throw error;
      media2Failure = error;
    }
  }
  if (media === null) throw new AppError('unprocessable', `${xaddr.href} offers no media service`);
  let reading: ProfileReading;
  try {
    reading = readMediaProfiles(responseOf(await media.getProfiles(), 'GetProfilesResponse'));
  } catch (error) {
    throw media2Failure ?? error;
  }
  const profiles: CameraProfile[] = [];
  for (const p of reading.profiles) profiles.push({ ...p, ...(await mediaUris(media, p.token, xaddr)) });
  return describe(c, profiles, reading.skipped, 'media1', services);
}

/**
 * GetServices (ONVIF Core 2.x) names every service's XAddr by namespace; it is how Media2 and Events are found.
 * Devices older than 2.0 do not implement it: then only GetCapabilities' Media1 is used.
 */
async function readServices(c: Conversation): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const answer = await c.device.services.device.getServices({ IncludeCapability: false }).then((r) => responseOf(r, 'GetServicesResponse'), () => undefined);
  const parsed = servicesSchema.safeParse(answer);
  if (!parsed.success) return found;
  for (const service of [parsed.data.Service].flat()) {
    const url = fixHost(service.XAddr, c.xaddr);
    if (url !== null && /^https?:/.test(url) && !found.has(service.Namespace)) found.set(service.Namespace, url);
  }
  return found;
}
const servicesSchema = z.object({ Service: z.union([z.array(z.object({ Namespace: text, XAddr: text })), z.object({ Namespace: text, XAddr: text })]) });

/** A SOAP call node-onvif has no method for, signed like its own (WS-UsernameToken corrected by the clock offset). */
async function call(c: Conversation, url: string, namespaces: Record<string, string>, method: string, body: string): Promise<unknown> {
  const soap = nodeOnvif._OnvifSoap;
  const target = new URL(url);
  const oxaddr: LegacyUrl = {
    protocol: target.protocol, hostname: target.hostname.replace(/^\[|\]$/g, ''), port: target.port || null, pathname: `${target.pathname}${target.search}`,
    auth: c.user ? `${encodeURIComponent(c.user)}:${encodeURIComponent(c.password)}` : null,
  };
  const xmlns = Object.entries({ tt: 'http://www.onvif.org/ver10/schema', ...namespaces }).map(([prefix, ns]) => `xmlns:${prefix}="${ns}"`);
  const envelope = soap.createRequestSoap({ body, xmlns, diff: c.device.time_diff, user: c.user, pass: c.password });
  return responseOf(await soap.requestCommand(oxaddr, method, envelope), `${method}Response`);
}

/** Media2: GetProfiles with every configuration (Type=All), GetStreamUri for RTSP unicast, GetSnapshotUri. */
async function describeWithMedia2(c: Conversation, url: string, services: ReadonlyMap<string, string>): Promise<CameraDescription> {
  const ns = { tr2: MEDIA2_NS };
  const reading = readMedia2Profiles(await call(c, url, ns, 'GetProfiles', '<tr2:GetProfiles><tr2:Type>All</tr2:Type></tr2:GetProfiles>'));
  const profiles: CameraProfile[] = [];
  for (const p of reading.profiles) {
    const token = escapeXml(p.token);
    const uri = (method: string, body: string): Promise<string | null> =>
      call(c, url, ns, method, body).then((r) => media2UriSchema.safeParse(r), () => null).then((r) => (r?.success && r.data.Uri !== '' ? fixHost(r.data.Uri, c.xaddr) : null));
    const streamUri = await uri('GetStreamUri', `<tr2:GetStreamUri><tr2:Protocol>RtspUnicast</tr2:Protocol><tr2:ProfileToken>${token}</tr2:ProfileToken></tr2:GetStreamUri>`);
    const snapshotUri = await uri('GetSnapshotUri', `<tr2:GetSnapshotUri><tr2:ProfileToken>${token}</tr2:ProfileToken></tr2:GetSnapshotUri>`);
    profiles.push({ ...p, streamUri, snapshotUri });
  }
  return describe(c, profiles, reading.skipped, 'media2', services);
}
const media2UriSchema = z.object({ Uri: text });

function escapeXml(value: string): string {
  return value.replace(/[<>&"']/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch] ?? ch);
}

/**
 * The RTSP-transport answer is asked first: Hikvision answers the HTTP-transport request with rtsp://ip:80/…
 * (cdavis-code/easy_onvif_workspace#39); some cameras answer only the UDP (RTP-Unicast) form, hence the fallback.
 * A profile whose URIs cannot be had keeps null URIs (the chooser passes it over) instead of failing the device.
 */
async function mediaUris(media: NodeOnvifMedia, token: string, xaddr: URL): Promise<{ streamUri: string | null; snapshotUri: string | null }> {
  let streamUri: string | null = null;
  for (const protocol of ['RTSP', 'UDP'] as const) {
    streamUri = await media.getStreamUri({ ProfileToken: token, Protocol: protocol }).then((r) => uriOf(r.data, 'GetStreamUriResponse'), () => null);
    if (streamUri !== null) break;
  }
  const snapshotUri = await media.getSnapshotUri({ ProfileToken: token }).then((r) => uriOf(r.data, 'GetSnapshotUriResponse'), () => null);
  return { streamUri: streamUri === null ? null : fixHost(streamUri, xaddr), snapshotUri: snapshotUri === null ? null : fixHost(snapshotUri, xaddr) };
}

const uriResponseSchema = z.object({ MediaUri: z.object({ Uri: text }) });
function uriOf(data: unknown, element: string): string | null {
  const parsed = uriResponseSchema.safeParse(responseOf({ data }, element));
  return parsed.success && parsed.data.MediaUri.Uri !== '' ? parsed.data.MediaUri.Uri : null;
}

function responseOf(result: { data: unknown }, element: string): unknown {
  const data = result.data;
  return typeof data === 'object' && data !== null && element in data ? (data as Record<string, unknown>)[element] : undefined;
}

function describe(c: Conversation, profiles: CameraProfile[], skipped: readonly SkippedProfile[], mediaService: MediaService, services: ReadonlyMap<string, string>): CameraDescription {
  const { device, xaddr } = c;
  const info = informationSchema.safeParse(device.getInformation());
  if (!info.success) throw new AppError('unprocessable', `ONVIF answers of ${xaddr.href} have an unexpected shape`);
  const i = info.data;
  return cameraDescriptionSchema.parse({
    xaddr: xaddr.href,
    identity: { manufacturer: i.Manufacturer, model: i.Model, firmware: i.FirmwareVersion, serial: i.SerialNumber, hardwareId: i.HardwareId },
    profiles,
    skippedProfiles: skipped,
    mediaService,
    eventsXaddr: services.get(EVENTS_NS) ?? eventsFromCapabilities(device, xaddr),
    timeOffsetMs: typeof device.time_diff === 'number' && Number.isFinite(device.time_diff) ? device.time_diff : 0,
  });
}

/** GetCapabilities' Events XAddr (node-onvif keeps it on its events service) for devices without GetServices. */
function eventsFromCapabilities(device: NodeOnvifDevice, xaddr: URL): string | null {
  const events = (device.services as { events?: { xaddr?: unknown } | null }).events;
  return typeof events?.xaddr === 'string' ? fixHost(events.xaddr, xaddr) : null;
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
  if (/certificate pin mismatch/.test(message)) {
    return new AppError('forbidden', `${xaddr} does not present the pinned certificate: ${message}`, { cause: error });
  }
  if (/NotAuthorized|not authori[sz]ed|\b401\b|Unauthorized/i.test(message)) {
    return new AppError('unauthenticated', `${xaddr} refused the ONVIF credentials`, { cause: error });
  }
  if (/self[- ]signed|unable to verify|certificate/i.test(message)) {
    return new AppError('forbidden', `${xaddr}: the https certificate is not trusted (pin its SHA-256 in the config): ${message}`, { cause: error });
  }
  if (/Network Error|ECONNREFUSED|EHOSTUNREACH|ETIMEDOUT|socket hang up|timed out/i.test(message)) {
    return new AppError('unavailable', `${xaddr} is unreachable: ${message}`, { cause: error });
  }
  return new AppError('unprocessable', `ONVIF conversation with ${xaddr} failed: ${message}`, { cause: error });
}
