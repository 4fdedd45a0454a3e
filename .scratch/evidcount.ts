// Statements per clip upload through the hub (PostgreSQL), by request, with their SQL heads.
import { createHash } from 'node:crypto';
import { startTestHub } from '../test/support/hub.js';
import { buildEvent } from '../test/support/factories.js';
const hub = await startTestHub();
const store = await hub.createStore();
const cam = await hub.createCamera(store.id);
const token = await hub.createPluginToken([store.id]);
const plugin = hub.admin.as(token);
const ev = buildEvent({ cameraId: cam.id, storeId: store.id });
const sent = await plugin.post<{ results: Array<{ incidentId: string }> }>('/v1/events', { events: [ev] }, 200);
const bytes = Buffer.alloc(3 * 1024 * 1024, 7);
// a JPEG-less metadata kind is simplest: use 'metadata' json
const body = Buffer.from(JSON.stringify({ pad: 'x'.repeat(20 * 1024 * 1024) }));
const sha = createHash('sha256').update(body).digest('hex');
let log: string[] = [];
hub.db.knex.on('query', (q: { sql: string }) => log.push(q.sql.replace(/\s+/g, ' ').slice(0, 110)));
const phase = (name: string) => { console.log(`--- ${name}: ${log.length} statements`); for (const l of log) console.log('   ', l); log = []; };
const now = Date.now();
const up = await plugin.post<{ id: string }>('/v1/evidence/uploads', { kind: 'metadata', bytes: body.length, sha256: sha, cameraId: cam.id, incidentId: sent.results[0]!.incidentId, capturedFrom: new Date(now - 20000).toISOString(), capturedTo: new Date(now).toISOString() });
phase('open');
const CH = 8 * 1024 * 1024;
for (let o = 0; o < body.length; o += CH) {
  const part = body.subarray(o, Math.min(o + CH, body.length));
  const r = await fetch(`${hub.url}/v1/evidence/uploads/${up.id}`, { method: 'PATCH', body: part, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/offset+octet-stream', 'upload-offset': String(o) } });
  await r.arrayBuffer();
  phase(`patch @${o} -> ${r.status}`);
}
await hub.stop();
void bytes;
