/**
 * Checks on the regular expressions a grammar supplies, run at config load so a bad pattern is refused
 * with a message instead of hanging the plugin on the first odd line. Lines are capped (2,000 characters
 * at most), which bounds polynomial backtracking; exponential backtracking (a quantified group that itself
 * contains an unbounded quantifier, `(\w+)*`, `(a|.+)+`) is refused outright, and every pattern is timed
 * once against adversarial lines of the maximum length.
 */
export const JOURNAL_CAPTURE_GROUPS = ['item', 'description', 'qty', 'amount', 'operator', 'seq', 'date', 'time', 'workstation'] as const;
export type JournalCaptureGroup = (typeof JOURNAL_CAPTURE_GROUPS)[number];

const ALLOWED_FLAGS = /^[imsu]*$/;
/** A pattern that needs longer than this on one adversarial line would stall a lane's journal. */
const PROBE_BUDGET_MS = 250;

interface GroupFrame {
  hasUnbounded: boolean;
}

/** Length of the quantifier at `i` and whether it is unbounded (*, +, {n,}), or length 0 when none is there. */
function quantifierAt(source: string, i: number): { length: number; isUnbounded: boolean } {
  const ch = source.charAt(i);
  if (ch === '*' || ch === '+') return { length: source.charAt(i + 1) === '?' ? 2 : 1, isUnbounded: true };
  if (ch === '?') return { length: 1, isUnbounded: false };
  const brace = /^\{(\d+)(,(\d*))?\}\??/.exec(source.slice(i));
  if (!brace) return { length: 0, isUnbounded: false };
  const upper = brace[2] === undefined ? Number(brace[1]) : brace[3] === '' ? Infinity : Number(brace[3]);
  return { length: brace[0].length, isUnbounded: upper > 50 };
}

/** End index (exclusive) of the character class starting at `i` (`[`). */
function classEnd(source: string, i: number): number {
  let j = i + 1;
  if (source.charAt(j) === '^') j += 1;
  if (source.charAt(j) === ']') j += 1;
  while (j < source.length && source.charAt(j) !== ']') j += source.charAt(j) === '\\' ? 2 : 1;
  return j + 1;
}

/** Whether a quantified group contains an unbounded quantifier: the shape of exponential backtracking. */
export function hasNestedQuantifier(source: string): boolean {
  const stack: GroupFrame[] = [{ hasUnbounded: false }];
  let i = 0;
  while (i < source.length) {
    const ch = source.charAt(i);
    let closed: GroupFrame | undefined;
    if (ch === '\\') i += 2;
    else if (ch === '[') i = classEnd(source, i);
    else if (ch === '(') {
      stack.push({ hasUnbounded: false });
      i += 1;
      continue;
    } else if (ch === ')') {
      closed = stack.length > 1 ? stack.pop() : undefined;
      i += 1;
    } else {
      i += 1;
      const q = quantifierAt(source, i);
      if (q.length > 0) {
        const top = stack[stack.length - 1];
        if (top && q.isUnbounded) top.hasUnbounded = true;
        i += q.length;
      }
      continue;
    }
    const q = quantifierAt(source, i);
    const top = stack[stack.length - 1];
    if (closed?.hasUnbounded && q.length > 0 && (q.isUnbounded || source.charAt(i) === '{')) return true;
    if (top && (closed?.hasUnbounded || q.isUnbounded)) top.hasUnbounded = true;
    i += q.length;
  }
  return false;
}

const probes = (length: number): string[] => [
  ' '.repeat(length),
  'a'.repeat(length),
  '9'.repeat(length),
  '1.2 '.repeat(Math.ceil(length / 4)).slice(0, length),
  `${'A1 '.repeat(Math.ceil(length / 3))}`.slice(0, length - 1) + '\u0001',
];

/** Why `source` is refused as a journal pattern, or undefined when it compiles and is safe enough to run. */
export function patternProblem(source: string, flags: string, maxLineLength: number): string | undefined {
  if (!ALLOWED_FLAGS.test(flags)) return `flags "${flags}" are not allowed (use i, m, s, u)`;
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags);
  } catch (cause) {
    return `does not compile: ${cause instanceof Error ? cause.message : String(cause)}`;
  }
  const names = [...source.matchAll(/\(\?<([A-Za-z_$][\w$]*)>/g)].map((m) => m[1] ?? '');
  const unknown = names.find((n) => !(JOURNAL_CAPTURE_GROUPS as readonly string[]).includes(n));
  if (unknown !== undefined) return `unknown capture group (?<${unknown}>); use ${JOURNAL_CAPTURE_GROUPS.join(', ')}`;
  if (names.includes('date') && !names.includes('time')) return 'a (?<date>) group needs a (?<time>) group beside it';
  if (hasNestedQuantifier(source)) return 'a quantified group contains an unbounded quantifier (like (\\w+)*): it can backtrack catastrophically';
  for (const probe of probes(maxLineLength)) {
    const started = performance.now();
    regex.test(probe);
    if (performance.now() - started > PROBE_BUDGET_MS) return `takes over ${PROBE_BUDGET_MS} ms on a ${maxLineLength}-character line: simplify it or lower maxLineLength`;
  }
  return undefined;
}
