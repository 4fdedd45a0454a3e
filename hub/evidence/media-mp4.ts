import { mediaInvalid, printable } from './media-text.js';

/** Reads bytes `start..end` (inclusive) of the object being checked. */
export type RangeReader = (start: number, end: number) => Promise<Buffer>;

/** What the box walk tells of a clip: enough to file it without running ffprobe. */
export interface ClipFacts {
  codec: 'h264';
  durationSeconds: number | null;
  /** Samples (frames) the index lists; each lies inside the media data. */
  packets: number;
  width: number;
  height: number;
}

interface Box {
  type: string;
  /** Offset of the box's payload (after its header) and of its end, in the buffer or file it was read from. */
  start: number;
  end: number;
}

const TOP_LEVEL = new Set(['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'uuid', 'meta', 'pdin']);
const MAX_INDEX_BYTES = 64 * 1024 * 1024;
const MAX_TOP_LEVEL_BOXES = 64;

const invalid = (reason: string) => mediaInvalid('clip', reason);

/** The boxes of `buf[from..to)`: each must fit inside its parent. */
function childBoxes(buf: Buffer, from: number, to: number, parent: string): Box[] {
  const boxes: Box[] = [];
  let offset = from;
  while (offset + 8 <= to) {
    let length = buf.readUInt32BE(offset);
    const type = printable(buf.subarray(offset + 4, offset + 8));
    let header = 8;
    if (length === 1 && offset + 16 <= to) {
      length = Number(buf.readBigUInt64BE(offset + 8));
      header = 16;
    } else if (length === 0) length = to - offset;
    if (length < header || offset + length > to) throw invalid(`box ${type} inside ${parent} runs past its end (corrupt index)`);
    boxes.push({ type, start: offset + header, end: offset + length });
    offset += length;
  }
  if (offset !== to) throw invalid(`stray bytes at the end of ${parent} (corrupt index)`);
  return boxes;
}

const find = (buf: Buffer, parent: Box, type: string): Box | undefined => childBoxes(buf, parent.start, parent.end, parent.type).find((b) => b.type === type);

function need(buf: Buffer, parent: Box, path: string[]): Box {
  let box = parent;
  for (const type of path) {
    const next = find(buf, box, type);
    if (!next) throw invalid(`no ${type} box in ${box.type}`);
    box = next;
  }
  return box;
}

function readFullBox(box: Box, bytes: number): void {
  if (box.end - box.start < bytes) throw invalid(`box ${box.type} is too short (corrupt index)`);
}

/** `timescale` and `duration` of an mvhd or mdhd box (versions 0 and 1). */
function timing(buf: Buffer, box: Box): number | null {
  const version = buf.readUInt8(box.start);
  readFullBox(box, version === 1 ? 32 : 20);
  const timescale = buf.readUInt32BE(box.start + (version === 1 ? 20 : 12));
  const duration = version === 1 ? Number(buf.readBigUInt64BE(box.start + 24)) : buf.readUInt32BE(box.start + 16);
  return timescale > 0 ? duration / timescale : null;
}

interface VideoTrack {
  width: number;
  height: number;
  lengthSize: number;
  sampleSizes: number[];
  chunkOffsets: number[];
}

function sampleEntry(buf: Buffer, stbl: Box): { width: number; height: number; lengthSize: number } {
  const stsd = need(buf, stbl, ['stsd']);
  readFullBox(stsd, 8);
  const [entry] = childBoxes(buf, stsd.start + 8, stsd.end, 'stsd');
  if (!entry) throw invalid('no sample description');
  if (entry.type !== 'avc1' && entry.type !== 'avc3') throw invalid(`video codec is ${entry.type}, not H.264 (avc1)`);
  if (entry.end - entry.start < 78) throw invalid('the H.264 sample description is too short');
  const width = buf.readUInt16BE(entry.start + 24);
  const height = buf.readUInt16BE(entry.start + 26);
  const avcC = childBoxes(buf, entry.start + 78, entry.end, entry.type).find((b) => b.type === 'avcC');
  if (!avcC || avcC.end - avcC.start < 7) throw invalid('no H.264 decoder configuration (avcC)');
  if (width === 0 || height === 0) throw invalid('the frame size is zero');
  return { width, height, lengthSize: (buf.readUInt8(avcC.start + 4) & 3) + 1 };
}

function sampleSizes(buf: Buffer, stbl: Box): number[] {
  const stsz = need(buf, stbl, ['stsz']);
  readFullBox(stsz, 12);
  const fixed = buf.readUInt32BE(stsz.start + 4);
  const count = buf.readUInt32BE(stsz.start + 8);
  if (fixed !== 0) return Array.from({ length: count }, () => fixed);
  if (stsz.end - stsz.start < 12 + count * 4) throw invalid('the sample size table is cut short (corrupt index)');
  return Array.from({ length: count }, (_, i) => buf.readUInt32BE(stsz.start + 12 + i * 4));
}

function chunkOffsets(buf: Buffer, stbl: Box): number[] {
  const children = childBoxes(buf, stbl.start, stbl.end, 'stbl');
  const table = children.find((b) => b.type === 'stco' || b.type === 'co64');
  if (!table) throw invalid('no chunk offset table (stco)');
  readFullBox(table, 8);
  const count = buf.readUInt32BE(table.start + 4);
  const width = table.type === 'co64' ? 8 : 4;
  if (table.end - table.start < 8 + count * width) throw invalid('the chunk offset table is cut short (corrupt index)');
  return Array.from({ length: count }, (_, i) => (width === 8 ? Number(buf.readBigUInt64BE(table.start + 8 + i * 8)) : buf.readUInt32BE(table.start + 8 + i * 4)));
}

function videoTrack(buf: Buffer, moov: Box): VideoTrack {
  for (const trak of childBoxes(buf, moov.start, moov.end, 'moov').filter((b) => b.type === 'trak')) {
    const hdlr = need(buf, trak, ['mdia', 'hdlr']);
    readFullBox(hdlr, 12);
    if (buf.toString('latin1', hdlr.start + 8, hdlr.start + 12) !== 'vide') continue;
    const stbl = need(buf, trak, ['mdia', 'minf', 'stbl']);
    return { ...sampleEntry(buf, stbl), sampleSizes: sampleSizes(buf, stbl), chunkOffsets: chunkOffsets(buf, stbl) };
  }
  throw invalid('no video track');
}

/** The file's top-level boxes; the first must be ftyp, none may run past the end (truncation). */
async function topLevel(read: RangeReader, size: number): Promise<Box[]> {
  const boxes: Box[] = [];
  let offset = 0;
  while (offset < size) {
    if (boxes.length >= MAX_TOP_LEVEL_BOXES) throw invalid('too many top-level boxes');
    if (offset + 8 > size) throw invalid('truncated box header at the end of the file (truncated)');
    const header = await read(offset, Math.min(offset + 15, size - 1));
    let length = header.readUInt32BE(0);
    const type = printable(header.subarray(4, 8));
    let headerBytes = 8;
    if (length === 1 && header.length >= 16) {
      length = Number(header.readBigUInt64BE(8));
      headerBytes = 16;
    } else if (length === 0) length = size - offset;
    if (boxes.length === 0 && type !== 'ftyp') throw invalid(`it starts with ${type}, not an ftyp box (not an MP4 file)`);
    if (!TOP_LEVEL.has(type)) throw invalid(`unexpected top-level box ${type}`);
    if (length < headerBytes || offset + length > size) throw invalid(`box ${type} runs past the end of the file (truncated)`);
    boxes.push({ type, start: offset + headerBytes, end: offset + length });
    offset += length;
  }
  return boxes;
}

/** Walks the NAL units of the first frame (length-prefixed, as avcC says): they must fill the sample exactly. */
async function checkFirstSample(read: RangeReader, offset: number, bytes: number, lengthSize: number): Promise<void> {
  let pos = offset;
  let slices = 0;
  for (let units = 0; pos < offset + bytes; units += 1) {
    if (units > 256 || pos + lengthSize + 1 > offset + bytes) throw invalid('the first frame is not H.264 NAL units (corrupt media data)');
    const head = await read(pos, pos + lengthSize);
    const length = head.readUIntBE(0, lengthSize);
    const nal = head.readUInt8(lengthSize);
    if (length === 0 || (nal & 0x80) !== 0 || (nal & 0x1f) === 0 || (nal & 0x1f) > 23) throw invalid('the first frame is not H.264 NAL units (corrupt media data)');
    if ((nal & 0x1f) === 1 || (nal & 0x1f) === 5) slices += 1;
    pos += lengthSize + length;
  }
  if (pos !== offset + bytes || slices === 0) throw invalid('the first frame is not a whole H.264 picture (corrupt media data)');
}

/**
 * Checks a clip is a whole H.264 MP4 from its structure alone (no ffprobe): ftyp first, the index (moov)
 * before the media data (faststart, so a browser plays at once), no box past the end of the file, a video
 * track whose every chunk lies inside the media data, and a first frame made of H.264 NAL units.
 */
export async function inspectMp4(read: RangeReader, size: number): Promise<ClipFacts> {
  const boxes = await topLevel(read, size);
  const moovAt = boxes.findIndex((b) => b.type === 'moov');
  const mdats = boxes.filter((b) => b.type === 'mdat');
  if (moovAt < 0) throw invalid('no moov box (no index)');
  if (boxes.findIndex((b) => b.type === 'mdat') < moovAt) throw invalid('the index (moov) is not before the media data (not faststart)');
  const moovBox = boxes[moovAt] as Box;
  if (moovBox.end - moovBox.start > MAX_INDEX_BYTES) throw invalid('the index (moov) is larger than 64 MB');
  const buf = await read(moovBox.start - 8, moovBox.end - 1);
  const moov: Box = { type: 'moov', start: 8, end: buf.length };
  const duration = timing(buf, need(buf, moov, ['mvhd']));
  const track = videoTrack(buf, moov);
  if (track.sampleSizes.length === 0 || track.chunkOffsets.length === 0) throw invalid('the video track has no frames');
  const inMdat = (at: number, bytes: number) => mdats.some((m) => at >= m.start && at + bytes <= m.end);
  const firstSize = track.sampleSizes[0] ?? 0;
  const firstOffset = track.chunkOffsets[0] ?? 0;
  if (!track.chunkOffsets.every((at) => inMdat(at, 1)) || !inMdat(firstOffset, firstSize)) throw invalid('frames lie outside the media data (truncated or corrupt)');
  const mediaBytes = mdats.reduce((sum, m) => sum + (m.end - m.start), 0);
  if (track.sampleSizes.reduce((sum, n) => sum + n, 0) > mediaBytes) throw invalid('the index lists more frame bytes than the media data holds (truncated)');
  await checkFirstSample(read, firstOffset, firstSize, track.lengthSize);
  return { codec: 'h264', durationSeconds: duration, packets: track.sampleSizes.length, width: track.width, height: track.height };
}
