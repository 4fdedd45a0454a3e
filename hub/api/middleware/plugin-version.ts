import type { Middleware } from 'koa';
import { compareVersions, MIN_PLUGIN_VERSION, pluginVersionFromUserAgent } from '../../../contracts/index.js';
import type { HubMetrics } from '../metrics.js';
import type { AppState } from '../state.js';

/** A version string is a label value: anything not a plain version is counted as `unknown` (bounded cardinality). */
const VERSION_LABEL = /^\d{1,4}\.\d{1,4}\.\d{1,4}(-[0-9A-Za-z.]{1,20})?$/;

/**
 * After authentication: counts each plugin (service principal) request by the version its User-Agent
 * (`vigil-plugin/<version>`) names, on /metrics as vigil_plugin_requests_total{version,outdated}, and warns
 * once per version and process when a plugin is older than MIN_PLUGIN_VERSION. Nothing per tenant leaves here.
 */
export function pluginVersionWatch(metrics: HubMetrics): Middleware<AppState> {
  const warned = new Set<string>();
  return async (ctx, next) => {
    if (ctx.state.principal?.kind === 'service') {
      const reported = pluginVersionFromUserAgent(ctx.get('user-agent'));
      const version = reported !== undefined && VERSION_LABEL.test(reported) ? reported : 'unknown';
      const outdated = version !== 'unknown' && (compareVersions(version, MIN_PLUGIN_VERSION) ?? 0) < 0;
      metrics.pluginRequests.inc({ version, outdated: String(outdated) });
      if (outdated && !warned.has(version)) {
        warned.add(version);
        ctx.state.log.warn({ pluginVersion: version, minPluginVersion: MIN_PLUGIN_VERSION }, 'a plugin older than this hub supports is connected: upgrade it');
      }
    }
    await next();
  };
}
