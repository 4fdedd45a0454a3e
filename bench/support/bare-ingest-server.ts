// The baseline of bench:ingest: a bare Koa route that parses the same JSON batch and inserts the same rows
// with one multi-row INSERT through pg. No auth, no validation, no incidents, no audit.
import Router from '@koa/router';
import Koa from 'koa';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const app = new Koa();
const router = new Router();

interface BareEvent {
  id: string;
  occurredAt: string;
  storeId: string;
  cameraId: string;
  type: string;
  severity: string;
  confidence: number;
}

router.post('/v1/events', async (ctx) => {
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.req) chunks.push(chunk as Buffer);
  const { events } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events: BareEvent[] };
  const values: unknown[] = [];
  const rows = events.map((e, i) => {
    values.push('ten_bare', e.id, e.occurredAt, e.storeId, e.cameraId, 'svc_bare', e.type, e.severity, e.confidence, JSON.stringify(e));
    const b = i * 10;
    return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}, $${b + 9}, $${b + 10})`;
  });
  await pool.query(
    `INSERT INTO detection_events (tenant_id, id, occurred_at, store_id, camera_id, source_id, type, severity, confidence, payload) VALUES ${rows.join(', ')}`,
    values,
  );
  ctx.body = { created: events.length };
});

app.use(router.routes());
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
