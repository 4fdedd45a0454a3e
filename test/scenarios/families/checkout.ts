import { centre, pointIn, type Point } from '../geometry.js';
import type { Layout } from '../layout.js';
import { Path } from '../path.js';
import type { Rng } from '../prng.js';
import { LANE, type Actor, type PosScript } from '../world.js';
import { handSpeed, person, product } from './actors.js';

/**
 * How a product goes through the lane: scanned (with a sale line), skipped (lifted from the load area over the
 * scanner to bagging, no sale line), rescanned (the first pass did not beep: back towards the load area and over
 * the scanner again, one sale line at the second pass), faked (passed over the scanner, no sale line: sweethearting),
 * or scanned and taken back to the load area (a void before bagging).
 */
export type PassKind = 'scan' | 'rescan' | 'skip' | 'fake' | 'return';

export interface Pass {
  readonly actor: Actor;
  readonly kind: PassKind;
  readonly itemId: string;
  readonly amount: number;
  readonly leftLoadAt: number;
  /** When the product was over the scanner (undefined for a skip). */
  readonly scanAt: number | undefined;
  /** When it reached the bagging area (undefined when taken back). */
  readonly baggedAt: number | undefined;
  /** When the next product may leave the load area. */
  readonly clearAt: number;
  readonly vanishedAt: number | undefined;
}

export interface PassOptions {
  /** How long the product stays visible in the bagging area before it goes into a bag. */
  readonly bagStayMs: number;
}

const itemId = (rng: Rng): string => `40${rng.int(10_000_000, 99_999_999)}`;

function scannerPoint(rng: Rng, layout: Layout): Point {
  const [x, y] = centre(layout.scanner);
  return [x + rng.jitter(0.01), y + rng.jitter(0.01)];
}

function overScanner(rng: Rng, layout: Layout, path: Path, kind: PassKind, bagStayMs: number): { scanAt: number; baggedAt: number | undefined } {
  path.moveTo(scannerPoint(rng, layout), handSpeed(rng));
  if (kind === 'rescan') {
    const back: Point = [(layout.load.x2 + path.point[0]) / 2 - 0.02, path.point[1]];
    path.wait(rng.range(300, 700)).moveTo(back, handSpeed(rng)).wait(rng.range(300, 800)).moveTo(scannerPoint(rng, layout), handSpeed(rng));
  }
  const scanAt = path.time + rng.range(200, 500);
  path.wait(rng.range(600, 1400));
  if (kind === 'return') {
    path.moveTo(pointIn(rng, layout.load), handSpeed(rng)).wait(rng.range(1500, 3000)).vanish();
    return { scanAt, baggedAt: undefined };
  }
  path.moveTo(pointIn(rng, layout.bagging, 0.3), handSpeed(rng));
  const baggedAt = path.time;
  path.wait(bagStayMs).vanish();
  return { scanAt, baggedAt };
}

function overTheTop(rng: Rng, layout: Layout, path: Path, bagStayMs: number): number {
  const speed = handSpeed(rng);
  const bag = pointIn(rng, layout.bagging, 0.3);
  path.moveTo([path.point[0], layout.skipY], speed).moveTo([bag[0], layout.skipY], speed).moveTo(bag, speed);
  const baggedAt = path.time;
  path.wait(bagStayMs).vanish();
  return baggedAt;
}

/** One product's pass, starting when it is put on the load area at `start`. */
export function checkoutPass(rng: Rng, layout: Layout, name: string, start: number, kind: PassKind, options: PassOptions): Pass {
  const path = new Path(start, pointIn(rng, layout.load, 0.3)).wait(rng.range(800, 2000));
  const leftLoadAt = path.time;
  const base = { actor: product(name, path), kind, itemId: itemId(rng), amount: Math.round(rng.range(0.5, 40) * 100) / 100, leftLoadAt };
  if (kind === 'skip') {
    const baggedAt = overTheTop(rng, layout, path, options.bagStayMs);
    return { ...base, scanAt: undefined, baggedAt, clearAt: baggedAt, vanishedAt: path.vanished };
  }
  const { scanAt, baggedAt } = overScanner(rng, layout, path, kind, options.bagStayMs);
  return { ...base, scanAt, baggedAt, clearAt: scanAt + 1500, vanishedAt: path.vanished };
}

export interface Transaction {
  readonly passes: readonly Pass[];
  readonly actors: readonly Actor[];
  readonly pos: readonly PosScript[];
  readonly startAt: number;
  readonly endAt: number;
}

function saleLine(rng: Rng, pass: Pass, seq: string): PosScript {
  return { at: (pass.scanAt ?? pass.leftLoadAt) + rng.gauss(300), kind: 'sale', laneId: LANE, sequenceNumber: seq, itemId: pass.itemId, amount: pass.amount };
}

/** A transaction of products through the lane, with its POS lines (start, sales of the scanned ones, tender, end). */
export function transaction(rng: Rng, layout: Layout, start: number, kinds: readonly PassKind[], options: PassOptions & { seq: string; closed?: boolean }): Transaction {
  const passes: Pass[] = [];
  let t = start + rng.range(1000, 3000);
  kinds.forEach((kind, i) => {
    const pass = checkoutPass(rng, layout, `product-${i + 1}`, t, kind, options);
    passes.push(pass);
    const isPlain = kind !== 'skip' && kind !== 'fake' && (kinds[i + 1] ?? 'scan') !== 'skip' && (kinds[i + 1] ?? 'scan') !== 'fake';
    // The next product appears about a second before it leaves the load area.
    t = pass.clearAt + (isPlain ? rng.range(500, 3000) : rng.range(2000, 4000)) - 1000;
  });
  const lastBag = Math.max(...passes.map((p) => p.baggedAt ?? p.clearAt));
  const endAt = lastBag + rng.range(3000, 8000);
  const at = (ms: number, kind: PosScript['kind'], amount: number | null = null, droppable = false): PosScript => ({ at: ms, kind, laneId: LANE, sequenceNumber: options.seq, itemId: null, amount, droppable });
  const total = passes.reduce((sum, p) => sum + p.amount, 0);
  const pos: PosScript[] = [at(start, 'transaction_start', null, true), ...passes.filter((p) => p.kind === 'scan' || p.kind === 'rescan' || p.kind === 'return').map((p) => saleLine(rng, p, options.seq))];
  if (options.closed !== false) pos.push(at(endAt - 1500, 'tender', Math.round(total * 100) / 100), at(endAt, 'transaction_end'));
  return { passes, actors: passes.map((p) => p.actor), pos, startAt: start, endAt };
}

/** The cashier behind the counter and, optionally, the customer in front of it, for the whole scenario. */
export function laneStaff(rng: Rng, layout: Layout, start: number, withCustomer: boolean): Actor[] {
  const cashier = person('cashier', new Path(start, pointIn(rng, layout.cashier, 0.3)));
  if (!withCustomer) return [cashier];
  return [cashier, person('customer', new Path(start, pointIn(rng, layout.customer, 0.3)))];
}
