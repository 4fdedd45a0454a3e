import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SegmentIndex, parseSegmentList } from './segment-index.js';

test('segment list parser keeps well-formed lines and skips anything else', () => {
  const text = 'r1-000000.ts,0.000000,2.000000\ngarbage\n../evil.ts,1,2\nr1-000001.ts,2.000000,4.100000\nr1-000002.ts,5,4\n';
  assert.deepEqual(parseSegmentList(text), [
    { file: 'r1-000000.ts', start: 0, end: 2 },
    { file: 'r1-000001.ts', start: 2, end: 4.1 },
  ]);
});

test('index anchors a run to the wall clock by the earliest observation and ignores repeated entries', () => {
  const index = new SegmentIndex('/seg');
  index.ingest('r1', [{ file: 'r1-000000.ts', start: 0, end: 2 }], 10_300, () => 100);
  const added = index.ingest('r1', [{ file: 'r1-000000.ts', start: 0, end: 2 }, { file: 'r1-000001.ts', start: 2, end: 4 }], 12_050, () => 100);
  assert.equal(added.length, 1, 'the repeated entry is not added twice');
  // Origins observed: 8_300 and 8_050; the later, lower-latency one anchors the new segment.
  assert.deepEqual(added.map((s) => [s.startedAt, s.endedAt]), [[10_050, 12_050]]);
  assert.deepEqual(index.covering(9_000, 10_100).map((s) => s.file), ['r1-000000.ts', 'r1-000001.ts']);
  assert.equal(index.latestEnd(), 12_050);
});

test('prune drops segments older than the window, then the oldest over the byte cap, never pinned ones', () => {
  const index = new SegmentIndex('/seg');
  const entries = Array.from({ length: 10 }, (_, i) => ({ file: `r1-${String(i).padStart(6, '0')}.ts`, start: i, end: i + 1 }));
  index.ingest('r1', entries, 10_000, () => 1_000);
  assert.equal(index.all()[0]?.startedAt, 0);
  const pinned = new Set(['/seg/r1-000001.ts']);
  const byAge = index.prune(10_000, 5_000, 1_000_000, pinned);
  assert.deepEqual(byAge.map((s) => s.file), ['r1-000000.ts', 'r1-000002.ts', 'r1-000003.ts']);
  const bySize = index.prune(10_000, 5_000, 4_000, pinned);
  assert.deepEqual(bySize.map((s) => s.file), ['r1-000004.ts', 'r1-000005.ts', 'r1-000006.ts']);
  assert.equal(index.bytes(), 4_000);
  index.prune(10_000, 5_000, 500, pinned);
  assert.deepEqual(index.all().map((s) => s.file), ['r1-000001.ts'], 'a pinned segment stays even over the cap');
});
