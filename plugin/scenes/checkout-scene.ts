import { CHECKOUT_EPISODE_SECONDS, checkoutEpisode } from './checkout-episode.js';
import { checkoutLayout, checkoutZones, drawCheckout } from './checkout-layout.js';
import type { SceneKind, SceneScript } from './episode.js';
import { lightingAt } from './lighting.js';
import { mixSeed, Rng } from './rng.js';

/** An overhead checkout lane: one layout per seed, one transaction after another. */
export function checkoutScene(seed: number, script: SceneScript): SceneKind {
  const layout = checkoutLayout(new Rng(mixSeed(seed, 'checkout-layout')));
  return {
    zones: checkoutZones(layout),
    episodeSeconds: CHECKOUT_EPISODE_SECONDS,
    episode: (index) => checkoutEpisode(layout, new Rng(mixSeed(seed, 'checkout-episode', index)), index, script),
    contentAt: (t, drawables) => ({ background: (pen) => drawCheckout(pen, layout, t), drawables, lighting: lightingAt(seed, t) }),
  };
}
