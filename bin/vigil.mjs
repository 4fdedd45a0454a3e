#!/usr/bin/env node
// The `vigil` command. It runs the compiled JavaScript in dist/ (`npm run build`, which `npm ci` runs through
// `prepare`). A development checkout whose sources are newer than that build (or that has no build) runs the
// TypeScript sources through tsx instead, so an edit never runs stale code. VIGIL_FROM_SOURCE=1 forces the
// sources, VIGIL_FROM_SOURCE=0 the build.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BUILD_STAMP = join(ROOT, 'dist', '.built');
const SOURCE_FOLDERS = ['bin', 'contracts', 'hub', 'plugin', 'adapters', 'models', 'policies', 'migrations'];
const NOT_BUILT = /(\.test\.ts|^testing|^test-support|^node_modules)$/;

function mtimeOf(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

/** True when some production source (.ts) changed after the last build. Stats ~600 files: a few ms. */
function newerThan(dir, stampMs) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const entry of entries) {
    if (NOT_BUILT.test(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (newerThan(path, stampMs)) return true;
    } else if (entry.name.endsWith('.ts') && (mtimeOf(path) ?? 0) > stampMs) return true;
  }
  return false;
}

function useCompiled() {
  if (process.env.VIGIL_FROM_SOURCE === '1') return false;
  if (process.env.VIGIL_FROM_SOURCE === '0') return true;
  const stampMs = mtimeOf(BUILD_STAMP);
  if (stampMs === undefined) return false;
  return !SOURCE_FOLDERS.some((folder) => newerThan(join(ROOT, folder), stampMs));
}

async function loadMain() {
  if (useCompiled()) {
    process.setSourceMapsEnabled(true);
    return import('../dist/bin/vigil.js');
  }
  let tsx;
  try {
    tsx = await import('tsx/esm/api');
  } catch {
    // An install without devDependencies has no tsx: the build is all there is.
    process.setSourceMapsEnabled(true);
    return import('../dist/bin/vigil.js');
  }
  tsx.register();
  return import('./vigil.ts');
}

const { main } = await loadMain();
await main(process.argv);
