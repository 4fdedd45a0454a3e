import { randomUUID } from 'node:crypto';
import { createSocket, type RemoteInfo } from 'node:dgram';
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import { AppError, isAppError } from '../../contracts/index.js';
import { discoveredDeviceSchema, type DiscoveredDevice } from './types.js';
import { assertSafeXml } from './xml-guard.js';

export const WS_DISCOVERY_GROUP = '239.255.255.250';
export const WS_DISCOVERY_PORT = 3702;

export interface ProbeOptions {
  /** How long to collect answers (default 3 s). */
  readonly timeoutMs?: number;
  /** Probe these addresses by unicast instead of the multicast group (cameras on other subnets, tests). */
  readonly targets?: ReadonlyArray<{ readonly host: string; readonly port: number }>;
  readonly onWarning?: (message: string) => void;
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
 * WS-Discovery Probe for ONVIF NetworkVideoTransmitters. Written here rather than taken from node-onvif because
 * node-onvif's startProbe() can only multicast to 239.255.255.250:3702 and hands replies to xml2js unchecked.
 */
export async function probe(options: ProbeOptions = {}): Promise<DiscoveredDevice[]> {
  const messageId = `uuid:${randomUUID()}`;
  const socket = createSocket({ type: 'udp4', reuseAddr: true });
  const found = new Map<string, DiscoveredDevice>();
  socket.on('message', (message, remote) => {
    try {
      for (const device of parseProbeMatches(message.toString('utf8'), messageId, remote)) {
        if (!found.has(device.endpoint)) found.set(device.endpoint, device);
      }
    } catch (error) {
      options.onWarning?.(`ignored WS-Discovery reply from ${remote.address}: ${isAppError(error) ? error.message : String(error)}`);
    }
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, () => resolve());
    });
    socket.on('error', (error) => options.onWarning?.(`WS-Discovery socket: ${error.message}`));
    const targets = options.targets?.length ? options.targets : [{ host: WS_DISCOVERY_GROUP, port: WS_DISCOVERY_PORT }];
    const datagram = Buffer.from(probeMessage(messageId), 'utf8');
    for (const { host, port } of targets) {
      await send(socket, datagram, port, host);
      // UDP may drop the probe: send it twice, as WS-Discovery's MULTICAST_UDP_REPEAT suggests.
      setTimeout(() => socket.send(datagram, port, host, () => undefined), 100).unref();
    }
    await new Promise((resolve) => setTimeout(resolve, options.timeoutMs ?? 3000));
  } catch (error) {
    throw new AppError('unavailable', `WS-Discovery probe failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  } finally {
    socket.close();
  }
  return [...found.values()];
}

function send(socket: ReturnType<typeof createSocket>, datagram: Buffer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => socket.send(datagram, port, host, (error) => (error ? reject(error) : resolve())));
}

function probeMessage(messageId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" ' +
    'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" ' +
    'xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><s:Header>' +
    '<a:Action s:mustUnderstand="1">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action>' +
    `<a:MessageID>${messageId}</a:MessageID>` +
    '<a:ReplyTo><a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>' +
    '<a:To s:mustUnderstand="1">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header>' +
    '<s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>'
  );
}

/** Parses one ProbeMatches datagram; replies to someone else's probe are ignored. */
export function parseProbeMatches(xml: string, messageId: string, remote: Pick<RemoteInfo, 'address'>): DiscoveredDevice[] {
  assertSafeXml(xml, 'WS-Discovery reply');
  const parsed = replySchema.safeParse(parser.parse(xml));
  if (!parsed.success) throw new AppError('malformed_xml', 'not a ProbeMatches message');
  const relatesTo = parsed.data.Envelope.Header?.RelatesTo;
  if (relatesTo !== undefined && relatesTo !== messageId) return [];
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
