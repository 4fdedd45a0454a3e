import { randomUUID } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import { AppError, isAppError } from '../../contracts/index.js';
import { discoveredDeviceSchema, type DiscoveredDevice } from './types.js';
import { PROBE_TYPES, type ProbeType } from './vendor-quirks.js';
import { assertSafeXml } from './xml-guard.js';

export const WS_DISCOVERY_GROUP = '239.255.255.250';
export const WS_DISCOVERY_PORT = 3702;

export interface ProbeOptions {
  /** How long to collect answers (default 3 s). */
  readonly timeoutMs?: number;
  /** Probe these addresses by unicast instead of the multicast group (cameras on other subnets, tests). */
  readonly targets?: ReadonlyArray<{ readonly host: string; readonly port: number }>;
  /**
   * Multicast probes go out on each of these IPv4 interfaces (names like eth0, or local addresses); default: every
   * IPv4 interface of the machine, so cameras on a second NIC (a PoE switch on its own port) are found too.
   */
  readonly interfaces?: readonly string[];
  /** The multicast port (default 3702; tests use their own). */
  readonly multicastPort?: number;
  /** Device types probed for, one Probe each (default PROBE_TYPES: NetworkVideoTransmitter and tds:Device). */
  readonly types?: readonly ProbeType[];
  readonly onWarning?: (message: string) => void;
}

/** A local IPv4 interface a probe can go out on. */
export interface ProbeInterface {
  readonly name: string;
  readonly address: string;
}

/** Every IPv4 interface address of this machine, loopback included (a simulated camera may be local). */
export function ipv4Interfaces(): ProbeInterface[] {
  return Object.entries(networkInterfaces()).flatMap(([name, list]) => (list ?? []).filter((i) => i.family === 'IPv4').map((i) => ({ name, address: i.address })));
}

