export { SyntheticScene, SCENE_NAMES, sceneOptionsSchema, type SceneOptions, type SceneOptionsInput, type RenderedFrame } from './scene.js';
export { TRUTH_CLASSES, frameTruthSchema, incidentSchema, type FrameTruth, type Incident, type TruthBox, type TruthClass } from './truth.js';
export { journalLine, REGISTER as TILL_REGISTER, type TillEntry } from './journal.js';
export { encodeScene, rawInputArgs, writeFrame, type EncodeOptions } from './h264-encoder.js';
export { pumpFrames } from './frame-pump.js';
export { playJournal, SCENE_TRACKER } from './journal-player.js';
export { SCENE_CONCEALMENT } from './scene-rules.js';
