/** Input options for one network source, in the spelling ffmpeg 4.1 understands. */
export function inputArgs(url: string, transport: 'tcp' | 'udp', socketTimeoutMs: number): string[] {
  const micros = String(socketTimeoutMs * 1000);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'rtsp' || scheme === 'rtsps') {
    // ffmpeg 4.1: RTSP's socket timeout is `-stimeout` (µs); `-timeout` there means "listen for a connection".
    return ['-rtsp_transport', transport, '-stimeout', micros];
  }
  // Generic protocol read/write timeout (µs) for tcp://, udp://, http://; a plain file needs none.
  if (scheme !== undefined && scheme !== 'file' && url.includes('://')) return ['-rw_timeout', micros];
  return [];
}
