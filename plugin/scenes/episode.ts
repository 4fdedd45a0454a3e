import type { Zone } from '../../contracts/index.js';
import type { Drawable } from './drawable.js';
import type { FrameContent } from './frame-renderer.js';
import type { TillEntry } from './journal.js';
import type { Incident } from './truth.js';

/** normal: nothing wrong; incident: one incident an episode (checkout: an item carried around the scanner, aisle: a
 * product hidden under a coat); mixed: now and then. */
export type SceneScript = 'normal' | 'incident' | 'mixed';

/** One stretch of a scene (a transaction, a shopper's visit), timed from its own start, in seconds. */
export interface Episode {
  readonly duration: number;
  drawablesAt(t: number): Drawable[];
  readonly incidents: readonly Incident[];
  readonly till: readonly TillEntry[];
}

/** A kind of scene: its fixed set and light, and the episodes that play in it one after another. */
export interface SceneKind {
  readonly zones: readonly Zone[];
  /** Seconds every episode lasts, so any time of a live stream maps straight onto its episode. */
  readonly episodeSeconds: number;
  episode(index: number): Episode;
  contentAt(t: number, drawables: readonly Drawable[]): FrameContent;
}
