/**
 * Virtual ONVIF camera for demos, tests and benchmarks: our own RTSP server (TCP interleaved and UDP) with a
 * main and a sub H.264 profile encoded by ffmpeg, ONVIF device/media SOAP services, JPEG snapshots and a
 * WS-Discovery responder. Encoders start with the first reader and stop when idle.
 *
 * In tests: `startCameraSim({ discoveryPort: null, sub: { width: 320, height: 180, fps: 5 } })`, then read
 * `sim.rtspUrl.sub`; `stopRtsp()`/`startRtsp()` simulate the camera's RTSP daemon dying and returning.
 */
export { startCameraSim, stableUuid, DEFAULT_MAIN, DEFAULT_SUB, type CameraSim, type CameraSimOptions } from './camera-sim.js';
export { CHANNEL_COLOURS, channelMarkerRegion, type VideoSize, type VideoSource } from './scene.js';
