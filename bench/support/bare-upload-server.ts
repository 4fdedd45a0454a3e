// The transport reference of bench:evidence: a bare Koa route that takes the same tus-style PATCH chunks the
// hub takes, hashes them with SHA-256 on the way and writes them at their offset with an fs stream. No auth,
// no database, no lease, no media check, no audit: what any HTTP upload costs on this machine.
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Router from '@koa/router';
import Koa from 'koa';

const dir = await mkdtemp(join(tmpdir(), 'vigil-bare-upload-'));
const hashes = new Map<string, Hash>();
const app = new Koa();
const router = new Router();

router.patch('/uploads/:id', async (ctx) => {
  const offset = Number(ctx.get('upload-offset'));
  const id = ctx.params.id ?? 'upload';
  const hash = offset === 0 ? createHash('sha256') : hashes.get(id) ?? createHash('sha256');
  const hashing = new Transform({ highWaterMark: 1 << 20, transform(chunk: Buffer, _e, done) { hash.update(chunk); done(null, chunk); } });
  await pipeline(ctx.req, hashing, createWriteStream(join(dir, id.replace(/[^a-z0-9_-]/gi, '')), { flags: offset === 0 ? 'w' : 'r+', start: offset, highWaterMark: 1 << 20 }));
  hashes.set(id, hash);
  if (ctx.get('upload-last') === 'true') {
    ctx.set('upload-sha256', hash.digest('hex'));
    hashes.delete(id);
  }
  ctx.status = 204;
});

app.use(router.routes());
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`);
});
process.on('SIGTERM', () => server.close(() => void rm(dir, { recursive: true, force: true }).then(() => process.exit(0))));
