import { iou, type Box } from '../scenes/average-precision.js';
import type { FrameDetector } from '../scenes/detector-evaluator.js';
import { SyntheticScene } from '../scenes/index.js';
import type { ScenarioSpec } from './scenario-runner.js';

/** Visible at least this much, the incident's object counts as there to be seen (the dataset's rule for a label). */
const MIN_VISIBLE = 0.3;
const MIN_IOU = 0.5;

/**
 * How often the detector found each incident's object (the product scanned past or hidden) while the incident ran:
 * a rule follows only what the detector reports, so an incident whose product is never seen as a product cannot be
 * caught however the rule is set. Frames are the scene's own renders (no H.264), at the analysis frame rate.
 */
export interface IncidentSightings {
  /** Frames in the incidents' spans where their object was at least 30 % visible. */
  readonly frames: number;
  /** Of those, frames with a detection of its class (at the plugin's threshold) at IoU >= 0.5. */
  readonly asItsClass: number;
  /** Frames where only a detection of another class covered it (a product in a grip taken for a hand). */
  readonly asOtherClass: Record<string, number>;
}

export function emptySightings(): IncidentSightings {
  return { frames: 0, asItsClass: 0, asOtherClass: {} };
}

/** Every incident of the scenario's truth, frame by frame from its start to its end. */
export async function sightIncidents(detector: FrameDetector, spec: ScenarioSpec, thresholdOf: (label: string) => number, into: IncidentSightings): Promise<IncidentSightings> {
  const scene = new SyntheticScene({ scene: spec.scene, seed: spec.seed, width: spec.width, height: spec.height, fps: spec.fps, script: 'incident' });
  let { frames, asItsClass } = into;
  const asOtherClass = { ...into.asOtherClass };
  for (const incident of scene.incidents(spec.seconds)) {
    for (let index = Math.ceil(incident.start * spec.fps); index <= Math.floor(incident.end * spec.fps); index++) {
      const { rgb, truth } = scene.render(index);
      const object = truth.boxes.find((b) => b.trackId === incident.trackId && b.visible >= MIN_VISIBLE);
      if (object === undefined) continue;
      const box: Box = [object.x1, object.y1, object.x2, object.y2];
      const { detections } = await detector.detectFrame({ width: spec.width, height: spec.height, format: 'rgb24', data: Uint8Array.from(rgb) });
      const covering = detections.filter((d) => d.score >= thresholdOf(d.label) && iou(d.box, box) >= MIN_IOU);
      frames += 1;
      if (covering.some((d) => d.label === object.cls)) asItsClass += 1;
      else for (const label of new Set(covering.map((d) => d.label))) asOtherClass[label] = (asOtherClass[label] ?? 0) + 1;
    }
  }
  return { frames, asItsClass, asOtherClass };
}
