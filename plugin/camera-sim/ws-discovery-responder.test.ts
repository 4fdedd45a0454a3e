import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mayJoinMulticast } from './ws-discovery-responder.js';

test('a camera bound to a loopback address never joins the WS-Discovery multicast group; one on a network does', () => {
  for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]']) assert.equal(mayJoinMulticast(host), false, host);
  for (const host of ['0.0.0.0', '192.168.1.64', '10.0.0.5']) assert.equal(mayJoinMulticast(host), true, host);
});
