import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import ffprobeInstaller from '@ffprobe-installer/ffprobe';

/**
 * Paths of the bundled binaries. @ffmpeg-installer ships a 2018 static ffmpeg 4.1 (N-47683): every flag we pass
 * must exist in 4.1 (e.g. RTSP's socket timeout is `-stimeout` in microseconds there, not the later `-timeout`).
 */
export const ffmpegPath: string = ffmpegInstaller.path;
export const ffprobePath: string = ffprobeInstaller.path;
