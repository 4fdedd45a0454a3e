import type { Drawable } from './drawable.js';
import type { Action } from './actor.js';
import { actionVia, handAt, restHand } from './actor.js';
import { cartDrawable } from './cart.js';
import type { CheckoutLayout } from './checkout-layout.js';
import { scannerWindow } from './checkout-layout.js';
import type { Episode, SceneScript } from './episode.js';
import type { TillEntry } from './journal.js';
import type { Key } from './motion.js';
import { along } from './motion.js';
import type { Look, PersonPose } from './person.js';
import { personDrawables, randomLook } from './person.js';
import type { ProductLook } from './product.js';
import { productDrawable, randomProduct } from './product.js';
import type { Vec } from './raster.js';
import type { Rng } from './rng.js';
import type { Incident } from './truth.js';


export const CHECKOUT_EPISODE_SECONDS = 30;

/** When one item is where: cart, customer's hand, belt, cashier's hand, bagging. */
interface ItemPlan {
  readonly look: ProductLook;
  readonly trackId: string;
  readonly inCart: Vec;
  readonly angle: number;
  readonly grabbed: number;
  readonly placed: number;
  readonly picked: number;
  readonly released: number;
  readonly isAvoided: boolean;
  /** When the item crosses the scanner window (normal scans only). */
  readonly scannedAt: number | undefined;
}

interface Cast {
  readonly customer: Look;
  readonly cashier: Look;
  readonly isBasket: boolean;
  readonly cartColour: readonly [number, number, number];
}

const CUSTOMER_UP = -Math.PI / 2;
const CASHIER_DOWN = Math.PI / 2;

function customerCentre(l: CheckoutLayout, leaveAt: number, payAt: number, t: number): Vec {
  const enter: Vec = [-30, l.customerSpot[1]];
  return along([
    { t: 0, p: enter }, { t: 2.5, p: l.customerSpot }, { t: payAt, p: l.customerSpot },
    { t: payAt + 2, p: l.payingSpot }, { t: leaveAt, p: l.payingSpot }, { t: leaveAt + 3, p: [360, l.payingSpot[1]] },
  ], t);
}

function isWalking(l: CheckoutLayout, leaveAt: number, payAt: number, t: number): boolean {
  const a = customerCentre(l, leaveAt, payAt, t);
  const b = customerCentre(l, leaveAt, payAt, t + 0.1);
  return Math.hypot(b[0] - a[0], b[1] - a[1]) > 0.2;
}

const cartOffset = (isBasket: boolean): Vec => (isBasket ? [-30, 22] : [-40, 30]);

/** The till lines of a transaction: a start, every scanned item, the tender and the end. */
function tillOf(items: readonly ItemPlan[], sequence: string, end: number): TillEntry[] {
  const scanned = items.filter((i) => i.scannedAt !== undefined);
  const total = Math.round(scanned.reduce((sum, i) => sum + i.look.price, 0) * 100) / 100;
  const firstScan = scanned[0]?.scannedAt ?? end - 3;
  return [
    { at: Math.max(0, firstScan - 0.4), kind: 'transaction_start', sequenceNumber: sequence },
    ...scanned.map((i): TillEntry => ({ at: i.scannedAt ?? 0, kind: 'sale', sequenceNumber: sequence, itemId: i.look.itemId, description: i.look.description, amount: i.look.price })),
    { at: end - 1, kind: 'tender', sequenceNumber: sequence, amount: total },
    { at: end - 0.5, kind: 'transaction_end', sequenceNumber: sequence, amount: total },
  ];
}

function avoidedIndex(rng: Rng, script: SceneScript, count: number): number {
  if (script === 'normal') return -1;
  if (script === 'incident') return rng.int(1, count - 1);
  return rng.chance(0.35) ? rng.int(0, count - 1) : -1;
}

