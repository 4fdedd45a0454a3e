import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RtspRequestReader } from './rtsp-message.js';

test('reads pipelined requests, skips interleaved RTCP frames and keeps bodies', () => {
  const reader = new RtspRequestReader();
  const rtcp = Buffer.from([0x24, 1, 0, 4, 0x81, 0xc9, 0, 1]);
  const text = 'OPTIONS rtsp://h/main RTSP/1.0\r\nCSeq: 1\r\n\r\nSET_PARAMETER rtsp://h/main RTSP/1.0\r\nCSeq: 2\r\nContent-Length: 5\r\n\r\nhello';
  const all = Buffer.concat([rtcp, Buffer.from(text)]);
  const inputs = [...reader.push(all.subarray(0, 20)), ...reader.push(all.subarray(20))];
  assert.equal(inputs.length, 2);
  const [first, second] = inputs;
  assert.ok(first?.kind === 'request' && second?.kind === 'request');
  assert.equal(first.request.method, 'OPTIONS');
  assert.equal(first.request.headers.get('cseq'), '1');
  assert.equal(second.request.body.toString(), 'hello');
});

test('garbage, oversized heads and bad Content-Length are reported as malformed once', () => {
  for (const bad of ['HELLO\r\n\r\n', 'PLAY rtsp://h/ RTSP/1.0\r\nno colon here\r\n\r\n', 'PLAY rtsp://h/ RTSP/1.0\r\nContent-Length: -1\r\n\r\n', 'A'.repeat(20_000)]) {
    const reader = new RtspRequestReader();
    const inputs = reader.push(Buffer.from(bad));
    assert.equal(inputs.length, 1, bad.slice(0, 30));
    assert.equal(inputs[0]?.kind, 'malformed');
    assert.deepEqual(reader.push(Buffer.from('OPTIONS rtsp://h/ RTSP/1.0\r\nCSeq: 1\r\n\r\n')), []);
  }
});
