import { z } from 'zod';
import { BUILTIN_JOURNAL_GRAMMAR_NAMES, BUILTIN_JOURNAL_GRAMMARS, journalGrammarSchema, type JournalGrammar } from '../../adapters/pos/journal/index.js';
import { isTimeZone } from '../../contracts/index.js';
import { AppError, idSchema } from '../../contracts/index.js';

const timeZone = z.string().min(1).max(64).refine(isTimeZone, 'not an IANA time zone (e.g. Europe/Berlin)');
const workstationId = z.string().trim().min(1).max(40);
const sourceName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'lower-case letters, digits, - and _').describe('Name of the source in logs and health');
const host = z.string().min(1).max(253);
const listenPort = z.number().int().min(0).max(65_535).describe('TCP port; 0 picks a free one (tests)');

const grammarRef = z
  .union([
    z.string().refine((name) => BUILTIN_JOURNAL_GRAMMAR_NAMES.includes(name), `not a built-in grammar; use one of ${BUILTIN_JOURNAL_GRAMMAR_NAMES.join(', ')} or write the grammar inline`),
    journalGrammarSchema,
  ])
  .describe(`A built-in journal grammar (${BUILTIN_JOURNAL_GRAMMAR_NAMES.join(', ')}) or a grammar written inline`);

const journalFields = {
  name: sourceName,
  grammar: grammarRef,
  workstationId: workstationId.optional().describe('The register this journal belongs to, for lines that do not name it'),
  timeZone: timeZone.optional().describe("The POS clock's zone; overrides the grammar's; UTC when neither names one"),
};

const tcpListenSourceSchema = z.strictObject({
  type: z.literal('tcp_listen').describe('The POS (or its journal splitter) connects to the plugin and writes journal lines'),
  ...journalFields,
  host: host.default('0.0.0.0').describe('Address to listen on'),
  port: listenPort,
  workstationByAddress: z.record(z.string().min(1).max(64), workstationId).default({})
    .describe('Register of each connecting address (IP) whose lines do not name it; before `workstationId`'),
  maxConnections: z.number().int().min(1).max(256).default(32).describe('Concurrent connections accepted'),
});

const tcpConnectSourceSchema = z.strictObject({
  type: z.literal('tcp_connect').describe('The plugin connects to the POS journal port and reads lines'),
  ...journalFields,
  host: host.describe('Journal host'),
  port: z.number().int().min(1).max(65_535).describe('Journal port'),
  reconnect: z
    .strictObject({
      initialMs: z.number().int().min(10).max(60_000).default(500).describe('First delay after a disconnect'),
      maxMs: z.number().int().min(10).max(600_000).default(30_000).describe('Longest delay between attempts'),
    })
    .default({ initialMs: 500, maxMs: 30_000 })
    .describe('Reconnect with exponential backoff and jitter'),
  connectTimeoutMs: z.number().int().min(100).max(120_000).default(10_000).describe('A connect attempt taking longer fails'),
});

const httpSourceSchema = z.strictObject({
  type: z.literal('http').describe('The POS posts POSLog XML or the JSON transaction form to the plugin'),
  name: sourceName,
  host: host.default('0.0.0.0').describe('Address to listen on'),
  port: listenPort,
  path: z.string().regex(/^\/[\w\-./]{0,200}$/, 'an absolute path').default('/v1/pos/transactions').describe('Path transactions are posted to'),
  token: z.string().min(16).max(512).optional().describe('Bearer token the POS must send; without one the receiver is open (a warning is logged)'),
  maxBodyBytes: z.number().int().min(1024).max(64 * 1024 * 1024).default(1024 * 1024).describe('Larger bodies are refused with 413'),
  timeZone: timeZone.default('UTC').describe('Zone of POS times written without an offset'),
});

export const posSourceSchema = z.discriminatedUnion('type', [tcpListenSourceSchema, tcpConnectSourceSchema, httpSourceSchema]);

const laneBindingSchema = z.strictObject({
  workstationId: workstationId.describe('The register as the POS names it'),
  laneId: idSchema('lane').describe('The checkout lane it stands at (lan_…)'),
  offsetMs: z.number().int().min(-3_600_000).max(3_600_000).default(0)
    .describe('Initial clock offset, POS clock minus camera clock, in ms; refined from matched scans'),
});

const offsetEstimationSchema = z.strictObject({
  searchWindowMs: z.number().int().min(1_000).max(600_000).default(120_000).describe('A scan matches a crossing within this distance of the configured offset'),
  matchToleranceMs: z.number().int().min(50).max(30_000).default(800).describe('Matched pairs within this distance of the consensus offset are inliers'),
  minMatches: z.number().int().min(1).max(1_000).default(8).describe('Inliers needed before the estimate replaces the configured offset'),
  history: z.number().int().min(4).max(1_000).default(60).describe('Recent crossings the estimate is computed from'),
});

export const posConfigSchema = z
  .strictObject({
    sources: z.array(posSourceSchema).max(32).default([]).describe('Where POS events come from'),
    lanes: z.array(laneBindingSchema).max(512).default([]).describe('Which register stands at which lane'),
    offsetEstimation: offsetEstimationSchema.default({ searchWindowMs: 120_000, matchToleranceMs: 800, minMatches: 8, history: 60 }),
    queueLimit: z.number().int().min(10).max(1_000_000).default(10_000).describe('Undrained events kept per lane; the oldest go first'),
  })
  .superRefine((config, ctx) => {
    const unique = (values: string[], path: string, what: string): void => {
      values.forEach((value, i) => {
        if (values.indexOf(value) !== i) ctx.addIssue({ code: 'custom', path: [path, i], message: `${what} "${value}" is used twice` });
      });
    };
    unique(config.sources.map((s) => s.name), 'sources', 'source name');
    unique(config.lanes.map((l) => l.workstationId), 'lanes', 'workstationId');
    unique(config.lanes.map((l) => l.laneId), 'lanes', 'laneId');
  })
  .describe('POS events at the edge: journal lines over TCP and transactions posted over HTTP, bound to lanes');

export type PosConfig = z.output<typeof posConfigSchema>;
export type PosConfigInput = z.input<typeof posConfigSchema>;
export type PosSourceConfig = z.output<typeof posSourceSchema>;
export type TcpListenSourceConfig = Extract<PosSourceConfig, { type: 'tcp_listen' }>;
export type TcpConnectSourceConfig = Extract<PosSourceConfig, { type: 'tcp_connect' }>;
export type HttpSourceConfig = Extract<PosSourceConfig, { type: 'http' }>;
export type OffsetEstimationConfig = PosConfig['offsetEstimation'];

/** The grammar a journal source names or writes inline. */
export function grammarOf(grammar: string | JournalGrammar): JournalGrammar {
  if (typeof grammar !== 'string') return grammar;
  const found = BUILTIN_JOURNAL_GRAMMARS[grammar];
  if (!found) throw new AppError('config_invalid', `unknown journal grammar ${grammar}`);
  return found;
}

/** Insecure choices of a valid config, for the composition root to log loudly at start. */
export function posConfigWarnings(config: PosConfig): string[] {
  return config.sources.flatMap((source) => {
    if (source.type === 'http' && source.token === undefined) {
      return [`POS source ${source.name}: the HTTP receiver on ${source.host}:${source.port} takes transactions from anyone who can reach it; set a token`];
    }
    return [];
  });
}
