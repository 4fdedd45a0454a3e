import type { Middleware } from 'koa';
import type { DatabaseHandle } from '../../../models/index.js';
import { recordPluginVersion } from '../../auth/api-tokens.js';
import { compareVersions, MIN_PLUGIN_VERSION, pluginVersionFromUserAgent } from '../../../contracts/index.js';
import type { HubMetrics } from '../metrics.js';
import type { AppState } from '../state.js';

/** The version each token was last recorded with in this process (bounded), so a write happens only on a change. */
class VersionMemory {
  private readonly seen = new Map<string, string>();
  constructor(private readonly limit = 10_000) {}

  changed(tokenId: string, version: string): boolean {
    if (this.seen.get(tokenId) === version) return false;
    if (this.seen.size >= this.limit) this.seen.clear();
    this.seen.set(tokenId, version);
    return true;
  }

  forget(tokenId: string): void {
    this.seen.delete(tokenId);
  }
}

/** A version string is a label value: anything not a plain version is counted as `unknown` (bounded cardinality). */
const VERSION_LABEL = /^\d{1,4}\.\d{1,4}\.\d{1,4}(-[0-9A-Za-z.]{1,20})?$/;

/**
 * After authentication: counts each plugin (service principal) request by the version its User-Agent
 * (`vigil-plugin/<version>`) names, on /metrics as vigil_plugin_requests_total{version,outdated}, and warns
 * once per version and process when a plugin is older than MIN_PLUGIN_VERSION. Nothing per tenant leaves here.
 */
export function pluginVersionWatch(metrics: HubMetrics, knex: DatabaseHandle): Middleware<AppState> {
  const warned = new Set<string>();
  const recorded = new VersionMemory();
  return async (ctx, next) => {
    const principal = ctx.state.principal;
    if (principal?.kind === 'service') {
      const reported = pluginVersionFromUserAgent(ctx.get('user-agent'));
      const version = reported !== undefined && VERSION_LABEL.test(reported) ? reported : 'unknown';
      const outdated = version !== 'unknown' && (compareVersions(version, MIN_PLUGIN_VERSION) ?? 0) < 0;
      metrics.pluginRequests.inc({ version, outdated: String(outdated) });
      if (principal.tokenId && version !== 'unknown' && recorded.changed(principal.tokenId, version)) {
        await recordPluginVersion(knex, principal.tenantId, principal.tokenId, version).catch((error: unknown) => {
          recorded.forget(principal.tokenId ?? '');
          ctx.state.log.warn({ err: error }, 'the plugin version could not be recorded');
        });
      }
      if (outdated && !warned.has(version)) {
        warned.add(version);
        ctx.state.log.warn({ pluginVersion: version, minPluginVersion: MIN_PLUGIN_VERSION }, 'a plugin older than this hub supports is connected: upgrade it');
      }
    }
    await next();
  };
}
