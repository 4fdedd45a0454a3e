import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VIGIL = join(ROOT, 'bin', 'vigil.mjs');
/** bin/vigil.mjs on the build, whatever the sources' age (CI builds right before the tests, through npm ci). */
const COMPILED_ENV = { VIGIL_FROM_SOURCE: '0' };
const RECORDER = join(ROOT, 'test', 'deploy', 'support', 'import-recorder.mjs');
const BUILT = existsSync(join(ROOT, 'dist', '.built'));
const skipUnbuilt = BUILT ? false : 'dist/ is not built: run `npm run build` (npm ci does it through prepare)';
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: ROOT, timeout: 60_000, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

/** The module URLs a command line resolved, recorded by an import hook in the child. */
async function importsOf(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; urls: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-imports-'));
  try {
    const log = join(dir, 'imports.log');
    const result = await run(['--import', RECORDER, VIGIL, ...args], { ...COMPILED_ENV, ...env, VIGIL_IMPORT_LOG: log });
    const urls = existsSync(log) ? (await readFile(log, 'utf8')).split('\n').filter(Boolean) : [];
    return { code: result.code, stdout: result.stdout, urls };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const HEAVY = ['/node_modules/koa/', '/node_modules/@koa/', '/node_modules/onnxruntime-node/', '/node_modules/knex/', '/node_modules/pino/', '/node_modules/oidc-provider/', '/node_modules/@aws-sdk/'];
const heavyIn = (urls: string[]): string[] => urls.filter((url) => HEAVY.some((part) => url.includes(part)));

test('the compiled CLI answers --help with every command, and --version with package.json\'s version', { skip: skipUnbuilt, timeout: 120_000 }, async () => {
  const help = await run([VIGIL, '--help'], COMPILED_ENV);
  assert.equal(help.code, 0, help.stderr);
  for (const name of ['hub', 'migrate', 'detect', 'plugin', 'vms', 'evidence']) assert.match(help.stdout, new RegExp(`^  ${name} `, 'm'));
  const version = await run([VIGIL, '--version'], COMPILED_ENV);
  assert.equal(version.stdout.trim(), VERSION);
  const hubHelp = await run([VIGIL, 'hub', '--help'], COMPILED_ENV);
  assert.match(hubHelp.stdout, /--role <role>/);
});

test('bin/vigil.mjs runs the compiled build when it is current (and the sources otherwise): same answers', { skip: skipUnbuilt, timeout: 120_000 }, async () => {
  const launched = await run([join(ROOT, 'bin', 'vigil.mjs'), '--version']);
  assert.equal(launched.stdout.trim(), VERSION, launched.stderr);
  const fromSource = await run([join(ROOT, 'bin', 'vigil.mjs'), '--version'], { VIGIL_FROM_SOURCE: '1' });
  assert.equal(fromSource.stdout.trim(), VERSION, fromSource.stderr);
});

test('vigil --help, hub --help and detect --help load commander, not koa, knex, pino or onnxruntime', { skip: skipUnbuilt, timeout: 120_000 }, async () => {
  for (const args of [['--help'], ['hub', '--help'], ['detect', '--help'], ['plugin', 'status', '--help'], ['--version']]) {
    const { code, urls } = await importsOf(args);
    assert.equal(code, 0, args.join(' '));
    assert.ok(urls.some((url) => url.includes('/node_modules/commander/')), `the recorder saw ${urls.length} imports for ${args.join(' ')}`);
    assert.ok(urls.some((url) => url.endsWith('/dist/bin/vigil.js')), 'the compiled CLI ran');
    assert.ok(!urls.some((url) => url.endsWith('.ts')), 'no TypeScript source was loaded');
    assert.deepEqual(heavyIn(urls), [], `vigil ${args.join(' ')} loaded heavy packages`);
    // Only the command asked for is imported: detect's help does not load the hub's CLI, and the other way round.
    if (args[0] === 'detect') assert.ok(!urls.some((url) => url.includes('/hub/cli/')), 'detect loaded hub commands');
    if (args[0] === 'hub') assert.ok(!urls.some((url) => url.includes('/plugin/')), 'hub --help loaded the plugin');
  }
});

test('running a command imports its implementation on action: vigil migrate status loads knex', { skip: skipUnbuilt, timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-migrate-'));
  try {
    const { code, urls } = await importsOf(['migrate', 'status'], { VIGIL_DATA_DIR: join(dir, 'data') });
    assert.equal(code, 0);
    assert.ok(urls.some((url) => url.includes('/node_modules/knex/')), 'migrate status should have loaded knex');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
