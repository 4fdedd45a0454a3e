import type { Drawable } from './drawable.js';
import { distance, lerp } from './motion.js';
import type { Rgb, Vec } from './raster.js';
import { shade } from './raster.js';
import type { Rng } from './rng.js';

/** How a person looks from above; drawn once per frame at a pose. */
export interface Look {
  readonly shirt: Rgb;
  readonly hair: Rgb;
  readonly skin: Rgb;
  /** Shoulder width, reference pixels. */
  readonly shoulders: number;
  readonly isLongSleeved: boolean;
}

const SHIRTS: readonly Rgb[] = [[176, 40, 40], [40, 70, 150], [40, 120, 60], [200, 200, 200], [30, 30, 34], [150, 110, 60], [120, 50, 130], [220, 170, 40], [70, 140, 160], [90, 90, 96]];
const HAIR: readonly Rgb[] = [[25, 20, 18], [70, 45, 25], [150, 110, 60], [200, 190, 170], [110, 30, 20], [60, 60, 60]];
const SKIN: readonly Rgb[] = [[240, 200, 170], [210, 160, 120], [170, 120, 80], [120, 80, 55], [90, 60, 40]];

export function randomLook(rng: Rng): Look {
  const tint = rng.range(0.8, 1.15);
  return {
    shirt: shade(rng.pick(SHIRTS), tint),
    hair: rng.pick(HAIR),
    skin: rng.pick(SKIN),
    shoulders: rng.range(24, 32),
    isLongSleeved: rng.chance(0.4),
  };
}

/** Where a person is and where they hold their hands; `heading` is the direction they face, radians. */
export interface PersonPose {
  readonly centre: Vec;
  readonly heading: number;
  readonly hands: readonly [Vec, Vec];
  /** 0 open .. 1 gripping: a gripping hand is smaller. */
  readonly grip?: readonly [number, number];
}

export interface ResolvedArm {
  readonly shoulder: Vec;
  readonly elbow: Vec;
  readonly hand: Vec;
}

const armLength = (look: Look): number => look.shoulders * 1.5;

/** Shoulders, elbows and hands; a hand beyond reach is pulled back along its arm. */
export function resolveArms(look: Look, pose: PersonPose): [ResolvedArm, ResolvedArm] {
  const [cx, cy] = pose.centre;
  const side: Vec = [-Math.sin(pose.heading), Math.cos(pose.heading)];
  const half = look.shoulders * 0.42;
  const arm = (sign: number, target: Vec): ResolvedArm => {
    const shoulder: Vec = [cx + side[0] * half * sign, cy + side[1] * half * sign];
    const reach = armLength(look);
    const d = distance(shoulder, target);
    const hand = d > reach ? lerp(shoulder, target, reach / d) : target;
    const span = Math.min(d, reach);
    // Elbows bend outwards; the shorter the span, the further out.
    const bend = Math.sqrt(Math.max(0, (reach / 2) ** 2 - (span / 2) ** 2));
    const mid = lerp(shoulder, hand, 0.5);
    const elbow: Vec = [mid[0] + side[0] * bend * sign * 0.8, mid[1] + side[1] * bend * sign * 0.8];
    return { shoulder, elbow, hand };
  };
  return [arm(-1, pose.hands[0]), arm(1, pose.hands[1])];
}

export const handRadius = (look: Look): number => look.shoulders * 0.12;

function bodyDrawable(trackId: string, look: Look, pose: PersonPose, arms: readonly ResolvedArm[], z: number): Drawable {
  const { centre, heading } = pose;
  const forward: Vec = [Math.cos(heading), Math.sin(heading)];
  const at = (k: number): Vec => [centre[0] + forward[0] * k, centre[1] + forward[1] * k];
  const w = look.shoulders;
  return {
    trackId, cls: 'person', z,
    draw(pen, id) {
      pen.ellipse(at(-w * 0.05), w * 0.5, w * 0.27, heading + Math.PI / 2, look.shirt, id);
      pen.ellipse(at(w * 0.08), w * 0.34, w * 0.2, heading + Math.PI / 2, shade(look.shirt, 0.8), id);
      for (const a of arms) {
        pen.capsule(a.shoulder, a.elbow, w * 0.1, shade(look.shirt, 0.9), id);
        pen.capsule(a.elbow, lerp(a.elbow, a.hand, 0.85), w * 0.08, look.isLongSleeved ? shade(look.shirt, 0.9) : shade(look.skin, 0.95), id);
      }
      pen.circle(at(w * 0.04), w * 0.22, look.hair, id);
      pen.ellipse(at(w * 0.17), w * 0.1, w * 0.13, heading, look.skin, id);
    },
  };
}

function handDrawable(trackId: string, personId: string, look: Look, arm: ResolvedArm, grip: number, z: number): Drawable {
  const dir = Math.atan2(arm.hand[1] - arm.elbow[1], arm.hand[0] - arm.elbow[0]);
  const r = handRadius(look) * (1 - 0.25 * grip);
  const unit: Vec = [Math.cos(dir), Math.sin(dir)];
  const wrist: Vec = [arm.hand[0] - unit[0] * r, arm.hand[1] - unit[1] * r];
  const tip: Vec = [arm.hand[0] + unit[0] * r * (1.6 - 0.5 * grip), arm.hand[1] + unit[1] * r * (1.6 - 0.5 * grip)];
  return {
    trackId, cls: 'hand', z, partOf: personId,
    keypoints: [{ name: 'wrist', p: wrist }, { name: 'palm', p: arm.hand }, { name: 'fingertip', p: tip }],
    draw(pen, id) {
      pen.ellipse(arm.hand, r * 1.15, r * 0.9, dir, look.skin, id);
      // Fingers: a narrower lobe ahead of the palm that shrinks as the hand closes.
      pen.ellipse(lerp(arm.hand, tip, 0.55), r * (0.75 - 0.3 * grip), r * 0.6, dir, shade(look.skin, 0.93), id);
    },
  };
}

/** A person as drawables: the body with its arms (z), then both hands on top (z + 2, over what they hold). */
export function personDrawables(trackId: string, look: Look, pose: PersonPose, z: number): { drawables: Drawable[]; arms: [ResolvedArm, ResolvedArm] } {
  const arms = resolveArms(look, pose);
  const grip = pose.grip ?? [0, 0];
  return {
    arms,
    drawables: [
      bodyDrawable(trackId, look, pose, arms, z),
      handDrawable(`${trackId}.hand-l`, trackId, look, arms[0], grip[0], z + 2),
      handDrawable(`${trackId}.hand-r`, trackId, look, arms[1], grip[1], z + 2),
    ],
  };
}
