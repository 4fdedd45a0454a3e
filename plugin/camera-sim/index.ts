export { startCameraSim, DEFAULT_MAIN, DEFAULT_SUB, type CameraSim, type CameraSimOptions } from './camera-sim.js';
export type { VideoSize, VideoSource } from './scene.js';