/** `--interface` values: an interface name (all its IPv4 addresses) or one of this machine's IPv4 addresses. */
export function selectInterfaces(wanted: readonly string[], available: readonly ProbeInterface[] = ipv4Interfaces()): ProbeInterface[] {
  const chosen = new Map<string, ProbeInterface>();
  for (const w of wanted) {
    const matches = available.filter((i) => i.name === w || i.address === w);
    if (matches.length === 0) {
      throw new AppError('validation_failed', `no IPv4 interface ${w} on this machine (have: ${available.map((i) => `${i.name} ${i.address}`).join(', ') || 'none'})`);
    }
    for (const m of matches) chosen.set(m.address, m);
  }
  return [...chosen.values()];
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', removeNSPrefix: true, parseTagValue: false, trimValues: true, htmlEntities: false });

const text = z.union([z.string(), z.object({ '#text': z.string() }).transform((o) => o['#text'])]);
const matchSchema = z.object({
  EndpointReference: z.object({ Address: text }),
  XAddrs: text.optional(),
  Scopes: text.optional(),
});
const replySchema = z.object({
  Envelope: z.object({
    Header: z.object({ RelatesTo: text.optional() }).passthrough().optional(),
    Body: z.object({ ProbeMatches: z.object({ ProbeMatch: z.union([matchSchema, z.array(matchSchema)]) }) }),
  }),
});

/**
 * WS-Discovery Probe for ONVIF devices: one Probe per device type (a Probe's Types must all match, and NVRs answer
 * tds:Device only), multicast on every IPv4 interface (or unicast to `targets`). Written here rather than taken
 * from node-onvif because node-onvif's startProbe() can only multicast on the default interface and hands replies
 * to xml2js unchecked.
 */
export async function probe(options: ProbeOptions = {}): Promise<DiscoveredDevice[]> {
  const types = options.types ?? PROBE_TYPES;
  const messages = new Map(types.map((type) => [`uuid:${randomUUID()}`, type] as const));
  const found = new Map<string, DiscoveredDevice>();
  const onMessage = (message: Buffer, remote: RemoteInfo): void => {
    try {
      for (const device of parseProbeMatches(message.toString('utf8'), new Set(messages.keys()), remote)) {
        if (!found.has(device.endpoint)) found.set(device.endpoint, device);
      }
    } catch (error) {
      options.onWarning?.(`ignored WS-Discovery reply from ${remote.address}: ${isAppError(error) ? error.message : String(error)}`);
    }
  };
  const unicast = options.targets !== undefined && options.targets.length > 0;
  const interfaces = unicast ? [null] : options.interfaces === undefined ? ipv4Interfaces() : selectInterfaces(options.interfaces);
  if (interfaces.length === 0) throw new AppError('unavailable', 'WS-Discovery probe failed: this machine has no IPv4 interface');
  const sockets: Socket[] = [];
  try {
    for (const iface of interfaces) {
      const socket = await openSocket(iface?.address, onMessage, options).catch((error: unknown) => {
        // One interface that cannot be used (down, no multicast route) must not stop the others.
        if (interfaces.length === 1) throw error;
        options.onWarning?.(`WS-Discovery: interface ${iface?.name ?? ''} ${iface?.address ?? ''} skipped: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      });
      if (socket === null) continue;
      sockets.push(socket);
      const targets = unicast ? options.targets ?? [] : [{ host: WS_DISCOVERY_GROUP, port: options.multicastPort ?? WS_DISCOVERY_PORT }];
      for (const [messageId, type] of messages) {
        const datagram = Buffer.from(probeMessage(messageId, type), 'utf8');
        for (const { host, port } of targets) {
          await send(socket, datagram, port, host).catch((error: unknown) => options.onWarning?.(`WS-Discovery probe to ${host}:${port} via ${iface?.address ?? 'default'}: ${error instanceof Error ? error.message : String(error)}`));
          // UDP may drop the probe: send it twice, as WS-Discovery's MULTICAST_UDP_REPEAT suggests.
          setTimeout(() => socket.send(datagram, port, host, () => undefined), 100).unref();
        }
      }
    }
    await new Promise((resolve) => setTimeout(resolve, options.timeoutMs ?? 3000));
  } catch (error) {
    throw isAppError(error) ? error : new AppError('unavailable', `WS-Discovery probe failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  } finally {
    for (const socket of sockets) socket.close();
  }
  return [...found.values()];
}

/** A socket bound to one interface address (ephemeral port), multicasting through it; `address` undefined: any. */
async function openSocket(address: string | undefined, onMessage: (m: Buffer, r: RemoteInfo) => void, options: ProbeOptions): Promise<Socket> {
  const socket = createSocket({ type: 'udp4', reuseAddr: true });
  socket.on('message', onMessage);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    if (address !== undefined) socket.setMulticastInterface(address);
  } catch (error) {
    socket.close();
    throw error;
  }
  socket.on('error', (error) => options.onWarning?.(`WS-Discovery socket: ${error.message}`));
  return socket;
}

function send(socket: ReturnType<typeof createSocket>, datagram: Buffer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => socket.send(datagram, port, host, (error) => (error ? reject(error) : resolve())));
}

function probeMessage(messageId: string, type: ProbeType): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" ' +
    'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" ' +
    'xmlns:dn="http://www.onvif.org/ver10/network/wsdl" xmlns:tds="http://www.onvif.org/ver10/device/wsdl"><s:Header>' +
    '<a:Action s:mustUnderstand="1">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action>' +
    `<a:MessageID>${messageId}</a:MessageID>` +
    '<a:ReplyTo><a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>' +
    '<a:To s:mustUnderstand="1">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header>' +
    `<s:Body><d:Probe><d:Types>${type}</d:Types></d:Probe></s:Body></s:Envelope>`
  );
}

/** Parses one ProbeMatches datagram; replies to someone else's probe (not one of `messageIds`) are ignored. */
export function parseProbeMatches(xml: string, messageIds: string | ReadonlySet<string>, remote: Pick<RemoteInfo, 'address'>): DiscoveredDevice[] {
  assertSafeXml(xml, 'WS-Discovery reply');
  const parsed = replySchema.safeParse(parser.parse(xml));
  if (!parsed.success) throw new AppError('malformed_xml', 'not a ProbeMatches message');
  const relatesTo = parsed.data.Envelope.Header?.RelatesTo;
  const ours = typeof messageIds === 'string' ? relatesTo === messageIds : relatesTo !== undefined && messageIds.has(relatesTo);
  if (relatesTo !== undefined && !ours) return [];
  const matches = [parsed.data.Envelope.Body.ProbeMatches.ProbeMatch].flat();
  return matches.flatMap((m) => {
    const xaddrs = (m.XAddrs ?? '').split(/\s+/).filter((s) => s.length > 0);
    const xaddr = chooseXaddr(xaddrs, remote.address);
    if (!xaddr) return [];
    const scopes = (m.Scopes ?? '').split(/\s+/).filter((s) => s.length > 0);
    const scope = (kind: string): string | null => {
      const value = scopes.find((s) => s.startsWith(`onvif://www.onvif.org/${kind}/`))?.slice(`onvif://www.onvif.org/${kind}/`.length);
      return value === undefined ? null : safeDecode(value);
    };
    return [discoveredDeviceSchema.parse({
      endpoint: m.EndpointReference.Address, xaddr, xaddrs, scopes,
      name: scope('name'), hardware: scope('hardware'), location: scope('location'), address: remote.address,
    })];
  });
}

// Cameras with several interfaces (or IPv6 link-local addresses) list several XAddrs; the one on the address
// that answered us is the one we can reach.
function chooseXaddr(xaddrs: string[], from: string): string | null {
  const http = xaddrs.filter((x) => /^https?:\/\//i.test(x) && URL.canParse(x));
  return http.find((x) => new URL(x).hostname === from) ?? http[0] ?? null;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value; // scopes are not always percent-encoded correctly; the raw text is still informative
  }
}
