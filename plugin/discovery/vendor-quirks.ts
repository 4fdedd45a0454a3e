// Vendor quirks of ONVIF devices, in one place, each with the reason it is handled.

/**
 * Encoder names as ffmpeg and the chooser know them. Media1 says H264 / JPEG / MPEG4; Media2 and several
 * Hikvision/Dahua firmwares say H265 or HEVC for the main stream inside a Media1 profile (an H.265 stream was
 * reported as H.264 when the encoder configuration was ignored).
 */
export function normaliseEncoding(value: string): string {
  const upper = value.trim().toUpperCase().replace(/[.\-_ ]/g, '');
  if (upper === 'HEVC' || upper === 'H265') return 'H265';
  if (upper === 'H264' || upper === 'AVC') return 'H264';
  if (upper === 'JPEG' || upper === 'MJPEG' || upper === 'MJPG') return 'MJPEG';
  return upper;
}

/** Codec hint for ffmpeg's -c:v input option (or null to let ffmpeg probe). */
export function ffmpegCodecOf(encoding: string): 'h264' | 'hevc' | 'mjpeg' | null {
  switch (normaliseEncoding(encoding)) {
    case 'H264':
      return 'h264';
    case 'H265':
      return 'hevc';
    case 'MJPEG':
      return 'mjpeg';
    default:
      return null;
  }
}