/** One transaction at the lane, from the customer walking in to walking out. */
export function checkoutEpisode(l: CheckoutLayout, rng: Rng, index: number, script: SceneScript): Episode {
  const cast: Cast = { customer: randomLook(rng), cashier: randomLook(rng), isBasket: rng.chance(0.4), cartColour: rng.pick([[160, 160, 168], [200, 40, 40], [40, 90, 170]] as const) };
  const count = rng.int(3, 6);
  const avoided = avoidedIndex(rng, script, count);
  const pace = rng.range(2.5, 3.0);
  const looks = Array.from({ length: count }, (_, k) => randomProduct(rng, k));
  const plan = planItems(l, rng, looks, pace, avoided, index);
  const last = plan[plan.length - 1];
  const payAt = (last?.placed ?? 3) + 0.8;
  const end = Math.min(CHECKOUT_EPISODE_SECONDS - 3.5, (last?.released ?? 20) + 2.5);
  const leaveAt = end + 0.2;
  const sequence = String(4821 + index).padStart(7, '0');
  const incidents: Incident[] = plan.filter((i) => i.isAvoided).map((i) => ({ type: 'scan_avoidance', start: i.picked, end: i.released, itemId: i.look.itemId, trackId: i.trackId }));
  const moves = movesOf(l, cast, plan, leaveAt, payAt);
  return {
    duration: CHECKOUT_EPISODE_SECONDS,
    incidents,
    till: tillOf(plan, sequence, end),
    drawablesAt: (t) => drawCheckoutEpisode(l, cast, plan, moves, t, index),
  };
}

function planItems(l: CheckoutLayout, rng: Rng, looks: readonly ProductLook[], pace: number, avoided: number, episode: number): ItemPlan[] {
  const beltEnd = l.belt.x2;
  return looks.map((look, k) => {
    const grabbed = 3 + k * pace;
    const placed = grabbed + 0.9;
    const placeX = rng.range(60, 90);
    const stopX = beltEnd - look.length / 2 - 3;
    const picked = placed + Math.max(0.4, (stopX - placeX) / l.beltSpeed);
    const isAvoided = k === avoided;
    const released = picked + (isAvoided ? 1.35 : 1.2);
    return {
      look, trackId: `product-${episode}-${k}`,
      inCart: [rng.range(-14, 14), rng.range(-8, 8)], angle: rng.range(-0.5, 0.5),
      grabbed, placed, picked, released, isAvoided,
      scannedAt: isAvoided ? undefined : picked + 0.6,
    };
  });
}

interface Moves {
  readonly customerActions: readonly Action[];
  readonly cashierActions: readonly Action[];
  readonly leaveAt: number;
  readonly payAt: number;
}

function movesOf(l: CheckoutLayout, cast: Cast, plan: readonly ItemPlan[], leaveAt: number, payAt: number): Moves {
  const customerRest = (t: number): Vec => restHand(customerCentre(l, leaveAt, payAt, t), CUSTOMER_UP, -1, 0);
  const cashierRest = (t: number): Vec => restHand(cashierCentre(l, t, []), CASHIER_DOWN, 1, 0);
  const beltY = (l.belt.y1 + l.belt.y2) / 2;
  const glass = scannerWindow(l);
  const off = cartOffset(cast.isBasket);
  const customerActions = plan.map((item) => {
    const cart: Vec = [l.customerSpot[0] + off[0] + item.inCart[0], l.customerSpot[1] + off[1] + item.inCart[1]];
    return actionVia(customerRest, 0.7, [{ t: item.grabbed, p: cart }, { t: item.placed, p: [75, beltY + 4] }], 0.6);
  });
  const cashierActions = plan.map((item) => {
    const stop: Vec = [l.belt.x2 - item.look.length / 2 - 3, beltY];
    const slot: Vec = [l.scanner.x2 + 8 + (plan.indexOf(item) % 3) * 11, l.belt.y1 + 6 + (Math.floor(plan.indexOf(item) / 3) % 2) * 14];
    const path: Key[] = item.isAvoided
      ? [{ t: item.picked, p: stop }, { t: item.picked + 0.45, p: [l.belt.x2 - 6, l.belt.y1 - 12] }, { t: item.picked + 0.9, p: [l.scanner.x2 + 4, l.belt.y1 - 12] }, { t: item.released, p: slot }]
      : [{ t: item.picked, p: stop }, { t: item.picked + 0.6, p: [(glass.x1 + glass.x2) / 2, (glass.y1 + glass.y2) / 2] }, { t: item.released, p: slot }];
    return actionVia(cashierRest, 0.6, path, 0.5);
  });
  return { customerActions, cashierActions, leaveAt, payAt };
}

