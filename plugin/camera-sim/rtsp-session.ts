import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import type { AccessUnit } from './annexb-splitter.js';
import type { H264Feed } from './h264-feed.js';
import { RtpPacketizer } from './rtp-packetizer.js';

export type RtpTransport =
  | { readonly kind: 'tcp'; readonly rtpChannel: number; readonly rtcpChannel: number }
  | { readonly kind: 'udp'; readonly clientHost: string; readonly clientRtpPort: number; readonly clientRtcpPort: number };

/** Above this much unsent TCP data the reader is too slow: drop pictures until the next keyframe. */
const MAX_TCP_BACKLOG = 4 * 1024 * 1024;
const SENDER_REPORT_MS = 5000;

/**
 * One RTSP session: a reader of one profile over one transport. A reader starts at a keyframe (with SPS/PPS in
 * front) and skips to the next keyframe after it had to drop data, so a decoder never sees a broken reference.
 */
export class RtspSession {
  readonly id = randomBytes(8).toString('hex');
  readonly profile: string;
  readonly transport: RtpTransport;
  readonly packetizer = new RtpPacketizer();
  private readonly feed: H264Feed;
  private readonly connection: Socket;
  private udp: { rtp: UdpSocket; rtcp: UdpSocket } | null = null;
  private unsubscribe: (() => void) | null = null;
  private reportTimer: NodeJS.Timeout | null = null;
  private waitingForKeyframe = true;

  private constructor(profile: string, feed: H264Feed, connection: Socket, transport: RtpTransport) {
    this.profile = profile;
    this.feed = feed;
    this.connection = connection;
    this.transport = transport;
  }

  static async create(profile: string, feed: H264Feed, connection: Socket, transport: RtpTransport): Promise<RtspSession> {
    const session = new RtspSession(profile, feed, connection, transport);
    if (transport.kind === 'udp') session.udp = await bindPair(transport.clientHost.includes(':') ? 'udp6' : 'udp4');
    return session;
  }

  get serverPorts(): { rtp: number; rtcp: number } | null {
    return this.udp ? { rtp: this.udp.rtp.address().port, rtcp: this.udp.rtcp.address().port } : null;
  }

  /**
   * RTP time to announce in PLAY's RTP-Info: the feed's clock, not Date.now(). Under CPU load the encoder's
   * frame clock trails the wall clock, and a later rtptime would give the first pictures negative timestamps.
   */
  get playRtpTime(): number {
    return this.packetizer.timestampFor(this.feed.lastPresentationMs ?? Date.now());
  }

  get isPlaying(): boolean {
    return this.unsubscribe !== null;
  }

  play(): void {
    if (this.unsubscribe) return;
    this.waitingForKeyframe = true;
    this.unsubscribe = this.feed.subscribe((au) => this.send(au));
    this.reportTimer = setInterval(() => this.sendRtcp(this.packetizer.senderReport()), SENDER_REPORT_MS);
  }

  pause(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.reportTimer) clearInterval(this.reportTimer);
    this.reportTimer = null;
  }

  close(): void {
    this.pause();
    if (this.udp) {
      this.udp.rtp.close();
      this.udp.rtcp.close();
      this.udp = null;
    }
  }

  private send(au: AccessUnit): void {
    if (this.waitingForKeyframe && !au.isKeyframe) return;
    if (this.transport.kind === 'tcp' && this.connection.writableLength > MAX_TCP_BACKLOG) {
      this.waitingForKeyframe = true;
      return;
    }
    const sets = this.waitingForKeyframe ? (this.feed.cachedParameterSets ?? undefined) : undefined;
    this.waitingForKeyframe = false;
    for (const packet of this.packetizer.packetize(au, sets)) this.sendRtp(packet);
  }

  private sendRtp(packet: Buffer): void {
    const t = this.transport;
    if (t.kind === 'tcp') this.writeInterleaved(t.rtpChannel, packet);
    else this.udp?.rtp.send(packet, t.clientRtpPort, t.clientHost);
  }

  private sendRtcp(packet: Buffer): void {
    const t = this.transport;
    if (t.kind === 'tcp') this.writeInterleaved(t.rtcpChannel, packet);
    else this.udp?.rtcp.send(packet, t.clientRtcpPort, t.clientHost);
  }

  private writeInterleaved(channel: number, packet: Buffer): void {
    if (this.connection.destroyed) return;
    const frame = Buffer.allocUnsafe(4);
    frame[0] = 0x24;
    frame[1] = channel;
    frame.writeUInt16BE(packet.length, 2);
    this.connection.write(Buffer.concat([frame, packet]));
  }
}

function bindOne(type: 'udp4' | 'udp6'): Promise<UdpSocket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(type);
    socket.once('error', reject);
    // Incoming packets (client RTCP receiver reports, NAT punches) are read and ignored.
    socket.on('message', () => undefined);
    socket.bind(0, () => {
      socket.off('error', reject);
      socket.on('error', () => socket.close());
      resolve(socket);
    });
  });
}

async function bindPair(type: 'udp4' | 'udp6'): Promise<{ rtp: UdpSocket; rtcp: UdpSocket }> {
  const rtp = await bindOne(type);
  try {
    return { rtp, rtcp: await bindOne(type) };
  } catch (error) {
    rtp.close();
    throw error;
  }
}
