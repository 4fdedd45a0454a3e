export { RunningAverageMotionGate, motionStep, motionConfigSchema } from './motion-gate.js';
export type { MotionGate, MotionResult, MotionRegion, MotionConfig, MotionConfigInput, MotionState } from './motion-gate.js';
export { downscaleGray, smallSize } from './downscale-gray.js';
export type { GrayImage, PixelSource } from './downscale-gray.js';
export { connectedRegions, dilate } from './connected-regions.js';
export type { PixelRegion } from './connected-regions.js';
export { rasteriseZones } from './zone-mask.js';
export type { NormalisedPolygon } from './zone-mask.js';
