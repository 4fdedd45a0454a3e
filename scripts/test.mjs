#!/usr/bin/env node
// Runs every *.test.ts under the project's source folders with node's test runner (through tsx).
// Usage: node scripts/test.mjs [path-filter …]   e.g. `npm test -- hub/api` runs only the tests under hub/api.
// VIGIL_TEST_SCOPE=database runs only the files that depend on the database (scripts/test-scope.mjs): CI's
// PostgreSQL pass, after a PGlite pass that ran everything.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { databaseTestFiles } from './test-scope.mjs';

const ROOTS = ['contracts', 'hub', 'plugin', 'adapters', 'models', 'policies', 'migrations', 'test', 'bin'];
const filters = process.argv.slice(2);

function walk(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const matched = ROOTS.flatMap((root) => walk(root, []))
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
const scope = process.env.VIGIL_TEST_SCOPE ?? 'all';
if (scope !== 'all' && scope !== 'database') {
  console.error(`VIGIL_TEST_SCOPE must be all or database, not ${scope}`);
  process.exit(2);
}
const files = scope === 'database' ? databaseTestFiles(process.cwd(), matched) : matched;
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const db = process.env.DATABASE_URL ? `PostgreSQL (${process.env.DATABASE_URL.replace(/\/\/[^@]*@/, '//')})` : 'PGlite';
const left = matched.length - files.length;
console.log(`vigil tests: ${files.length} files on ${db}${left > 0 ? ` (${left} that do not depend on the database left out: VIGIL_TEST_SCOPE=database)` : ''}`);
const concurrency = process.env.VIGIL_TEST_CONCURRENCY ?? '2';
const child = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
