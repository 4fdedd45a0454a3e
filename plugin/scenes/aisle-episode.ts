import type { Action } from './actor.js';
import { actionVia, handAt, restHand } from './actor.js';
import type { AisleLayout, ShelfSlot } from './aisle-layout.js';
import type { CartKind } from './cart.js';
import { cartDrawable } from './cart.js';
import type { Drawable } from './drawable.js';
import type { Episode, SceneScript } from './episode.js';
import type { Key } from './motion.js';
import { along } from './motion.js';
import type { Look } from './person.js';
import { personDrawables, randomLook } from './person.js';
import { productDrawable } from './product.js';
import type { Vec } from './raster.js';
import type { Rng } from './rng.js';
import type { Incident } from './truth.js';

export const AISLE_EPISODE_SECONDS = 16;

/** One shopper's walk down the aisle: in from the left, one stop at a shelf, out through the exit. */
interface Shopper {
  readonly trackId: string;
  readonly look: Look;
  readonly carries: CartKind | null;
  readonly cartColour: readonly [number, number, number];
  readonly path: readonly Key[];
  readonly walkY: number;
  readonly slotIndex: number;
  readonly slot: ShelfSlot;
  readonly picked: number;
  readonly stowed: number;
  readonly conceals: boolean;
  readonly action: Action;
}

function pickSlot(l: AisleLayout, rng: Rng, wantHighValue: boolean, taken: ReadonlySet<number>): number {
  const candidates = l.slots.flatMap((s, i) => (s.isHighValue === wantHighValue && !taken.has(i) && Math.abs(s.at[1] - (s.isTop ? l.topShelf.y2 : l.bottomShelf.y1)) < 14 ? [i] : []));
  return rng.pick(candidates);
}

function makeShopper(l: AisleLayout, rng: Rng, episode: number, n: number, conceals: boolean, taken: Set<number>): Shopper {
  const slotIndex = pickSlot(l, rng, conceals || rng.chance(0.2), taken);
  taken.add(slotIndex);
  const slot = l.slots[slotIndex] ?? l.slots[0];
  if (slot === undefined) throw new Error('an aisle without products');
  const walkY = rng.range(100, 140);
  const start = n * rng.range(3, 5) + rng.range(0, 1.5);
  const speed = rng.range(32, 45);
  const stopX = slot.at[0] + rng.range(-4, 4);
  const standY = slot.isTop ? l.topShelf.y2 + 20 : l.bottomShelf.y1 - 20;
  const arrive = start + (stopX + 30) / speed;
  const picked = arrive + 1.2;
  const stowed = picked + 1.3;
  const path: Key[] = [
    { t: start, p: [-30, walkY] }, { t: arrive, p: [stopX, walkY] }, { t: arrive + 0.8, p: [stopX, standY] },
    { t: stowed + 0.4, p: [stopX, standY] }, { t: stowed + 1.2, p: [stopX + 10, walkY] }, { t: stowed + 1.2 + (350 - stopX) / speed, p: [350, walkY] },
  ];
  const carries: CartKind | null = conceals ? (rng.chance(0.5) ? 'basket' : null) : rng.pick(['cart', 'basket', null] as const);
  const heading = slot.isTop ? -Math.PI / 2 : Math.PI / 2;
  const rest = (t: number): Vec => restHand(along(path, t), heading, -1, 0);
  const stand = along(path, picked);
  const stash: Vec = conceals ? [stand[0], stand[1] + (slot.isTop ? 4 : -4)] : cartAt(carries, path, walkY, stowed, heading);
  const action = actionVia(rest, 0.7, [{ t: picked, p: slot.at }, { t: stowed, p: stash }], 0.5);
  return { trackId: `shopper-${episode}-${n}`, look: randomLook(rng), carries, cartColour: rng.pick([[160, 160, 168], [200, 40, 40], [40, 90, 170]] as const), path, walkY, slotIndex, slot, picked, stowed, conceals, action };
}

/** A cart waits in the aisle while its shopper steps to the shelf; a basket stays on the shopper's arm. */
function cartAt(kind: CartKind | null, path: readonly Key[], walkY: number, t: number, heading: number): Vec {
  const p = along(path, t);
  if (kind === 'cart') return [p[0] + 40, walkY];
  const side: Vec = [-Math.sin(heading), Math.cos(heading)];
  return [p[0] + side[0] * 24, p[1] + side[1] * 24];
}

function headingAt(s: Shopper, t: number): number {
  const a = along(s.path, t);
  const b = along(s.path, t + 0.15);
  if (Math.hypot(b[0] - a[0], b[1] - a[1]) > 0.5 && Math.abs(b[1] - a[1]) < Math.abs(b[0] - a[0])) return 0;
  return s.slot.isTop ? -Math.PI / 2 : Math.PI / 2;
}

function shopperDrawables(s: Shopper, t: number): Drawable[] {
  const centre = along(s.path, t);
  const heading = headingAt(s, t);
  const walking = heading === 0;
  const swing = walking ? 5 * Math.sin(t * 7) : 0;
  const rest = (side: -1 | 1) => (u: number): Vec => restHand(along(s.path, u), heading, side, swing);
  const hasItem = t >= s.picked && t < s.stowed;
  const basketHand = s.carries === 'basket';
  const cart = s.carries === null ? null : cartAt(s.carries, s.path, s.walkY, t, heading);
  const { drawables, arms } = personDrawables(s.trackId, s.look, {
    centre, heading,
    hands: [handAt([s.action], rest(-1), t), basketHand && cart !== null ? cart : rest(1)(t)],
    grip: [hasItem ? 1 : 0, basketHand ? 1 : 0],
  }, 10);
  const out = [...drawables];
  if (cart !== null && s.carries !== null) out.push(cartDrawable(`${s.trackId}.cart`, s.carries, s.cartColour, cart, s.carries === 'cart' ? 0 : heading, s.carries === 'cart' ? 4 : 11.5));
  const id = `${s.trackId}.item`;
  if (hasItem) out.push(productDrawable(id, s.slot.look, arms[0].hand, s.slot.angle, 11));
  else if (t >= s.stowed && !s.conceals && cart !== null) out.push(productDrawable(id, s.slot.look, [cart[0] + 3, cart[1] - 2], s.slot.angle, s.carries === 'cart' ? 5 : 11.6));
  return out;
}

/** One stretch of the aisle: one or two shoppers, restocked shelves, sometimes a product slipped under a coat. */
export function aisleEpisode(l: AisleLayout, rng: Rng, index: number, script: SceneScript): Episode {
  const count = rng.int(1, 2);
  const concealer = script === 'normal' ? -1 : script === 'incident' || rng.chance(0.35) ? rng.int(0, count - 1) : -1;
  const taken = new Set<number>();
  const shoppers = Array.from({ length: count }, (_, n) => makeShopper(l, rng, index, n, n === concealer, taken));
  const incidents: Incident[] = shoppers.filter((s) => s.conceals).map((s) => ({ type: 'concealment', start: s.picked, end: s.stowed, itemId: s.slot.look.itemId, trackId: `${s.trackId}.item` }));
  return {
    duration: AISLE_EPISODE_SECONDS,
    incidents,
    till: [],
    drawablesAt(t) {
      const out: Drawable[] = [];
      l.slots.forEach((slot, i) => {
        const taker = shoppers.find((s) => s.slotIndex === i);
        if (taker === undefined || t < taker.picked) out.push(productDrawable(`shelf-${i}`, slot.look, slot.at, slot.angle, 1));
      });
      for (const s of shoppers) out.push(...shopperDrawables(s, t));
      return out;
    },
  };
}
