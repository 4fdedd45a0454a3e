import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { BUILTIN_JOURNAL_GRAMMARS, JournalLineParser } from '../../adapters/pos/journal/index.js';
import { frameTruthSchema, SyntheticScene, type FrameTruth } from './index.js';

const digest = (rgb: Uint8Array): string => createHash('sha256').update(rgb).digest('hex');

function framesOf(scene: SyntheticScene, indexes: readonly number[]): Array<{ hash: string; truth: FrameTruth }> {
  return indexes.map((i) => {
    const { rgb, truth } = scene.render(i);
    return { hash: digest(rgb), truth };
  });
}

for (const name of ['checkout', 'aisle'] as const) {
  test(`${name}: the same seed renders identical frames and labels, another seed different ones`, () => {
    const indexes = [0, 37, 125, 250];
    const a = framesOf(new SyntheticScene({ scene: name, seed: 11 }), indexes);
    // Frames are rendered on demand in any order: a second scene, asked backwards, agrees.
    const b = framesOf(new SyntheticScene({ scene: name, seed: 11 }), [...indexes].reverse()).reverse();
    assert.deepEqual(a, b);
    const c = framesOf(new SyntheticScene({ scene: name, seed: 12 }), indexes);
    for (let k = 0; k < indexes.length; k++) {
      assert.notEqual(a[k]?.hash, c[k]?.hash, `frame ${indexes[k]} differs between seeds`);
      assert.notDeepEqual(a[k]?.truth.boxes, c[k]?.truth.boxes);
    }
    for (const f of a) frameTruthSchema.parse(f.truth);
  });

  test(`${name}: truth boxes are tight around what was drawn, and nothing was drawn outside them`, () => {
    const scene = new SyntheticScene({ scene: name, seed: 5, width: 320, height: 240 });
    for (const index of [40, 90, 130]) {
      const frame = Uint8Array.from(scene.render(index).rgb);
      const { truth } = scene.render(index);
      const empty = scene.renderEmpty(index);
      const { width, height } = truth;
      const isDrawn = (x: number, y: number): boolean => {
        const o = (y * width + x) * 3;
        return frame[o] !== empty[o] || frame[o + 1] !== empty[o + 1] || frame[o + 2] !== empty[o + 2];
      };
      assert.ok(truth.boxes.some((b) => b.cls === 'person'), `frame ${index} shows a person`);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          if (!isDrawn(x, y)) continue;
          assert.ok(truth.boxes.some((b) => x >= b.x1 && x < b.x2 && y >= b.y1 && y < b.y2), `pixel (${x},${y}) of frame ${index} was drawn outside every box`);
        }
      }
      for (const b of truth.boxes) {
        const row = (y: number): boolean => Array.from({ length: b.x2 - b.x1 }, (_, k) => b.x1 + k).some((x) => isDrawn(x, y));
        const col = (x: number): boolean => Array.from({ length: b.y2 - b.y1 }, (_, k) => b.y1 + k).some((y) => isDrawn(x, y));
        assert.ok(row(b.y1) && row(b.y2 - 1) && col(b.x1) && col(b.x2 - 1), `${b.trackId} in frame ${index}: every edge of its box touches drawn pixels`);
      }
    }
  });
}

test('every person box holds both of its hands, and hand keypoints sit in their hand’s box', () => {
  const scene = new SyntheticScene({ scene: 'checkout', seed: 3 });
  const { truth } = scene.render(60);
  for (const hand of truth.hands) {
    const person = truth.boxes.find((b) => b.trackId === hand.personId);
    const box = truth.boxes.find((b) => b.trackId === hand.trackId);
    if (person === undefined || box === undefined) continue;
    assert.ok(box.x1 >= person.x1 && box.x2 <= person.x2 && box.y1 >= person.y1 && box.y2 <= person.y2);
    const palm = hand.points.find((p) => p.name === 'palm');
    assert.ok(palm !== undefined && palm.x >= box.x1 - 1 && palm.x <= box.x2 + 1 && palm.y >= box.y1 - 1 && palm.y <= box.y2 + 1);
  }
  assert.ok(truth.hands.length >= 2);
});

test('scan avoidance: the avoided item is labelled as an incident and is absent from the POS journal, every other item is scanned', () => {
  const scene = new SyntheticScene({ scene: 'checkout', seed: 21, script: 'incident' });
  const seconds = scene.episodeSeconds * 3;
  const incidents = scene.incidents(seconds);
  assert.equal(incidents.length, 3, 'one scan avoidance a transaction');
  const { lines, events } = scene.journal(seconds);
  const parser = new JournalLineParser(BUILTIN_JOURNAL_GRAMMARS['ncr-ej'] ?? assert.fail('ncr-ej grammar'));
  const parsed = lines.map((line) => parser.parse(line, scene.options.startMs));
  assert.ok(parsed.every((r) => r.status === 'event'), 'every journal line parses with the ncr-ej grammar');
  const sold = events.filter((e) => e.kind === 'sale').map((e) => e.itemId);
  for (const incident of incidents) {
    assert.equal(incident.type, 'scan_avoidance');
    assert.ok(incident.end > incident.start);
    assert.ok(!sold.includes(incident.itemId), `avoided item ${incident.itemId} is not in the journal`);
  }
  // The avoided product is on screen while it is carried: its box is in the truth of a frame mid-incident.
  const first = incidents[0] ?? assert.fail('an incident');
  const mid = Math.round(((first.start + first.end) / 2) * scene.options.fps);
  assert.ok(scene.render(mid).truth.boxes.some((b) => b.trackId === first.trackId && b.cls === 'product'));
  const normal = new SyntheticScene({ scene: 'checkout', seed: 21, script: 'normal' });
  assert.equal(normal.incidents(seconds).length, 0);
  const normalSales = normal.journal(seconds).events.filter((e) => e.kind === 'sale');
  assert.ok(normalSales.length > sold.length, 'the same customers with nothing avoided ring up more items');
});

test('the aisle’s concealment script labels the hidden product', () => {
  const scene = new SyntheticScene({ scene: 'aisle', seed: 4, script: 'incident' });
  const incidents = scene.incidents(scene.episodeSeconds * 2);
  assert.equal(incidents.length, 2);
  for (const i of incidents) assert.equal(i.type, 'concealment');
  assert.deepEqual(scene.journal(scene.episodeSeconds * 2).lines, []);
});

test('a scene refuses options out of bounds with config_invalid', () => {
  assert.throws(() => new SyntheticScene({ scene: 'checkout', seed: -1 }), { code: 'config_invalid' });
  assert.throws(() => new SyntheticScene({ scene: 'checkout', seed: 1, width: 8 }), { code: 'config_invalid' });
});
