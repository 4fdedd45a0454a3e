import { randomInt } from 'node:crypto';
import { NAL, nalType, type AccessUnit } from './annexb-splitter.js';

const RTP_VERSION = 0x80;
const FU_A = 28;
const TWO_32 = 2 ** 32;
// Seconds between 1900 (NTP epoch) and 1970 (Unix epoch).
const NTP_OFFSET_S = 2_208_988_800;

/** 90 kHz RTP clock from the wall clock, with a random per-stream origin as RFC 3550 asks. */
export function rtpTime(wallMs: number, origin: number): number {
  return (Math.round(wallMs * 90) + origin) % TWO_32;
}

/**
 * RFC 6184 packetization mode 1 subset: NAL units that fit go out as single NAL unit packets, larger ones as
 * FU-A fragments. One instance per reader: it owns the SSRC, sequence numbers and the counters RTCP reports.
 */
export class RtpPacketizer {
  readonly ssrc = randomInt(1, 0xffffffff);
  readonly clockOrigin = randomInt(0, 0xffffffff);
  private sequence = randomInt(0, 0xffff);
  private packets = 0;
  private octets = 0;
  private lastRtpTime = 0;
  private lastWallMs = 0;
  private readonly payloadType: number;
  private readonly maxPayload: number;

  constructor(payloadType = 96, maxPayload = 1400) {
    this.payloadType = payloadType;
    this.maxPayload = maxPayload;
  }

  get nextSequence(): number {
    return this.sequence;
  }

  timestampFor(wallMs: number): number {
    return rtpTime(wallMs, this.clockOrigin);
  }

  /** RTP packets of one access unit; the marker bit is set on the last packet of the picture. */
  packetize(au: AccessUnit, parameterSets?: { sps: Buffer; pps: Buffer }): Buffer[] {
    const timestamp = this.timestampFor(au.wallMs);
    this.lastRtpTime = timestamp;
    this.lastWallMs = au.wallMs;
    let nals = au.nals.filter((n) => nalType(n) !== NAL.aud);
    if (parameterSets && !nals.some((n) => nalType(n) === NAL.sps)) nals = [parameterSets.sps, parameterSets.pps, ...nals];
    const out: Buffer[] = [];
    nals.forEach((nal, index) => {
      const last = index === nals.length - 1;
      if (nal.length <= this.maxPayload) out.push(this.packet(nal, timestamp, last));
      else out.push(...this.fragment(nal, timestamp, last));
    });
    return out;
  }

  /** RTCP sender report (RFC 3550 6.4.1) tying the RTP clock to wall-clock NTP time. */
  senderReport(): Buffer {
    const sr = Buffer.alloc(28);
    sr[0] = RTP_VERSION;
    sr[1] = 200;
    sr.writeUInt16BE(6, 2); // length in 32-bit words minus one
    sr.writeUInt32BE(this.ssrc, 4);
    const wallMs = this.lastWallMs || Date.now();
    const seconds = Math.floor(wallMs / 1000);
    sr.writeUInt32BE((seconds + NTP_OFFSET_S) % TWO_32, 8);
    sr.writeUInt32BE(Math.floor(((wallMs % 1000) / 1000) * TWO_32), 12);
    sr.writeUInt32BE(this.lastWallMs ? this.lastRtpTime : this.timestampFor(wallMs), 16);
    sr.writeUInt32BE(this.packets % TWO_32, 20);
    sr.writeUInt32BE(this.octets % TWO_32, 24);
    return sr;
  }

  private fragment(nal: Buffer, timestamp: number, lastNal: boolean): Buffer[] {
    const header = nal[0] ?? 0;
    const indicator = (header & 0xe0) | FU_A;
    const type = header & 0x1f;
    const body = nal.subarray(1);
    const step = this.maxPayload - 2;
    const out: Buffer[] = [];
    for (let offset = 0; offset < body.length; offset += step) {
      const isFirst = offset === 0;
      const isLast = offset + step >= body.length;
      const fuHeader = (isFirst ? 0x80 : 0) | (isLast ? 0x40 : 0) | type;
      const payload = Buffer.concat([Buffer.from([indicator, fuHeader]), body.subarray(offset, offset + step)]);
      out.push(this.packet(payload, timestamp, lastNal && isLast));
    }
    return out;
  }

  private packet(payload: Buffer, timestamp: number, marker: boolean): Buffer {
    const header = Buffer.alloc(12);
    header[0] = RTP_VERSION;
    header[1] = (marker ? 0x80 : 0) | this.payloadType;
    header.writeUInt16BE(this.sequence, 2);
    header.writeUInt32BE(timestamp, 4);
    header.writeUInt32BE(this.ssrc, 8);
    this.sequence = (this.sequence + 1) & 0xffff;
    this.packets++;
    this.octets += payload.length;
    return Buffer.concat([header, payload]);
  }
}
