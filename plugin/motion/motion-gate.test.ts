import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAppError } from '../../contracts/index.js';
import type { PixelSource } from './downscale-gray.js';
import { RunningAverageMotionGate } from './motion-gate.js';

const W = 320;
const H = 240;

/** A textured rgb24 scene with deterministic sensor noise and optional grey squares ([x, y, size] in pixels). */
function scene(seed: number, squares: ReadonlyArray<readonly [number, number, number]> = []): PixelSource {
  const data = new Uint8Array(W * H * 3);
  let noise = seed * 7919 + 1;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      noise = (noise * 1103515245 + 12345) % 2147483648;
      const base = 60 + ((x >> 4) + (y >> 4)) % 2 * 40 + (noise % 9) - 4;
      const p = (y * W + x) * 3;
      data[p] = base;
      data[p + 1] = base + 10;
      data[p + 2] = base - 10;
    }
  }
  for (const [sx, sy, size] of squares) {
    for (let y = sy; y < Math.min(H, sy + size); y++) {
      for (let x = sx; x < Math.min(W, sx + size); x++) data.fill(230, (y * W + x) * 3, (y * W + x) * 3 + 3);
    }
  }
  return { width: W, height: H, format: 'rgb24', data };
}

test('a static, noisy scene shows no motion once the background is learnt', () => {
  const gate = new RunningAverageMotionGate();
  const results = Array.from({ length: 12 }, (_, i) => gate.update(scene(i)));
  assert.ok(results[0]?.isCalibrating, 'the first frame teaches the background');
  for (const r of results.slice(3)) {
    assert.equal(r.hasMotion, false);
    assert.equal(r.regions.length, 0);
  }
});

test('a moving square gives one region where it is, in normalised coordinates', () => {
  const gate = new RunningAverageMotionGate();
  for (let i = 0; i < 4; i++) gate.update(scene(i));
  for (let step = 0; step < 5; step++) {
    const x = 40 + step * 30;
    const r = gate.update(scene(10 + step, [[x, 100, 40]]));
    assert.equal(r.hasMotion, true, `step ${step}`);
    const [region] = r.regions;
    assert.ok(region !== undefined);
    // The region covers the square (and, while the background catches up, where it just was), nothing far off.
    const [x1, y1, x2, y2] = region.box;
    assert.ok(x1 <= x / W && x2 >= (x + 40) / W, `x ${x1}..${x2} covers ${x / W}..${(x + 40) / W}`);
    assert.ok(y1 <= 100 / H && y2 >= 140 / H && y1 > 80 / H && y2 < 160 / H, `y ${y1}..${y2}`);
    assert.ok(x1 > (x - 50) / W, `x1 ${x1} trails too far`);
  }
});

test('motion outside the active zones does not open the gate; inside it does', () => {
  const leftHalf: Array<[number, number]> = [[0, 0], [0.5, 0], [0.5, 1], [0, 1]];
  const gate = new RunningAverageMotionGate({ zones: [leftHalf] });
  for (let i = 0; i < 4; i++) gate.update(scene(i));
  const right = gate.update(scene(20, [[220, 100, 40]]));
  assert.equal(right.hasMotion, false);
  assert.equal(right.changedFraction, 0);
  gate.update(scene(21));
  gate.update(scene(22));
  const left = gate.update(scene(23, [[40, 100, 40]]));
  assert.equal(left.hasMotion, true);
  assert.ok(left.regions.every((r) => r.box[2] <= 0.5 + 1e-9), 'regions are clipped to the zone');
});

test('a sudden global change (lights) recalibrates instead of reporting the whole frame as regions', () => {
  const gate = new RunningAverageMotionGate();
  for (let i = 0; i < 4; i++) gate.update(scene(i));
  const bright = scene(9);
  for (let i = 0; i < bright.data.length; i++) bright.data[i] = Math.min(255, (bright.data[i] ?? 0) + 80);
  const r = gate.update(bright);
  assert.equal(r.isCalibrating, true);
  const after = gate.update({ ...bright, data: bright.data.slice() });
  assert.equal(after.hasMotion, false, 'the new scene is the background now');
});

test('an invalid motion config is refused with config_invalid', () => {
  assert.throws(() => new RunningAverageMotionGate({ alpha: 0 }), (e) => isAppError(e) && e.code === 'config_invalid');
});
