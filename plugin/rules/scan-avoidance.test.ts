import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRule } from './rule-registry.js';
import { scannedPath, withPos } from './testing/checkout-paths.js';
import { CHECKOUT_ZONES, LANE, T0, idle, play, pos, productAt, type FrameSpec } from './testing/scene.js';

const env = { timezone: 'UTC', laneId: LANE };
/** Without the wait for a silent POS feed (it has its own test in scan-avoidance.test.ts), unless a test sets it. */
const rule = (config: Record<string, unknown> = {}) => createRule('scan_avoidance', { maxPosWaitSeconds: 0, ...config }, env);

/** The scanner stay runs from T0+1000 (entered) to T0+2000 (first frame outside). */
const CROSSED_AT = T0 + 1000;

test('scan_avoidance: a crossing with a sale line within the tolerance raises nothing', () => {
  const frames = [...scannedPath(1), { pos: [pos('sale', CROSSED_AT + 3000, { itemId: '4001' })] }, ...idle(30)];
  assert.deepEqual(play(rule(), CHECKOUT_ZONES, frames), []);
});

test('scan_avoidance: a crossing with no sale line fires once, after the tolerance and POS delay', () => {
  const hits = play(rule(), CHECKOUT_ZONES, [...scannedPath(1), ...idle(30)]);
  assert.equal(hits.length, 1);
  const [hit] = hits;
  assert.equal(hit?.rule, 'scan_avoidance');
  assert.equal(hit?.trackId, 1);
  assert.equal(hit?.attributes['route'], 'scanner');
  assert.equal(hit?.since, CROSSED_AT);
  // Left the scanner at +2 s; decided on the first frame after +2 + 4 (tolerance) + 2 (POS delay) s.
  assert.equal(hit?.at, T0 + 8500);
  assert.deepEqual(hit?.pos, []);
  assert.equal(hit?.severity, 'high');
  assert.ok((hit?.confidence ?? 0) > 0.5 && (hit?.confidence ?? 1) <= 1);
  assert.ok((hit?.evidence.from ?? Infinity) <= CROSSED_AT && (hit?.evidence.to ?? 0) >= T0 + 2000);
  assert.match(hit?.explanation ?? '', /product 1 crossed the scanner but no sale line .* within 4 s/);
});

test('scan_avoidance: a product going from load straight to bagging fires as a skip', () => {
  const frames: FrameSpec[] = [0.1, 0.1, 0.2, 0.65, 0.65].map((x) => ({ tracks: [productAt(3, x)] }));
  const hits = play(rule(), CHECKOUT_ZONES, [...frames, ...idle(30)]);
  assert.equal(hits.length, 1);
  assert.equal(hits[0]?.attributes['route'], 'skip');
  assert.match(hits[0]?.explanation ?? '', /product 3 went from the load area to bagging without passing the scanner; no sale line within 4 s/);
});

/** Product `id` on the load area for three frames, then straight into bagging (frame 3, +1.5 s). */
const skipPath = (id: number): FrameSpec[] => [0.1, 0.1, 0.2, 0.65, 0.65].map((x) => ({ tracks: [productAt(id, x)] }));

test('scan_avoidance: a skip is decided on the frame the product reaches bagging, without waiting for the POS', () => {
  const hits = play(rule({ maxPosWaitSeconds: 30 }), CHECKOUT_ZONES, [...skipPath(3), ...idle(80)]);
  assert.equal(hits.length, 1, 'one hit, not a second one when a pass times out');
  assert.equal(hits[0]?.at, T0 + 1500);
  assert.equal(hits[0]?.since, T0 + 1500, 'from leaving the load area (first seen outside it, in bagging)');
  assert.equal(hits[0]?.attributes['waitedSeconds'], 0);
});

test('scan_avoidance: a sale line already in near a skip makes it less clear-cut but stays for the scanned neighbour', () => {
  const clean = play(rule(), CHECKOUT_ZONES, [...skipPath(3), ...idle(4)])[0]?.confidence ?? 0;
  // Product 1 is scanned (+0.5..+1.5 s on the scanner) while product 3 goes round it; one sale line, product 1's.
  const both: FrameSpec[] = skipPath(3).map((f, i) => ({ tracks: [...(f.tracks ?? []), ...(scannedPath(1)[i]?.tracks ?? [])] }));
  const hits = play(rule({ cooldownSeconds: 0 }), CHECKOUT_ZONES, withPos([...both, ...idle(30)], 2, [pos('sale', T0 + 1000, { itemId: 'A' })]));
  assert.deepEqual(hits.map((h) => h.trackId), [3], 'the skip only: the scanned product keeps its line');
  assert.ok((hits[0]?.confidence ?? 1) < clean);
  assert.match(hits[0]?.explanation ?? '', /a sale line \(item A\) was rung meanwhile/);
});

