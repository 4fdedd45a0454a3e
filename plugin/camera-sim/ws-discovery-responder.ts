import { randomUUID } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isAppError } from '../../contracts/index.js';
import { escapeXml as x, parseSoapRequest } from './soap-envelope.js';

export const WS_DISCOVERY_GROUP = '239.255.255.250';
export const WS_DISCOVERY_PORT = 3702;

export interface DiscoveryIdentity {
  readonly uuid: string;
  readonly xaddr: string;
  readonly name: string;
  readonly hardware: string;
  readonly location: string;
}

export interface WsDiscoveryResponderOptions {
  readonly host: string;
  /** 3702 for real discovery; 0 for an ephemeral port that tests probe by unicast. */
  readonly port: number;
  /** Join 239.255.255.250 (fails harmlessly where the network has no multicast route). */
  readonly multicast: boolean;
  readonly identity: () => DiscoveryIdentity;
  /**
   * What the device answers as. A camera: NetworkVideoTransmitter (and tds:Device). An NVR, like many real ones,
   * only tds:Device: a Probe for NetworkVideoTransmitter alone does not find it.
   */
  readonly deviceType?: 'camera' | 'nvr';
  readonly onLog?: (line: string) => void;
}

/** Answers WS-Discovery Probe messages (multicast or unicast) with a ProbeMatch naming the device service. */
export class WsDiscoveryResponder {
  private readonly options: WsDiscoveryResponderOptions;
  private socket: Socket | null = null;
  private messageNumber = 0;
  private readonly instanceId = Math.floor(Date.now() / 1000);

  constructor(options: WsDiscoveryResponderOptions) {
    this.options = options;
  }

  get port(): number {
    return this.socket?.address().port ?? this.options.port;
  }

  async start(): Promise<void> {
    // reuseAddr lets several simulated cameras (and a real discovery client) share UDP 3702 on one machine.
    const socket = createSocket({ type: 'udp4', reuseAddr: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.options.port, this.options.multicast ? undefined : this.options.host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.on('error', (error) => this.options.onLog?.(`WS-Discovery socket error: ${error.message}`));
    socket.on('message', (message, remote) => this.onMessage(message, remote));
    if (this.options.multicast) {
      try {
        // Joined on the interface of the given host only (every interface when the host is a wildcard).
        if (isWildcard(this.options.host)) socket.addMembership(WS_DISCOVERY_GROUP);
        else socket.addMembership(WS_DISCOVERY_GROUP, this.options.host);
      } catch (error) {
        this.options.onLog?.(`WS-Discovery multicast unavailable (${error instanceof Error ? error.message : String(error)}); unicast probes still work`);
      }
    }
    this.socket = socket;
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  private onMessage(message: Buffer, remote: RemoteInfo): void {
    let relatesTo: string;
    try {
      const request = parseSoapRequest(message.toString('utf8'));
      if (request.action !== 'Probe' || !answersProbe(request.payload, this.options.deviceType ?? 'camera')) return;
      relatesTo = messageId(request.header);
    } catch (error) {
      this.options.onLog?.(`ignored WS-Discovery datagram from ${remote.address}: ${isAppError(error) ? error.message : 'unreadable'}`);
      return;
    }
    const reply = Buffer.from(this.probeMatch(relatesTo), 'utf8');
    // A small random delay spreads the answers of many cameras to one multicast probe (WS-Discovery APP_MAX_DELAY).
    setTimeout(() => this.socket?.send(reply, remote.port, remote.address), Math.floor(Math.random() * 50));
  }

  private probeMatch(relatesTo: string): string {
    const id = this.options.identity();
    const scopes = [
      'onvif://www.onvif.org/type/video_encoder',
      'onvif://www.onvif.org/Profile/Streaming',
      `onvif://www.onvif.org/name/${encodeURIComponent(id.name)}`,
      `onvif://www.onvif.org/hardware/${encodeURIComponent(id.hardware)}`,
      `onvif://www.onvif.org/location/${encodeURIComponent(id.location)}`,
    ].join(' ');
    return (
      '<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" ' +
      'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" ' +
      'xmlns:dn="http://www.onvif.org/ver10/network/wsdl" xmlns:tds="http://www.onvif.org/ver10/device/wsdl"><s:Header>' +
      `<a:MessageID>urn:uuid:${randomUUID()}</a:MessageID><a:RelatesTo>${x(relatesTo)}</a:RelatesTo>` +
      '<a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To>' +
      '<a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</a:Action>' +
      `<d:AppSequence InstanceId="${this.instanceId}" MessageNumber="${++this.messageNumber}"/></s:Header>` +
      '<s:Body><d:ProbeMatches><d:ProbeMatch>' +
      `<a:EndpointReference><a:Address>urn:uuid:${x(id.uuid)}</a:Address></a:EndpointReference>` +
      `<d:Types>${this.options.deviceType === 'nvr' ? 'tds:Device' : 'dn:NetworkVideoTransmitter tds:Device'}</d:Types><d:Scopes>${x(scopes)}</d:Scopes>` +
      `<d:XAddrs>${x(id.xaddr)}</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion>` +
      '</d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>'
    );
  }
}

/** A Probe without Types asks for every device; with Types, a camera answers NetworkVideoTransmitter or Device, an NVR Device. */
function answersProbe(payload: unknown, deviceType: 'camera' | 'nvr'): boolean {
  const types = typeof payload === 'object' && payload !== null && 'Types' in payload ? (payload as { Types: unknown }).Types : undefined;
  const text = typeof types === 'string' ? types : typeof types === 'object' && types !== null && '#text' in types ? String((types as { '#text': unknown })['#text']) : '';
  if (text.trim() === '') return true;
  return deviceType === 'nvr' ? /(^|[\s:])Device(\s|$)/.test(text) : /(^|[\s:])(NetworkVideoTransmitter|Device)(\s|$)/.test(text);
}

function messageId(header: unknown): string {
  if (typeof header !== 'object' || header === null || !('MessageID' in header)) return '';
  const id = (header as { MessageID: unknown }).MessageID;
  return typeof id === 'string' ? id : '';
}

const isWildcard = (host: string): boolean => host === '0.0.0.0' || host === '::' || host === '';

/** Multicast is for a camera on a network: a camera bound to a loopback address never joins the group. */
export function mayJoinMulticast(host: string): boolean {
  return !/^(127\.|localhost$|::1$|\[::1\]$)/.test(host);
}
