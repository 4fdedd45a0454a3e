import { open } from 'node:fs/promises';

const TS_PACKET = 188;
const SYNC = 0x47;

/**
 * A cheap sanity check of one MPEG-TS segment before it goes into a clip: present, not empty, and starting with
 * two packets' sync bytes. Returns why it is unusable, or null. (ffmpeg resyncs over damage inside a file; a file
 * that is not TS at all would make the concat demuxer fail the whole clip.)
 */
export async function checkSegment(path: string): Promise<string | null> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `unreadable (${(error as Error).message})`;
  }
  try {
    const head = Buffer.alloc(TS_PACKET * 2);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead === 0) return 'empty';
    if (bytesRead < head.length) return `truncated (${bytesRead} bytes)`;
    if (head[0] !== SYNC || head[TS_PACKET] !== SYNC) return 'not MPEG-TS (no sync byte)';
    return null;
  } finally {
    await handle.close();
  }
}
