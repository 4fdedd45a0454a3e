import type { Key } from './motion.js';
import { along } from './motion.js';
import type { Vec } from './raster.js';

/** A hand's movement for a while: keys whose first and last positions are the hand's rest at those times. */
export interface Action {
  readonly keys: readonly Key[];
}

export const startOf = (a: Action): number => a.keys[0]?.t ?? 0;
export const endOf = (a: Action): number => a.keys[a.keys.length - 1]?.t ?? 0;

/** Where a hand is: inside one of its actions, on that action's path; otherwise at rest (body-relative). */
export function handAt(actions: readonly Action[], rest: (t: number) => Vec, t: number): Vec {
  const action = actions.find((a) => t >= startOf(a) && t <= endOf(a));
  return action === undefined ? rest(t) : along(action.keys, t);
}

/** An action from rest to `via` and back to rest, the keys' times given by `via`. */
export function actionVia(rest: (t: number) => Vec, lead: number, via: readonly Key[], tail: number): Action {
  const first = via[0];
  const last = via[via.length - 1];
  if (first === undefined || last === undefined) throw new Error('an action needs at least one key');
  const from = first.t - lead;
  const to = last.t + tail;
  return { keys: [{ t: from, p: rest(from) }, ...via, { t: to, p: rest(to) }] };
}

/** Body-relative rest of a hand: ahead of the body and a little to its side, swinging while walking. */
export function restHand(centre: Vec, heading: number, side: -1 | 1, swing: number): Vec {
  const f: Vec = [Math.cos(heading), Math.sin(heading)];
  const s: Vec = [-Math.sin(heading), Math.cos(heading)];
  const ahead = 9 + swing * side;
  return [centre[0] + f[0] * ahead + s[0] * 13 * side, centre[1] + f[1] * ahead + s[1] * 13 * side];
}
