import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The oldest plugin release this hub's API serves as it expects; older plugins are listed as outdated. */
export const MIN_PLUGIN_VERSION = '0.1.0';

const PACKAGE_NAME = 'vigil';
const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
let cached: { root: string; version: string } | undefined;

function readPackage(): { root: string; version: string } {
  // From the sources (contracts/) or the build (dist/contracts/): the first package.json named vigil above.
  const here = dirname(fileURLToPath(import.meta.url));
  let dir = here;
  for (let depth = 0; depth < 4; depth += 1, dir = dirname(dir)) {
    try {
      const manifest: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (typeof manifest === 'object' && manifest !== null && 'name' in manifest && manifest.name === PACKAGE_NAME && 'version' in manifest && typeof manifest.version === 'string') return { root: dir, version: manifest.version };
    } catch {
      // no package.json at this level: keep climbing
    }
  }
  return { root: dirname(here), version: '0.0.0' };
}

/** Vigil's version, from package.json (read once). */
export function vigilVersion(): string {
  cached ??= readPackage();
  return cached.version;
}

/** The folder holding Vigil's package.json (bin/vigil.mjs is below it), from the sources or from dist/. */
export function vigilPackageRoot(): string {
  cached ??= readPackage();
  return cached.root;
}

/** Negative when `a` is older than `b`, by major.minor.patch; undefined when either is not a version. */
export function compareVersions(a: string, b: string): number | undefined {
  const left = SEMVER.exec(a);
  const right = SEMVER.exec(b);
  if (!left || !right) return undefined;
  for (let i = 1; i <= 3; i += 1) {
    const diff = Number(left[i]) - Number(right[i]);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** The `User-Agent` the plugin sends to the hub, and how the hub reads the version back from it. */
export const PLUGIN_USER_AGENT_PREFIX = 'vigil-plugin/';
export function pluginUserAgent(version = vigilVersion()): string {
  return `${PLUGIN_USER_AGENT_PREFIX}${version}`;
}
export function pluginVersionFromUserAgent(userAgent: string | undefined): string | undefined {
  const match = /(?:^|\s)vigil-plugin\/(\S+)/.exec(userAgent ?? '');
  return match?.[1];
}
