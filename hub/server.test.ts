import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { freshDatabase } from '../test/support/database.js';
import { loadHubConfig } from './config/index.js';
import { createLogger } from './logger.js';
import { prepareHub } from './server.js';

/** Resolves with the socket error code, or 'connected'. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

test('the hub opens its port only when migrations, identity and app are ready: no connection is accepted before', async () => {
  const db = await freshDatabase();
  const config = loadHubConfig({ env: {}, overrides: { logLevel: 'silent', http: { port: 0 }, identity: { devIdp: true } } });
  const prepared = await prepareHub({ config, db, log: createLogger('silent') });
  try {
    assert.equal(await tryConnect(prepared.port), 'ECONNREFUSED', 'everything is ready, yet nothing listens until listen()');
  } catch (error) {
    await prepared.abort();
    await db.close();
    throw error;
  }
  const running = await prepared.listen();
  try {
    assert.equal(running.url, prepared.url);
    const health = await fetch(`${running.url}/readyz`);
    assert.equal(health.status, 200, 'the first request is answered');
    const login = await fetch(`${running.url}/auth/login`, { redirect: 'manual' });
    assert.equal(login.status, 302, 'identity routes are in place from the first request');
  } finally {
    await running.stop();
    await db.close();
  }
});
