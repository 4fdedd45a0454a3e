import { z } from 'zod';
import { AppError } from '../../contracts/index.js';
import type { PixelRegion } from './connected-regions.js';
import { connectedRegions, dilate } from './connected-regions.js';
import type { GrayImage, PixelSource } from './downscale-gray.js';
import { downscaleGray } from './downscale-gray.js';
import type { NormalisedPolygon } from './zone-mask.js';
import { rasteriseZones } from './zone-mask.js';

const unit = z.number().min(0).max(1);

export const motionConfigSchema = z.strictObject({
  width: z.number().int().min(16).max(640).default(160).describe('width of the grey thumbnail motion is computed on'),
  alpha: z.number().gt(0).max(1).default(0.05).describe('running-average weight of each new frame in the background'),
  threshold: z.number().int().min(1).max(255).default(25).describe('grey-level difference from the background that counts as change'),
  dilation: z.number().int().min(0).max(5).default(1).describe('3x3 dilation passes joining nearby changed pixels'),
  minArea: unit.default(0.0005).describe('smallest region kept, as a fraction of the frame'),
  warmupFrames: z.number().int().min(1).max(1000).default(2).describe('frames spent learning the background; they count as motion'),
  recalibrateFraction: unit.default(0.6).describe('changed share above which the scene is relearnt (lights, camera moved)'),
  zones: z.array(z.array(z.tuple([unit, unit])).min(3)).default([]).describe('active zones (normalised polygons); empty: the whole frame'),
});
export type MotionConfig = z.output<typeof motionConfigSchema>;
export type MotionConfigInput = z.input<typeof motionConfigSchema>;

/** [x1, y1, x2, y2] in 0..1. */
export type NormalisedBox = readonly [number, number, number, number];

export interface MotionRegion {
  /** Normalised [x1, y1, x2, y2]. */
  readonly box: readonly [number, number, number, number];
  /** Changed pixels as a fraction of the frame. */
  readonly area: number;
}

export interface MotionResult {
  /** true: send this frame to the detector. */
  readonly hasMotion: boolean;
  readonly regions: readonly MotionRegion[];
  /** Share of active-zone pixels that changed. */
  readonly changedFraction: number;
  /** The background is being (re)learnt; the frame counts as motion so nothing is missed meanwhile. */
  readonly isCalibrating: boolean;
}

/** Decides per frame whether anything moved in the camera's active zones. */
export interface MotionGate {
  /** `hold`: normalised boxes of tracked objects: the background neither learns nor reports motion under them. */
  update(frame: PixelSource, hold?: readonly NormalisedBox[]): MotionResult;
  reset(): void;
}

interface State {
  width: number;
  height: number;
  background: Float32Array;
  zoneMask: Uint8Array;
  activePixels: number;
  changed: Uint8Array;
  dilated: Uint8Array;
  scratch: { labels: Int32Array; queue: Int32Array };
  thumb: Uint8Array;
  frames: number;
  /** 1 where a tracked object stands this frame: the background keeps its value there. */
  held: Uint8Array;
  hasHeld: boolean;
}

function markHeld(state: State, hold: readonly NormalisedBox[]): void {
  if (state.hasHeld) state.held.fill(0);
  state.hasHeld = hold.length > 0;
  const { width, height } = state;
  for (const [x1, y1, x2, y2] of hold) {
    const left = Math.max(0, Math.floor(x1 * width));
    const right = Math.min(width, Math.ceil(x2 * width));
    for (let y = Math.max(0, Math.floor(y1 * height)); y < Math.min(height, Math.ceil(y2 * height)); y++) state.held.fill(1, y * width + left, y * width + right);
  }
}

/**
 * Running-average background subtraction on a small grey picture (the Frigate approach): per-pixel threshold,
 * dilation, connected regions, minimum area; pixels outside the active zones never count.
 */
export class RunningAverageMotionGate implements MotionGate {
  readonly config: MotionConfig;
  private state: State | undefined;

  constructor(config: MotionConfigInput = {}) {
    const parsed = motionConfigSchema.safeParse(config);
    if (!parsed.success) throw new AppError('config_invalid', `motion: ${z.prettifyError(parsed.error)}`, { status: 400 });
    this.config = parsed.data;
  }

  reset(): void {
    this.state = undefined;
  }

  update(frame: PixelSource, hold: readonly NormalisedBox[] = []): MotionResult {
    const gray = downscaleGray(frame, this.config.width, this.state?.thumb);
    const state = this.state !== undefined && this.state.width === gray.width && this.state.height === gray.height ? this.state : this.init(gray);
    state.thumb = gray.data;
    markHeld(state, hold);
    return motionStep(state, gray, this.config);
  }

  private init(gray: GrayImage): State {
    const n = gray.width * gray.height;
    const zoneMask = rasteriseZones(this.config.zones as NormalisedPolygon[], gray.width, gray.height);
    this.state = {
      width: gray.width,
      height: gray.height,
      background: Float32Array.from(gray.data),
      zoneMask,
      activePixels: zoneMask.reduce((a, b) => a + b, 0),
      changed: new Uint8Array(n),
      dilated: new Uint8Array(n),
      scratch: { labels: new Int32Array(n), queue: new Int32Array(n) },
      thumb: gray.data,
      frames: 0,
      held: new Uint8Array(n),
      hasHeld: false,
    };
    return this.state;
  }
}

/** One frame against the background: compare, update, label. Exported for the motion benchmark. */
export function motionStep(state: State, gray: GrayImage, config: MotionConfig): MotionResult {
  const { background: bg, zoneMask, changed } = state;
  const g = gray.data;
  let count = 0;
  for (let i = 0; i < g.length; i++) {
    const v = g[i] ?? 0;
    const b = bg[i] ?? 0;
    // Under a tracked object the background neither learns (a still person must not fade into it) nor counts as
    // motion (the tracker already follows it; the pipeline re-confirms it on its own schedule).
    const isHeld = state.held[i] === 1;
    const on = zoneMask[i] === 1 && !isHeld && Math.abs(v - b) > config.threshold ? 1 : 0;
    changed[i] = on;
    count += on;
    if (!isHeld) bg[i] = b + config.alpha * (v - b);
  }
  state.frames++;
  const changedFraction = state.activePixels === 0 ? 0 : count / state.activePixels;
  if (state.frames <= config.warmupFrames || changedFraction > config.recalibrateFraction) {
    if (state.frames > config.warmupFrames) bg.set(g); // a sudden global change: relearn from this frame
    return { hasMotion: true, regions: [], changedFraction, isCalibrating: true };
  }
  if (count === 0) return { hasMotion: false, regions: [], changedFraction, isCalibrating: false };
  let mask = changed;
  for (let pass = 0; pass < config.dilation; pass++) {
    const target = mask === state.dilated ? state.changed : state.dilated;
    mask = dilate(mask, state.width, state.height, target);
  }
  // Dilation may spill outside the zones; clip back so regions stay within them.
  for (let i = 0; i < mask.length; i++) if (zoneMask[i] === 0) mask[i] = 0;
  const minArea = Math.max(1, Math.round(config.minArea * state.width * state.height));
  const regions = connectedRegions(mask, state.width, state.height, minArea, state.scratch).map((r) => normalise(r, state));
  return { hasMotion: regions.length > 0, regions, changedFraction, isCalibrating: false };
}

function normalise(r: PixelRegion, size: { width: number; height: number }): MotionRegion {
  return { box: [r.x1 / size.width, r.y1 / size.height, r.x2 / size.width, r.y2 / size.height], area: r.area / (size.width * size.height) };
}

export type { State as MotionState };
