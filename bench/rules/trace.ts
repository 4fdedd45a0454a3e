// Shows one scenario as the rules see it: its POS script, truth, every confirmed track with the zones it entered,
// and the hits of its rule. Usage: node --import tsx bench/rules/trace.ts <rule> <index> [--seed S] [--clean-pos]
import { parseArgs } from 'node:util';
import type { Rule, RuleInput } from '../../plugin/rules/index.js';
import { isRegistered, runOne } from '../../test/scenarios/evaluate.js';
import { runScenario } from '../../test/scenarios/runner.js';
import { scenariosFor, SUITES } from '../../test/scenarios/suite.js';
import type { Scenario } from '../../test/scenarios/world.js';

interface Seen {
  label: string;
  first: number;
  last: number;
  zones: Set<string>;
}

const secs = (s: Scenario, t: number): string => ((t - s.start) / 1000).toFixed(1);

/** A rule that only watches: which confirmed tracks there were and which zones they entered when. */
function probe(s: Scenario, seen: Map<number, Seen>): Rule {
  return {
    name: 'probe',
    evaluate(input: RuleInput) {
      for (const t of input.tracks.filter((x) => x.state === 'confirmed')) {
        const record = seen.get(t.id) ?? { label: t.label, first: input.at, last: input.at, zones: new Set<string>() };
        record.last = input.at;
        seen.set(t.id, record);
      }
      for (const v of input.visits) seen.get(v.trackId)?.zones.add(`${v.zone}@${secs(s, v.enteredAt)}`);
      return [];
    },
  };
}

function main(): void {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { seed: { type: 'string', default: '1' }, 'clean-pos': { type: 'boolean', default: false } } });
  const [rule, index] = [positionals[0] ?? '', Number(positionals[1] ?? '0')];
  const suite = SUITES.find((s) => s.rule === rule);
  if (suite === undefined) throw new Error(`no scenarios for ${rule}; known: ${SUITES.map((s) => s.rule).join(', ')}`);
  const scenario = scenariosFor(suite, index + 1, Number(values.seed))[index];
  if (scenario === undefined) throw new Error('no such scenario');
  const options = { cleanPos: values['clean-pos'] };
  process.stdout.write(`${scenario.name} (${secs(scenario, scenario.end)} s, keypoints ${scenario.keypoints})\n`);
  process.stdout.write(`truth: ${scenario.truth.map((t) => `${t.what} [${secs(scenario, t.from)}, ${secs(scenario, t.to)}]`).join('; ') || 'none'}\n`);
  process.stdout.write(`pos: ${scenario.pos.map((p) => `${p.kind}@${secs(scenario, p.at)}${p.laneId === 'lane-1' ? '' : `(${p.laneId})`}`).join(' ') || 'none'}\n`);
  const seen = new Map<number, Seen>();
  runScenario(scenario, probe(scenario, seen), options);
  for (const [id, r] of seen) process.stdout.write(`track ${id} ${r.label} ${secs(scenario, r.first)}–${secs(scenario, r.last)} s: ${[...r.zones].join(' ')}\n`);
  if (!isRegistered(rule)) return void process.stdout.write(`${rule} is not registered\n`);
  const { hits, score } = runOne(suite, scenario, options);
  for (const h of hits) process.stdout.write(`hit ${secs(scenario, h.since)}–${secs(scenario, h.at)} s: ${h.explanation}\n`);
  process.stdout.write(`TP ${score.tp} FP ${score.fp} FN ${score.fn}\n`);
}

main();
