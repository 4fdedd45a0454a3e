import type { ParameterSets } from './h264-feed.js';
import type { VideoSize } from './scene.js';

/** Session description of one H.264 profile (RFC 6184 section 8.2), with SPS/PPS so clients can start at once. */
export function buildSdp(profile: string, size: VideoSize, sets: ParameterSets, sessionId: string): string {
  const profileLevelId = sets.sps.subarray(1, 4).toString('hex');
  const sprop = `${sets.sps.toString('base64')},${sets.pps.toString('base64')}`;
  return [
    'v=0',
    `o=- ${sessionId} 1 IN IP4 0.0.0.0`,
    `s=Vigil camera-sim ${profile}`,
    'c=IN IP4 0.0.0.0',
    't=0 0',
    'a=control:*',
    'a=range:npt=0-',
    'm=video 0 RTP/AVP 96',
    'a=rtpmap:96 H264/90000',
    `a=fmtp:96 packetization-mode=1;profile-level-id=${profileLevelId};sprop-parameter-sets=${sprop}`,
    `a=framerate:${size.fps}`,
    `a=x-dimensions:${size.width},${size.height}`,
    'a=control:trackID=0',
    '',
  ].join('\r\n');
}
