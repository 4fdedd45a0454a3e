import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pino } from 'pino';
import { isAppError } from '../contracts/index.js';
import { startPlugin } from './app.js';
import { validatePluginConfig } from './config/index.js';
import { openOutbox } from './outbox/index.js';

test('a model file that is not ONNX stops the start with model_invalid and leaves nothing behind (outbox unlocked)', { timeout: 60_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-app-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const model = join(dir, 'model.onnx');
  await writeFile(model, 'this is a JPEG, honest');
  const { config } = validatePluginConfig({
    hub: { url: 'http://127.0.0.1:9', token: 'vgl_testtesttesttesttest' },
    dataDir: join(dir, 'data'),
    model: { path: model, decoder: 'nanodet' },
    cameras: [{ id: 'cam_0123456789ab', storeId: 'sto_0123456789ab', analysisUrl: 'rtsp://127.0.0.1:9/none' }],
  }, {}, 'test');
  await assert.rejects(startPlugin(config, { logger: pino({ level: 'silent' }) }), (error: unknown) => {
    assert.ok(isAppError(error) && error.code === 'model_invalid', String(error));
    assert.match(error.message, /not a loadable ONNX model/);
    return true;
  });
  // The failed start closed its outbox: another start (or this check) can take the directory's lock.
  const outbox = await openOutbox({ dir: join(dir, 'data', 'outbox') });
  await outbox.close();
});
