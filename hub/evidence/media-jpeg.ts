import { mediaInvalid } from './media-text.js';

/** What the segment walk tells of a snapshot. */
export interface JpegFacts {
  width: number;
  height: number;
  components: number;
  progressive: boolean;
  scans: number;
}

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const DQT = 0xdb;
/** Frame types the redactor (ffmpeg's mjpeg decoder) reads: baseline, extended sequential, progressive (Huffman). */
const DECODABLE_FRAMES = new Set([0xc0, 0xc1, 0xc2]);
/** Lossless, hierarchical and arithmetic-coded frames: valid JPEG, but not ours to decode and redact. */
const OTHER_FRAMES = new Set([0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

const invalid = (reason: string) => mediaInvalid('snapshot', reason);
const hex = (n: number) => `0x${n.toString(16).padStart(2, '0')}`;

interface Walk {
  frame: JpegFacts | null;
  quantTables: number;
}

function readFrame(buf: Buffer, at: number, length: number, marker: number): JpegFacts {
  if (length < 8) throw invalid('the frame header is too short');
  const precision = buf.readUInt8(at);
  const height = buf.readUInt16BE(at + 1);
  const width = buf.readUInt16BE(at + 3);
  const components = buf.readUInt8(at + 5);
  if (precision !== 8) throw invalid(`${precision}-bit samples (only 8-bit JPEG is read)`);
  if (width === 0 || height === 0) throw invalid('the frame size is zero');
  if (components !== 1 && components !== 3) throw invalid(`${components} colour components (1 or 3 are read)`);
  if (length !== 8 + 3 * components) throw invalid('the frame header length does not match its components');
  return { width, height, components, progressive: marker === 0xc2, scans: 0 };
}

/** Skips entropy-coded data after a scan header: to the first marker that is not a stuffed byte or a restart. */
function skipScan(buf: Buffer, from: number): number {
  let pos = from;
  while (pos < buf.length) {
    if (buf[pos] !== 0xff) {
      pos += 1;
      continue;
    }
    const next = buf[pos + 1];
    if (next === undefined) break;
    if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) pos += 2;
    else if (next === 0xff) pos += 1;
    else return pos;
  }
  throw invalid('the scan data runs to the end of the file with no EOI marker (truncated)');
}

function segment(buf: Buffer, pos: number, marker: number, walk: Walk): number {
  if (pos + 4 > buf.length) throw invalid(`segment ${hex(marker)} is cut short (truncated)`);
  const length = buf.readUInt16BE(pos + 2);
  const end = pos + 2 + length;
  if (length < 2 || end > buf.length) throw invalid(`segment ${hex(marker)} at byte ${pos} runs past the end of the file`);
  if (OTHER_FRAMES.has(marker)) throw invalid(`frame type ${hex(marker)} (lossless, hierarchical or arithmetic-coded) cannot be decoded for redaction`);
  if (DECODABLE_FRAMES.has(marker)) {
    if (walk.frame) throw invalid('more than one frame header');
    walk.frame = readFrame(buf, pos + 4, length, marker);
  }
  if (marker === DQT) walk.quantTables += 1;
  if (marker !== SOS) return end;
  if (!walk.frame) throw invalid('a scan comes before any frame header');
  if (walk.quantTables === 0) throw invalid('a scan comes before any quantisation table');
  const count = buf.readUInt8(pos + 4);
  if (count < 1 || count > 4 || length !== 6 + 2 * count) throw invalid('the scan header length does not match its components');
  walk.frame.scans += 1;
  const data = skipScan(buf, end);
  if (data === end) throw invalid('a scan has no entropy-coded data');
  return data;
}

/**
 * Walks a JPEG's segment structure: SOI, marker segments with their lengths, a decodable frame header, scans
 * whose entropy-coded data runs to the next marker, and EOI as the last two bytes. SOI + random bytes + EOI,
 * a truncated file and frame types the redactor cannot decode are refused.
 */
export function inspectJpeg(buf: Buffer): JpegFacts {
  if (buf.length < 4 || buf[0] !== 0xff || buf[1] !== SOI) throw invalid('no SOI marker at the start (not a JPEG file)');
  const walk: Walk = { frame: null, quantTables: 0 };
  let pos = 2;
  for (;;) {
    if (pos >= buf.length) throw invalid('no EOI marker (truncated)');
    if (buf[pos] !== 0xff) throw invalid(`expected a marker at byte ${pos}, found ${hex(buf[pos] ?? 0)} (corrupt)`);
    while (buf[pos + 1] === 0xff) pos += 1;
    const marker = buf[pos + 1];
    if (marker === undefined) throw invalid('no EOI marker (truncated)');
    if (marker === EOI) break;
    if (marker === 0x00 || marker === SOI || (marker >= 0xd0 && marker <= 0xd7)) throw invalid(`unexpected marker ${hex(marker)} at byte ${pos}`);
    pos = marker === 0x01 ? pos + 2 : segment(buf, pos, marker, walk);
  }
  if (!walk.frame || walk.frame.scans === 0) throw invalid('no image data (no frame header or scan)');
  if (pos + 2 !== buf.length) throw invalid(`${buf.length - pos - 2} bytes after the EOI marker`);
  return walk.frame;
}
