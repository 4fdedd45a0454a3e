/** A ground-truth incident on the wall clock (scene time mapped through the scenario's origin). */
export interface TruthIncident {
  readonly type: string;
  readonly startMs: number;
  readonly endMs: number;
}

/** An event the plugin raised, with when its VMS alarm reached the receiver (null: it never arrived). */
export interface RaisedAlarm {
  readonly id: string;
  readonly type: string;
  /** The hit's moment (the event's occurredAt). */
  readonly atMs: number;
  /** The span of video the event's evidence covers (the tracked product's path, the concealing person's visit). */
  readonly fromMs: number;
  readonly toMs: number;
  readonly arrivedMs: number | null;
  /** When the plugin queued the event (after its clip was cut); absent on alarms recorded without it. */
  readonly queuedMs?: number | undefined;
  /** How long the rule waited after the condition's window closed before deciding (the event's `waitedSeconds`), when it says. */
  readonly ruleWaitMs?: number | null | undefined;
}

/**
 * Where one detected incident's latency went: from the incident's end to the rule's decision (the stream's lag,
 * detection and tracking, then the rule's own wait, `ruleWaitMs`, when the rule reports it); from the decision to
 * the alarm and the event in the outbox (`queueMs`); from there to the VMS receiver (`deliveryMs`, which can be a
 * little below 0: the alarm is queued, and sent, before the event).
 */
export interface LatencyParts {
  readonly totalMs: number;
  readonly toDecisionMs: number;
  readonly ruleWaitMs: number | null;
  readonly queueMs: number | null;
  readonly deliveryMs: number | null;
}

export interface RuleScore {
  tp: number;
  fp: number;
  fn: number;
}

export interface ScenarioMatch {
  readonly rules: Record<string, RuleScore>;
  /** Arrival at the VMS receiver minus the incident's end (the moment the item is past the scanner / under the coat). */
  readonly latenciesMs: number[];
  /** The same latencies, split by stage. */
  readonly latencies: LatencyParts[];
  /** Events raised whose alarm never reached the receiver (each leaves its incident a false negative). */
  readonly undelivered: number;
}

/**
 * Matches the alarms that reached the VMS with the incidents of the truth: same type, the event's evidence span
 * overlapping the incident's span widened by `toleranceMs` on both sides, each incident and each alarm used once
 * (earliest first). The hit itself may come seconds after the incident: a scan avoidance is called only once the
 * sale line had its chance to arrive.
 * An alarm that never arrived detects nothing: the operator never saw it. A second alarm for one incident is a
 * false positive.
 */
export function matchScenario(incidents: readonly TruthIncident[], alarms: readonly RaisedAlarm[], rules: readonly string[], toleranceMs: number): ScenarioMatch {
  const score: Record<string, RuleScore> = Object.fromEntries(rules.map((r) => [r, { tp: 0, fp: 0, fn: 0 }]));
  const scoreOf = (type: string): RuleScore => (score[type] ??= { tp: 0, fp: 0, fn: 0 });
  const delivered = alarms.filter((a) => a.arrivedMs !== null).sort((a, b) => a.atMs - b.atMs);
  const used = new Set<string>();
  const latencies: LatencyParts[] = [];
  for (const incident of [...incidents].sort((a, b) => a.startMs - b.startMs)) {
    const hit = delivered.find((a) => !used.has(a.id) && a.type === incident.type && a.toMs >= incident.startMs - toleranceMs && a.fromMs <= incident.endMs + toleranceMs);
    if (hit === undefined) {
      scoreOf(incident.type).fn += 1;
      continue;
    }
    used.add(hit.id);
    scoreOf(incident.type).tp += 1;
    latencies.push(partsOf(hit, incident.endMs));
  }
  for (const alarm of delivered) if (!used.has(alarm.id)) scoreOf(alarm.type).fp += 1;
  return { rules: score, latenciesMs: latencies.map((l) => l.totalMs), latencies, undelivered: alarms.length - delivered.length };
}

function partsOf(alarm: RaisedAlarm, incidentEndMs: number): LatencyParts {
  const arrived = alarm.arrivedMs ?? alarm.atMs;
  const queued = alarm.queuedMs;
  return {
    totalMs: arrived - incidentEndMs,
    toDecisionMs: alarm.atMs - incidentEndMs,
    ruleWaitMs: alarm.ruleWaitMs ?? null,
    queueMs: queued === undefined ? null : queued - alarm.atMs,
    deliveryMs: queued === undefined ? null : arrived - queued,
  };
}

/** Precision and recall; null where there is nothing to divide by (no alarm, no incident). */
export function precisionOf(s: RuleScore): number | null {
  return s.tp + s.fp === 0 ? null : s.tp / (s.tp + s.fp);
}

export function recallOf(s: RuleScore): number | null {
  return s.tp + s.fn === 0 ? null : s.tp / (s.tp + s.fn);
}
