// Which test files depend on the database: those whose relative imports reach the database layer (hub/db,
// the hub's config schema, which reads DATABASE_URL) or that name DATABASE_URL or run a database command of
// the CLI themselves. The others (plugin, adapters, pure policy and contract tests) give the same answers on
// PGlite and on PostgreSQL, so a PostgreSQL pass after a PGlite pass may leave them out.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const IMPORT = /(?:import|export)[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)|new URL\(\s*['"](\.[^'"]+\.(?:ts|mjs))['"]/g;
const DATABASE_MODULE = (file) => file.startsWith('hub/db/') || file === 'hub/config/schema.ts';
const NAMES_DATABASE = /DATABASE_URL|\[\s*VIGIL\s*,\s*'(?:hub|migrate)'|\['(?:migrate|hub)',\s*'/;

function resolveImport(root, from, spec) {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return relative(root, candidate);
  }
  return null;
}

export function databaseTestFiles(root, files) {
  const modules = new Map();
  const read = (file) => {
    if (!modules.has(file)) {
      const text = readFileSync(join(root, file), 'utf8');
      const imports = [...text.matchAll(IMPORT)].map((m) => resolveImport(root, join(root, file), m[1] ?? m[2] ?? m[3])).filter(Boolean);
      modules.set(file, { text, imports });
    }
    return modules.get(file);
  };
  const reachesDatabase = (test) => {
    const seen = new Set();
    const stack = [test];
    while (stack.length > 0) {
      const file = stack.pop();
      if (seen.has(file)) continue;
      seen.add(file);
      if (DATABASE_MODULE(file)) return true;
      const { text, imports } = read(file);
      if (NAMES_DATABASE.test(text)) return true;
      stack.push(...imports);
    }
    return false;
  };
  return files.filter(reachesDatabase);
}