test('scan_avoidance: a skipped product back in bagging again is not called twice', () => {
  const backAndForth: FrameSpec[] = [0.1, 0.1, 0.65, 0.65, 0.9, 0.9, 0.65, 0.65].map((x) => ({ tracks: [productAt(3, x)] }));
  assert.equal(play(rule({ cooldownSeconds: 0 }), CHECKOUT_ZONES, [...backAndForth, ...idle(30)]).length, 1);
});

test('scan_avoidance: a sale line that arrives late, after the crossing left the tolerance, still matches', () => {
  // Arrives at +7 s (frame 14) but was rung at +2.5 s on the camera clock.
  const frames = [...scannedPath(1), ...idle(8), { pos: [pos('sale', T0 + 2500)] }, ...idle(20)];
  assert.deepEqual(play(rule(), CHECKOUT_ZONES, frames), []);
});

test('scan_avoidance: out-of-order sale lines match two crossings; one line never covers two products', () => {
  const twoProducts: FrameSpec[] = scannedPath(1).map((f, i) => ({ tracks: [...(f.tracks ?? []), ...(scannedPath(2)[i]?.tracks ?? [])] }));
  const reversed = [pos('sale', T0 + 1800, { itemId: 'B', sequenceNumber: '7' }), pos('sale', T0 + 1200, { itemId: 'A', sequenceNumber: '7' })];
  assert.deepEqual(play(rule(), CHECKOUT_ZONES, [...twoProducts, { pos: reversed }, ...idle(30)]), []);
  const oneLine = [pos('sale', T0 + 1500, { itemId: 'A' })];
  const hits = play(rule({ cooldownSeconds: 0 }), CHECKOUT_ZONES, [...twoProducts, { pos: oneLine }, ...idle(30)]);
  assert.equal(hits.length, 1);
});

test('scan_avoidance: a sale line outside the tolerance or on another lane does not count', () => {
  const late = play(rule(), CHECKOUT_ZONES, [...scannedPath(1), { pos: [pos('sale', T0 + 9000)] }, ...idle(30)]);
  assert.equal(late.length, 1);
  assert.match(late[0]?.explanation ?? '', /crossed the scanner/);
  const otherLane = play(rule(), CHECKOUT_ZONES, [...scannedPath(1), { pos: [pos('sale', T0 + 1500, { laneId: 'lane-9' })] }, ...idle(30)]);
  assert.equal(otherLane.length, 1);
});

test('scan_avoidance: the cooldown keeps a second unmatched product on the lane quiet', () => {
  const second = scannedPath(2);
  const frames = [...scannedPath(1), ...second, ...idle(30)];
  assert.equal(play(rule(), CHECKOUT_ZONES, frames).length, 1, 'default cooldown 5 s');
  assert.equal(play(rule({ cooldownSeconds: 0 }), CHECKOUT_ZONES, frames).length, 2);
});

test('scan_avoidance: a rescan (back on the scanner before the pass is decided) is one crossing, matched by the later ring', () => {
  const rescan: FrameSpec[] = [0.1, 0.1, 0.4, 0.4, 0.2, 0.2, 0.4, 0.4, 0.65, 0.65].map((x) => ({ tracks: [productAt(1, x)] }));
  // Second pass on the scanner from +3 s to +4 s; the line rung at +8 s is within 4 s of it, not of the first pass.
  const frames = [...rescan, ...idle(6), { pos: [pos('sale', T0 + 8000)] }, ...idle(30)];
  assert.deepEqual(play(rule(), CHECKOUT_ZONES, frames), []);
  assert.equal(play(rule(), CHECKOUT_ZONES, [...rescan, ...idle(30)]).length, 1, 'no line at all: still one hit');
});

