import type { DatabaseHandle } from '../../models/index.js';
import type Router from '@koa/router';
import { migrationStatus } from '../db/index.js';
import { fixityStatus, registerFixityMetrics } from '../evidence/index.js';
import type { HubMetrics } from './metrics.js';
import type { AppState } from './state.js';

/** Liveness, readiness (database reachable, migrations current) and Prometheus metrics; no auth. */
export function mountHealth(router: Router<AppState>, knex: DatabaseHandle, metrics: HubMetrics): void {
  registerFixityMetrics(metrics.registry, knex);
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    try {
      await knex.raw('SELECT 1');
      const status = await migrationStatus(knex);
      const ready = status.pending.length === 0;
      ctx.status = ready ? 200 : 503;
      ctx.body = { status: ready ? 'ready' : 'migrations_pending', database: 'ok', pendingMigrations: status.pending, ...(ready ? { evidenceFixity: await fixityStatus(knex) } : {}) };
    } catch (error) {
      ctx.state.log.warn({ err: error }, 'readiness check failed');
      ctx.status = 503;
      ctx.body = { status: 'unavailable', database: 'unreachable' };
    }
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  });
}
