import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, writeFileSync, statSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { randomBytes } from 'node:crypto';
const dir = '/tmp/barehttp'; await import('node:fs/promises').then((f) => f.mkdir(dir, { recursive: true }));
const clip = `${dir}/clip.bin`; writeFileSync(clip, randomBytes(20 * 1024 * 1024));
const bytes = statSync(clip).size; const CHUNK = Number(process.env.CHUNK ?? 8) * 1024 * 1024;
const hashT = (h: ReturnType<typeof createHash>) => new Transform({ highWaterMark: 1 << 20, transform(c: Buffer, _e, d) { h.update(c); d(null, c); } });
const server = createServer((req, res) => {
  const off = Number(req.headers['upload-offset']);
  const h = createHash('sha256');
  pipeline(req, hashT(h), createWriteStream(`${dir}/up.bin`, { flags: off === 0 ? 'w' : 'r+', start: off, highWaterMark: 1 << 20 })).then(() => { res.statusCode = 204; res.end(); });
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const port = (server.address() as { port: number }).port;
const patch = (offset: number, length: number) => new Promise<void>((resolve, reject) => {
  const req = request({ host: '127.0.0.1', port, path: '/', method: 'PATCH', headers: { 'upload-offset': String(offset), 'content-length': String(length) } }, (res) => { res.resume(); res.on('end', () => resolve()); });
  req.on('error', reject);
  createReadStream(clip, { start: offset, end: offset + length - 1, highWaterMark: 1 << 20 }).pipe(req);
});
const mb = bytes / 1048576;
for (let round = 0; round < 5; round++) {
  let t = performance.now();
  const h = createHash('sha256'); await pipeline(createReadStream(clip, { highWaterMark: 1 << 20 }), hashT(h), createWriteStream(`${dir}/copy.bin`));
  const copy = mb / ((performance.now() - t) / 1000);
  t = performance.now();
  for (let o = 0; o < bytes; o += CHUNK) await patch(o, Math.min(CHUNK, bytes - o));
  const http = mb / ((performance.now() - t) / 1000);
  console.log(`copy ${copy.toFixed(0)} MB/s, bare http ${http.toFixed(0)} MB/s, ratio ${(http / copy).toFixed(2)}`);
}
server.close();
