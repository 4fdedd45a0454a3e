import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The console's browser modules, by the name the pages load them under (`/console/assets/<name>.js`). */
export const CLIENT_MODULES = ['render', 'dom', 'queue', 'incident', 'incident-evidence', 'admin', 'zones', 'policy', 'policy-explain', 'webhook-settings', 'servicenow-fields', 'webhooks-list', 'directory', 'line-diff', 'webhooks', 'people', 'service-identities', 'retention', 'audit', 'tuning'] as const;
export type ClientModule = (typeof CLIENT_MODULES)[number];

const clientDir = join(dirname(fileURLToPath(import.meta.url)), 'client');
const cache = new Map<ClientModule, Promise<string>>();

/**
 * A browser module's JavaScript. In a built hub (dist/) it is the file `npm run build` compiled from
 * hub/console/client; run from the sources (tsx: development, tests) the TypeScript is transpiled once, in
 * memory, with the compiler that is a development dependency. Nothing is fetched from anywhere.
 */
async function load(name: ClientModule): Promise<string> {
  const built = join(clientDir, `${name}.js`);
  if (existsSync(built)) return readFile(built, 'utf8');
  const source = await readFile(join(clientDir, `${name}.ts`), 'utf8');
  const ts = (await import('typescript')).default;
  return ts.transpileModule(source, {
    fileName: `${name}.ts`,
    compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true, sourceMap: false },
  }).outputText;
}

export function clientModule(name: string): Promise<string> | null {
  if (!(CLIENT_MODULES as readonly string[]).includes(name)) return null;
  const known = name as ClientModule;
  let pending = cache.get(known);
  if (!pending) {
    pending = load(known);
    pending.catch(() => cache.delete(known));
    cache.set(known, pending);
  }
  return pending;
}
