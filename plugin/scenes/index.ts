export { SyntheticScene, SCENE_NAMES, sceneOptionsSchema, type SceneOptions, type SceneOptionsInput, type RenderedFrame } from './scene.js';
export { TRUTH_CLASSES, frameTruthSchema, incidentSchema, type FrameTruth, type Incident, type TruthBox, type TruthClass } from './truth.js';
export type { TillEntry } from './journal.js';
