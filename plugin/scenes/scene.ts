import { z } from 'zod';
import type { PosLaneEvent, Zone } from '../../contracts/index.js';
import { AppError } from '../../contracts/index.js';
import { checkoutScene } from './checkout-scene.js';
import type { Episode, SceneKind } from './episode.js';
import { renderFrame } from './frame-renderer.js';
import { journalLine, laneEvent, type TillEntry } from './journal.js';
import { Canvas } from './raster.js';
import { mixSeed, Rng } from './rng.js';
import type { FrameTruth, Incident } from './truth.js';
import { aisleScene } from './aisle-scene.js';

export const SCENE_NAMES = ['checkout', 'aisle'] as const;

export const sceneOptionsSchema = z.strictObject({
  scene: z.enum(SCENE_NAMES).describe('checkout: an overhead lane; aisle: shelves, a high-value zone and an exit'),
  seed: z.number().int().min(0).max(0xffff_ffff).describe('same seed, same scene, frame for frame'),
  width: z.number().int().min(32).max(3840).default(320),
  height: z.number().int().min(32).max(2160).default(240),
  fps: z.number().min(1).max(60).default(10),
  script: z.enum(['normal', 'incident', 'mixed']).default('mixed').describe('normal shopping; one incident an episode (checkout: scan avoidance, aisle: concealment); or some of each'),
  /** Epoch ms of the scene's first frame, for the POS journal's times. */
  startMs: z.number().int().nonnegative().default(Date.UTC(2026, 2, 10, 14, 0)),
});
export type SceneOptionsInput = z.input<typeof sceneOptionsSchema>;
export type SceneOptions = z.output<typeof sceneOptionsSchema>;

export interface RenderedFrame {
  /** rgb24, width * height * 3 bytes; the scene's own buffer, overwritten by the next render. */
  readonly rgb: Uint8Array;
  readonly truth: FrameTruth;
}

/** A synthetic camera view: frames on demand (any index, any order) with their truth, and what happened when. */
export class SyntheticScene {
  readonly options: SceneOptions;
  readonly zones: readonly Zone[];
  private readonly kind: SceneKind;
  private readonly canvas: Canvas;
  private readonly episodes = new Map<number, Episode>();

  constructor(input: SceneOptionsInput) {
    const parsed = sceneOptionsSchema.safeParse(input);
    if (!parsed.success) throw new AppError('config_invalid', `scene: ${z.prettifyError(parsed.error)}`, { status: 400 });
    this.options = parsed.data;
    const { scene, seed, script } = this.options;
    this.kind = scene === 'checkout' ? checkoutScene(seed, script) : aisleScene(seed, script);
    this.zones = this.kind.zones;
    this.canvas = new Canvas(this.options.width, this.options.height);
  }

  get episodeSeconds(): number {
    return this.kind.episodeSeconds;
  }

  private episode(index: number): Episode {
    let e = this.episodes.get(index);
    if (e === undefined) {
      if (this.episodes.size > 4) this.episodes.clear();
      e = this.kind.episode(index);
      this.episodes.set(index, e);
    }
    return e;
  }

  render(index: number): RenderedFrame {
    const t = index / this.options.fps;
    const k = Math.floor(t / this.kind.episodeSeconds);
    const local = t - k * this.kind.episodeSeconds;
    const content = this.kind.contentAt(t, this.episode(k).drawablesAt(local));
    const truth = renderFrame(this.canvas, content, new Rng(mixSeed(this.options.seed, 'sensor', index)), index, t);
    return { rgb: this.canvas.rgb, truth };
  }

  /** The same frame with nobody and nothing in it: the fixed set under the same light and the same sensor noise. */
  renderEmpty(index: number): Uint8Array {
    const t = index / this.options.fps;
    renderFrame(this.canvas, this.kind.contentAt(t, []), new Rng(mixSeed(this.options.seed, 'sensor', index)), index, t);
    return this.canvas.rgb;
  }

  private overEpisodes<T>(seconds: number, pick: (e: Episode, offset: number) => T[]): T[] {
    const out: T[] = [];
    for (let k = 0; k * this.kind.episodeSeconds < seconds; k++) out.push(...pick(this.episode(k), k * this.kind.episodeSeconds));
    return out;
  }

  /** Incidents that start within the first `seconds`, on the scene clock. */
  incidents(seconds: number): Incident[] {
    return this.overEpisodes(seconds, (e, o) => e.incidents.map((i) => ({ ...i, start: i.start + o, end: i.end + o }))).filter((i) => i.start < seconds);
  }

  /** The till's entries within the first `seconds`, on the scene clock. */
  till(seconds: number): TillEntry[] {
    return this.overEpisodes(seconds, (e, o) => e.till.map((x) => ({ ...x, at: x.at + o }))).filter((x) => x.at < seconds);
  }

  /** The lane's POS journal (ncr-ej lines) and its events, as the plugin's POS source would hear them. */
  journal(seconds: number): { lines: string[]; events: PosLaneEvent[] } {
    const entries = this.till(seconds);
    return { lines: entries.map((e) => journalLine(e, this.options.startMs)), events: entries.map((e) => laneEvent(e, this.options.startMs)) };
  }
}