test('scan_avoidance: while the lane’s POS is silent (an outage) a crossing waits, up to maxPosWaitSeconds', () => {
  const live = { maxPosWaitSeconds: 30 };
  // Lines held in a 12 s outage arrive together at +14 s: the crossing is still waiting and matches its line.
  const outage = [...scannedPath(1), ...idle(22), { pos: [pos('sale', T0 + 1500, { itemId: 'A' }), pos('sale', T0 + 12_000, { itemId: 'B' })] }, ...idle(80)];
  assert.equal(play(rule(live), CHECKOUT_ZONES, outage).filter((h) => h.trackId === 1).length, 0);
  // Nothing ever comes: decided once the longest wait is over (left at +2 s, window closed at +6 s, +30 s wait).
  const silent = play(rule(live), CHECKOUT_ZONES, [...scannedPath(1), ...idle(80)]);
  assert.equal(silent.length, 1);
  assert.equal(silent[0]?.at, T0 + 36_500);
  // A live feed (another line after the window): without the watermark, decided after the usual delay; with it,
  // on the frame the line stamped past the window arrives (+8 s).
  const heardFrames = [...scannedPath(1), ...idle(10), { pos: [pos('sale', T0 + 30_000, { itemId: 'C' })] }, ...idle(10)];
  const heard = play(rule({ ...live, posWatermark: false }), CHECKOUT_ZONES, heardFrames);
  assert.equal(heard.length, 1);
  assert.equal(heard[0]?.at, T0 + 8500);
  assert.equal(play(rule(live), CHECKOUT_ZONES, heardFrames)[0]?.at, T0 + 8000);
});

/** A line of the lane that is no sale (it moves the POS clock on, matches no crossing). */
const other = (at: number, sequenceNumber: string) => pos('transaction_start', at, { sequenceNumber });

test('scan_avoidance: with an in-order POS feed, a crossing with no sale line is decided once the feed is past the window', () => {
  // Left the scanner at +2 s: window plus tolerance closes at +6 s; lines may come 0.5 s behind the stream (default).
  const frames = withPos(withPos([...scannedPath(1), ...idle(30)], 13, [other(T0 + 6400, '1')]), 14, [other(T0 + 6600, '2')]);
  const hits = play(rule(), CHECKOUT_ZONES, frames);
  assert.equal(hits.length, 1);
  assert.equal(hits[0]?.at, T0 + 7000, 'on the frame of the line stamped +6.6 s, not the one of +6.4 s, and before +8.5 s');
  assert.equal(play(rule({ posWatermark: false }), CHECKOUT_ZONES, frames)[0]?.at, T0 + 8500, 'the fixed wait');
});

test('scan_avoidance: a feed that has delivered lines late waits that much longer, so its late sale line still matches', () => {
  // The sale for the crossing (stamped +5 s) arrives at +8 s, after a line stamped +7 s.
  const afterCrossing = withPos(withPos([...scannedPath(1), ...idle(30)], 14, [other(T0 + 7000, '3')]), 16, [pos('sale', T0 + 5000, { itemId: 'A' })]);
  // Never late before: the watermark trusts the order and calls the crossing at +7 s (the late line then finds no pass).
  assert.equal(play(rule(), CHECKOUT_ZONES, afterCrossing).length, 1);
  // Earlier, a line came 3.5 s behind the stream: the watermark now needs the stream past +9.5 s; the late sale matches.
  const shownLate = withPos(withPos(afterCrossing, 0, [other(T0 + 1000, '1')]), 1, [other(T0 - 2500, '2')]);
  assert.deepEqual(play(rule(), CHECKOUT_ZONES, shownLate), []);
});

test('scan_avoidance: other labels are not products', () => {
  const hand: FrameSpec[] = [0.1, 0.4, 0.65].map((x) => ({ tracks: [productAt(1, x, 0.5, 'hand')] }));
  assert.deepEqual(play(rule(), CHECKOUT_ZONES, [...hand, ...idle(30)]), []);
});

test('scan_avoidance: reset forgets a pending crossing', () => {
  const r = rule();
  play(r, CHECKOUT_ZONES, scannedPath(1));
  r.reset?.();
  assert.deepEqual(play(r, CHECKOUT_ZONES, idle(30), T0 + 3000), []);
});

test('scan_avoidance: config is strict and validated', () => {
  assert.throws(() => rule({ tolerance: 4 }), /tolerance/);
  assert.throws(() => rule({ toleranceSeconds: -1 }));
});

/** The unseen pass is off by default. */
const LOST = { followLostProducts: true };

/** Product 1 on the belt towards the scanner, lost from sight at +1 s (in the cashier's grip); product 2 appears in bagging at +2.5 s. */
const brokenTrack = (lastX = 0.25): FrameSpec[] => [
  ...[0.1, 0.2, lastX].map((x) => ({ tracks: [productAt(1, x)] })),
  ...idle(2),
  { tracks: [productAt(2, 0.65)] },
  { tracks: [productAt(2, 0.65)] },
];

