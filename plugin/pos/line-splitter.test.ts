import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineSplitter, type SplitItem } from './line-splitter.js';

const texts = (items: SplitItem[]): string[] => items.map((i) => (i.kind === 'line' ? i.bytes.toString('utf8') : `<overflow ${i.bytes}>`));

test('LF, CRLF and lone CR end lines, whatever the chunk boundaries; a CRLF split across chunks is one terminator', () => {
  const splitter = new LineSplitter(100);
  const out = [...splitter.push(Buffer.from('one\r')), ...splitter.push(Buffer.from('\ntwo\nthr')), ...splitter.push(Buffer.from('ee\rfour\r\n\r\n')), ...splitter.finish()];
  assert.deepEqual(texts(out), ['one', 'two', 'three', 'four', '']);
});

test('a multi-byte character cut by a chunk boundary is joined whole', () => {
  const bytes = Buffer.from('Kölsch 1,50\n');
  const splitter = new LineSplitter(100);
  const out = [...splitter.push(bytes.subarray(0, 2)), ...splitter.push(bytes.subarray(2))];
  assert.deepEqual(texts(out), ['Kölsch 1,50']);
});

test('an over-long line is dropped as it streams and reported once; the next line reads normally', () => {
  const splitter = new LineSplitter(10);
  const out = [...splitter.push(Buffer.from('x'.repeat(8))), ...splitter.push(Buffer.from('y'.repeat(50))), ...splitter.push(Buffer.from('z\nok\n'))];
  assert.deepEqual(texts(out), ['<overflow 59>', 'ok']);
  assert.equal(splitter.heldBytes, 0);
});

test('the unterminated tail is held until finish()', () => {
  const splitter = new LineSplitter(100);
  assert.deepEqual(texts(splitter.push(Buffer.from('a\nb'))), ['a']);
  assert.equal(splitter.heldBytes, 1);
  assert.deepEqual(texts(splitter.finish()), ['b']);
  assert.deepEqual(splitter.finish(), []);
});
