import { AISLE_EPISODE_SECONDS, aisleEpisode } from './aisle-episode.js';
import { aisleLayout, aisleZones, drawAisle } from './aisle-layout.js';
import type { SceneKind, SceneScript } from './episode.js';
import { lightingAt } from './lighting.js';
import { mixSeed, Rng } from './rng.js';

/** A store aisle: one layout per seed, shoppers passing through one after another. */
export function aisleScene(seed: number, script: SceneScript): SceneKind {
  const layout = aisleLayout(new Rng(mixSeed(seed, 'aisle-layout')));
  return {
    zones: aisleZones(layout),
    episodeSeconds: AISLE_EPISODE_SECONDS,
    episode: (index) => aisleEpisode(layout, new Rng(mixSeed(seed, 'aisle-episode', index)), index, script),
    contentAt: (t, drawables) => ({ background: (pen) => drawAisle(pen, layout), drawables, lighting: lightingAt(seed, t) }),
  };
}