/** The cashier leans towards the hand that works: the body follows it a little. */
function cashierCentre(l: CheckoutLayout, t: number, actions: readonly Action[]): Vec {
  const base: Vec = [l.belt.x2 + 6, l.belt.y1 - 23];
  if (actions.length === 0) return [base[0] + 1.5 * Math.sin(t * 0.7), base[1]];
  const hand = handAt(actions, () => base, t);
  return [base[0] + Math.max(-8, Math.min(18, (hand[0] - base[0]) * 0.45)), base[1] + Math.sin(t * 0.7)];
}

function drawCheckoutEpisode(l: CheckoutLayout, cast: Cast, plan: readonly ItemPlan[], m: Moves, t: number, episode: number): Drawable[] {
  const centre = customerCentre(l, m.leaveAt, m.payAt, t);
  const walking = isWalking(l, m.leaveAt, m.payAt, t);
  const heading = walking ? 0 : CUSTOMER_UP;
  const swing = walking ? 5 * Math.sin(t * 7) : 0;
  const customerPose: PersonPose = {
    centre, heading,
    hands: [handAt(m.customerActions, (u) => restHand(customerCentre(l, m.leaveAt, m.payAt, u), heading, -1, swing), t), restHand(centre, heading, 1, swing)],
    grip: [plan.some((i) => t >= i.grabbed && t < i.placed) ? 1 : 0, 0],
  };
  const cashierBody = cashierCentre(l, t, m.cashierActions);
  const cashierPose: PersonPose = {
    centre: cashierBody, heading: CASHIER_DOWN,
    hands: [restHand(cashierBody, CASHIER_DOWN, -1, 0), handAt(m.cashierActions, () => restHand(cashierBody, CASHIER_DOWN, 1, 0), t)],
    grip: [0, plan.some((i) => t >= i.picked && t < i.released) ? 1 : 0],
  };
  const customer = personDrawables(`customer-${episode}`, cast.customer, customerPose, 10);
  const cashier = personDrawables('cashier', cast.cashier, cashierPose, 10);
  const off = cartOffset(cast.isBasket);
  const cartAt: Vec = [centre[0] + off[0], centre[1] + off[1]];
  const out: Drawable[] = [...customer.drawables, ...cashier.drawables, cartDrawable(`cart-${episode}`, cast.isBasket ? 'basket' : 'cart', cast.cartColour, cartAt, 0, 4)];
  for (const item of plan) {
    const place = itemPlace(l, item, t, cartAt, customer.arms[0].hand, cashier.arms[1].hand, m);
    if (place !== null) out.push(productDrawable(item.trackId, item.look, place.p, item.angle, place.z));
  }
  return out;
}

function itemPlace(l: CheckoutLayout, item: ItemPlan, t: number, cartAt: Vec, customerHand: Vec, cashierHand: Vec, m: Moves): { p: Vec; z: number } | null {
  if (t < item.grabbed) return { p: [cartAt[0] + item.inCart[0], cartAt[1] + item.inCart[1]], z: 5 };
  if (t < item.placed) return { p: customerHand, z: 11 };
  if (t < item.picked) {
    const action = m.customerActions.find((a) => a.keys.some((k) => k.t === item.placed));
    const from = action === undefined ? [75, 0] : along(action.keys, item.placed);
    const stopX = l.belt.x2 - item.look.length / 2 - 3;
    return { p: [Math.min(stopX, (from[0] ?? 75) + (t - item.placed) * l.beltSpeed), (l.belt.y1 + l.belt.y2) / 2], z: 3 };
  }
  if (t < item.released) return { p: cashierHand, z: 11 };
  const action = m.cashierActions.find((a) => a.keys.some((k) => k.t === item.released));
  return { p: action === undefined ? cashierHand : along(action.keys, item.released), z: 3 };
}