test('scan_avoidance: a product lost by the scanner that reappears in bagging with no sale line fires as unseen', () => {
  assert.deepEqual(play(rule(), CHECKOUT_ZONES, [...brokenTrack(), ...idle(30)]), [], 'off by default');
  const hits = play(rule(LOST), CHECKOUT_ZONES, [...brokenTrack(), ...idle(30)]);
  assert.equal(hits.length, 1);
  assert.equal(hits[0]?.trackId, 2);
  assert.equal(hits[0]?.attributes['route'], 'unseen');
  assert.equal(hits[0]?.attributes['lostTrackId'], 1);
  assert.equal(hits[0]?.since, T0 + 1000, 'from when it was lost');
  assert.match(hits[0]?.explanation ?? '', /product 2 appeared in bagging just after product 1 was lost from sight by the scanner/);
});

test('scan_avoidance: an unseen way with its sale line, or lost far from the scanner, raises nothing', () => {
  assert.deepEqual(play(rule(LOST), CHECKOUT_ZONES, withPos([...brokenTrack(), ...idle(30)], 3, [pos('sale', T0 + 1500, { itemId: 'A' })])), []);
  assert.deepEqual(play(rule(LOST), CHECKOUT_ZONES, [...brokenTrack(0.1), ...idle(30)]), [], 'lost at the far end of the belt: not linked');
});

test('scan_avoidance: a product seen on the scanner while another was out of sight is that one: no unseen pass asks for a second line', () => {
  // Product 3 on the scanner from +1.5 s to +2 s (its track started there), in bagging at +2.5 s; one sale line.
  const onScanner = brokenTrack().map((f, i) => (i === 3 || i === 4 ? { ...f, tracks: [productAt(3, 0.4)] } : i > 4 ? { ...f, tracks: [...(f.tracks ?? []), productAt(3, 0.75)] } : f));
  assert.deepEqual(play(rule({ ...LOST, cooldownSeconds: 0 }), CHECKOUT_ZONES, withPos([...onScanner, ...idle(30)], 3, [pos('sale', T0 + 1500)])), []);
});

test('scan_avoidance: the transaction’s end line arriving after the window decides it, without the wait for the next customer', () => {
  const end = pos('transaction_end', T0 + 3000, { sequenceNumber: '9' });
  const unseen = play(rule({ ...LOST, maxPosWaitSeconds: 30 }), CHECKOUT_ZONES, withPos([...brokenTrack(), ...idle(80)], 7, [end]));
  assert.equal(unseen[0]?.at, T0 + 3500, 'on the frame the end line arrived (the window closed at +2.5 s)');
  const crossed = play(rule({ maxPosWaitSeconds: 30 }), CHECKOUT_ZONES, withPos([...scannedPath(1), ...idle(80)], 5, [end]));
  assert.equal(crossed[0]?.at, T0 + 2500, 'a scanner crossing too');
  // An end line that came before the product left the scanner says nothing of its sale line.
  const before = play(rule({ maxPosWaitSeconds: 30 }), CHECKOUT_ZONES, withPos([...scannedPath(1), ...idle(80)], 3, [end]));
  assert.equal(before[0]?.at, T0 + 36_500, 'the longest wait');
  // A feed that has shown a line out of order may deliver a sale line after the total: the end line proves nothing.
  const shownLate = withPos(withPos(withPos([...scannedPath(1), ...idle(80)], 0, [other(T0 + 1000, '1')]), 1, [other(T0 - 2500, '2')]), 5, [end]);
  assert.notEqual(play(rule({ maxPosWaitSeconds: 30 }), CHECKOUT_ZONES, shownLate)[0]?.at, T0 + 2500);
});

test('scan_avoidance: a track lost on the scanner and taken up there by a new one is one product, asked for one sale line', () => {
  const lost = { ...productAt(1, 0.4), lastSeenAt: T0 + 1000 };
  const frames: FrameSpec[] = [
    { tracks: [productAt(1, 0.1)] }, { tracks: [productAt(1, 0.2)] }, { tracks: [productAt(1, 0.4)] },
    { tracks: [productAt(2, 0.42)], pos: [pos('sale', T0 + 1200, { itemId: 'A' })] }, { tracks: [productAt(2, 0.65)] },
    { removed: [lost] }, ...idle(30),
  ];
  assert.deepEqual(play(rule({ cooldownSeconds: 0 }), CHECKOUT_ZONES, frames), []);
  // Two products on the scanner, each seen throughout: one line leaves one of them unmatched.
  const both = withPos([...scannedPath(1).map((f, i) => ({ tracks: [...(f.tracks ?? []), ...(scannedPath(2)[i]?.tracks ?? [])] })), ...idle(30)], 2, [pos('sale', T0 + 1200)]);
  assert.equal(play(rule({ cooldownSeconds: 0 }), CHECKOUT_ZONES, both).length, 1);
});
