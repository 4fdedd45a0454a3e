import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';

/**
 * Path of the bundled ffmpeg. @ffmpeg-installer ships a 2018 static ffmpeg 4.1 (N-47683): every flag we pass must
 * exist in 4.1 (e.g. RTSP's socket timeout is `-stimeout` in microseconds there, not the later `-timeout`).
 */
export const ffmpegPath: string = ffmpegInstaller.path;
