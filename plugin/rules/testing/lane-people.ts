import type { Zone } from '../../tracking/index.js';
import { personAt, rect, type FrameSpec } from './scene.js';

/** A lane seen from above the register: the customer side at the bottom, the cashier's side at the top. */
export const LANE_ZONES: readonly Zone[] = [rect('customer side', 'customer', 0, 0.5, 1, 1), rect('cashier', 'staff', 0, 0, 1, 0.5)];
export const CUSTOMER_AT_LANE: FrameSpec = { tracks: [personAt(5, 0.5, 0.9)] };
export const CASHIER_ONLY: FrameSpec = { tracks: [personAt(6, 0.5, 0.4)] };
