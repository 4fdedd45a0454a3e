import type { RuleHit } from './rule.js';

/**
 * Keeps a rule from repeating itself: a hit whose `dedupKey` was already raised is dropped, and after a hit the
 * same scope (a lane, a zone, a person) stays quiet for the cooldown. Keys are forgotten after `memoryMs`, so
 * memory follows the rule's windows, not the stream's length.
 */
export class HitGate {
  private readonly raisedKeys = new Map<string, number>();
  private readonly lastHitByScope = new Map<string, number>();
  private readonly memoryMs: number;

  constructor(
    private readonly cooldownMs: number,
    memoryMs = 15 * 60_000,
  ) {
    this.memoryMs = Math.max(memoryMs, cooldownMs);
  }

  /** True when the hit may be raised; records it either way, so a fact dropped by the cooldown stays dropped. */
  admit(hit: RuleHit, scope: string): boolean {
    this.forgetBefore(hit.at - this.memoryMs);
    if (this.raisedKeys.has(hit.dedupKey)) return false;
    this.raisedKeys.set(hit.dedupKey, hit.at);
    const last = this.lastHitByScope.get(scope);
    if (last !== undefined && hit.at - last < this.cooldownMs) return false;
    this.lastHitByScope.set(scope, hit.at);
    return true;
  }

  /** The admitted hits of a frame, each with its scope. */
  filter(hits: ReadonlyArray<{ readonly hit: RuleHit; readonly scope: string }>): RuleHit[] {
    return hits.filter(({ hit, scope }) => this.admit(hit, scope)).map(({ hit }) => hit);
  }

  reset(): void {
    this.raisedKeys.clear();
    this.lastHitByScope.clear();
  }

  private forgetBefore(at: number): void {
    for (const [key, raisedAt] of this.raisedKeys) if (raisedAt < at) this.raisedKeys.delete(key);
    for (const [scope, raisedAt] of this.lastHitByScope) if (raisedAt < at) this.lastHitByScope.delete(scope);
  }
}
