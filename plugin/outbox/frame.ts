import { crc32 } from 'node:zlib';

/**
 * Record framing of a segment file:
 *   u32 BE  body length
 *   u32 BE  CRC32 of the body
 *   body:   u64 BE sequence number, f64 BE append time (epoch ms), UTF-8 JSON payload
 * A crash mid-write leaves a short or mismatching final frame; the CRC tells it apart from a good one.
 */
export const FRAME_HEADER_BYTES = 8;
const BODY_PREFIX_BYTES = 16;

export interface DecodedRecord {
  readonly seq: number;
  readonly at: number;
  readonly json: string;
  /** Byte offset of the frame inside its segment file. */
  readonly offset: number;
  /** Whole frame size, header included. */
  readonly size: number;
}

export function frameSize(jsonBytes: number): number {
  return FRAME_HEADER_BYTES + BODY_PREFIX_BYTES + jsonBytes;
}

export function encodeFrame(seq: number, at: number, json: string): Buffer {
  const jsonBytes = Buffer.byteLength(json);
  const frame = Buffer.allocUnsafe(frameSize(jsonBytes));
  const bodyLength = BODY_PREFIX_BYTES + jsonBytes;
  frame.writeUInt32BE(bodyLength, 0);
  frame.writeBigUInt64BE(BigInt(seq), FRAME_HEADER_BYTES);
  frame.writeDoubleBE(at, FRAME_HEADER_BYTES + 8);
  frame.write(json, FRAME_HEADER_BYTES + BODY_PREFIX_BYTES, 'utf8');
  frame.writeUInt32BE(crc32(frame.subarray(FRAME_HEADER_BYTES)), 4);
  return frame;
}

export type ScanStop = 'end' | 'short' | 'bad_length' | 'bad_crc' | 'bad_seq';

export interface ScanResult {
  readonly records: DecodedRecord[];
  /** Offset (relative to the scanned buffer's file position) just after the last good frame. */
  readonly goodEnd: number;
  readonly stop: ScanStop;
}

/**
 * Decodes consecutive frames from `buffer` (which starts at file offset `baseOffset`). Stops at the first
 * frame that is incomplete, fails its CRC, or breaks the sequence (`expectedSeq`, when given).
 */
export function scanFrames(
  buffer: Buffer,
  options: { baseOffset?: number; expectedSeq?: number; maxBodyBytes: number; maxRecords?: number },
): ScanResult {
  const base = options.baseOffset ?? 0;
  const records: DecodedRecord[] = [];
  let pos = 0;
  let expected = options.expectedSeq;
  const limit = options.maxRecords ?? Number.POSITIVE_INFINITY;
  while (records.length < limit) {
    if (pos === buffer.length) return { records, goodEnd: pos, stop: 'end' };
    if (buffer.length - pos < FRAME_HEADER_BYTES) return { records, goodEnd: pos, stop: 'short' };
    const bodyLength = buffer.readUInt32BE(pos);
    if (bodyLength < BODY_PREFIX_BYTES || bodyLength > options.maxBodyBytes) return { records, goodEnd: pos, stop: 'bad_length' };
    const end = pos + FRAME_HEADER_BYTES + bodyLength;
    if (end > buffer.length) return { records, goodEnd: pos, stop: 'short' };
    const body = buffer.subarray(pos + FRAME_HEADER_BYTES, end);
    if (crc32(body) !== buffer.readUInt32BE(pos + 4)) return { records, goodEnd: pos, stop: 'bad_crc' };
    const seq = Number(body.readBigUInt64BE(0));
    if (expected !== undefined && seq !== expected) return { records, goodEnd: pos, stop: 'bad_seq' };
    records.push({ seq, at: body.readDoubleBE(8), json: body.toString('utf8', BODY_PREFIX_BYTES), offset: base + pos, size: end - pos });
    expected = seq + 1;
    pos = end;
  }
  return { records, goodEnd: pos, stop: 'end' };
}
