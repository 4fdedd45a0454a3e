import { parseArgs } from 'node:util';

export interface BenchArgs {
  readonly scenarios: number;
  readonly seed: number;
  readonly cleanPos: boolean;
  /** Print each missed or false event, for working on a rule. */
  readonly verbose: boolean;
  readonly only: readonly string[];
}

export function benchArgs(argv: readonly string[]): BenchArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      scenarios: { type: 'string', default: '100' },
      seed: { type: 'string', default: '1' },
      'clean-pos': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      rule: { type: 'string', multiple: true, default: [] },
    },
  });
  const scenarios = Number.parseInt(values.scenarios, 10);
  const seed = Number.parseInt(values.seed, 10);
  if (!Number.isInteger(scenarios) || scenarios < 1) throw new Error('--scenarios must be a positive integer');
  if (!Number.isInteger(seed)) throw new Error('--seed must be an integer');
  return { scenarios, seed, cleanPos: values['clean-pos'], verbose: values.verbose, only: values.rule };
}
