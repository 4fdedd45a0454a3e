import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';
import { createVmsAdapter } from './create-vms-adapter.js';
import { buildAlarm } from './testing/alarm-fixture.js';
import { closedPort, completeHttpBody, httpAnswer, startRawRecorder, type RawRecorder } from './testing/raw-recorder.js';

const recorders: RawRecorder[] = [];
after(() => Promise.all(recorders.map((r) => r.close())));

/** An Event Server stand-in: answers each complete request with `status reason body`. */
async function eventServer(status: number, reason: string, body: string): Promise<RawRecorder> {
  const recorder = await startRawRecorder((received) => (completeHttpBody(received) ? httpAnswer(status, reason, body) : null));
  recorders.push(recorder);
  return recorder;
}

const milestone = (port: number, timeoutMs = 3000) =>
  createVmsAdapter({ adapter: 'milestone', host: '127.0.0.1', port, eventMessage: 'Vigil scan avoidance', timeoutMs });

function splitRequest(bytes: Buffer): { lines: string[]; body: Buffer } {
  const end = bytes.indexOf('\r\n\r\n');
  return { lines: bytes.subarray(0, end).toString('latin1').split('\r\n'), body: bytes.subarray(end + 4) };
}

const pointSchema = z.object({ X: z.number(), Y: z.number() });
const eventSchema = z.object({
  AnalyticsEvent: z.object({
    '@_xmlns': z.literal('urn:milestone-systems'),
    '@_xmlns:i': z.literal('http://www.w3.org/2001/XMLSchema-instance'),
    EventHeader: z.object({
      ID: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i),
      Timestamp: z.string(), Type: z.string(), Message: z.string(), CustomTag: z.string(),
      Source: z.object({ Name: z.string(), FQID: z.object({ ObjectId: z.string(), FolderType: z.number(), Kind: z.string() }) }),
    }),
    Description: z.string(),
    Location: z.string(),
    ObjectList: z.object({ Object: z.object({ Name: z.string(), Confidence: z.number(), AlarmTrigger: z.boolean(), Polygon: z.object({
      Color: z.object({ A: z.number(), R: z.number(), G: z.number(), B: z.number() }),
      PointList: z.object({ Point: z.array(pointSchema) }),
    }) }) }),
    Vendor: z.object({ Name: z.literal('Vigil') }),
  }),
});

test('an alarm reaches the Event Server as one HTTP/1.1 POST of AnalyticsEvent XML, Content-Length in UTF-8 bytes', async () => {
  const server = await eventServer(200, 'OK', '');
  const outcome = await milestone(server.port).raise(buildAlarm());
  assert.equal(outcome.status, 'delivered');
  const { lines, body } = splitRequest((await server.nextTranscript()).bytes);
  assert.equal(lines[0], 'POST / HTTP/1.1');
  assert.ok(lines.includes('Content-Type: text/xml; charset=utf-8'));
  const length = Number(lines.find((l) => l.startsWith('Content-Length: '))?.slice(16));
  assert.equal(length, body.length, 'Content-Length counts the bytes that follow');
  const text = body.toString('utf8');
  assert.ok(Buffer.byteLength(text, 'utf8') > text.length, 'the camera name is not ASCII, so bytes exceed characters');
  assert.ok(text.startsWith('<?xml version="1.0" encoding="utf-8"?><AnalyticsEvent xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="urn:milestone-systems">'));

  const parsed = eventSchema.parse(new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', isArray: (name) => name === 'Point' }).parse(text));
  const event = parsed.AnalyticsEvent;
  assert.equal(event.EventHeader.Message, 'Vigil scan avoidance');
  assert.equal(event.EventHeader.CustomTag, 'evt_01HZX3K9Q7ABCDEF12345678');
  assert.equal(event.EventHeader.Type, 'scan_avoidance');
  assert.equal(event.EventHeader.Timestamp, '2026-12-06T18:04:05.123Z');
  assert.equal(event.EventHeader.Source.Name, 'Kasse 3 — Übersicht');
  assert.equal(event.EventHeader.Source.FQID.ObjectId, '068680ab-5350-4ac7-a47e-652300b16252');
  assert.equal(event.Description, 'Item passed the scanner <unscanned> & bagged\nhttps://hub.example.com/incidents/inc_1?tab=clip&x=1');
  assert.deepEqual(event.ObjectList.Object.Polygon.PointList.Point, [
    { X: 0.1, Y: 0.2 }, { X: 0.4, Y: 0.2 }, { X: 0.4, Y: 0.9 }, { X: 0.1, Y: 0.9 }, { X: 0.1, Y: 0.2 },
  ]);
  // The schema's sequence: EventHeader, Description, Location, ObjectList, Vendor (Vendor is last).
  const order = ['<EventHeader>', '<Description>', '<Location>', '<ObjectList>', '<Vendor>'].map((tag) => text.indexOf(tag));
  assert.deepEqual([...order].sort((a, b) => a - b), order);
  const header = ['<ID>', '<Timestamp>', '<Type>', '<Message>', '<CustomTag>', '<Source>'].map((tag) => text.indexOf(tag));
  assert.deepEqual([...header].sort((a, b) => a - b), header);
  assert.match(text, /&lt;unscanned&gt; &amp; bagged/);
});

test('a camera known only by name is addressed by <Source><Name>, without an FQID', async () => {
  const server = await eventServer(200, 'OK', '');
  const alarm = buildAlarm({ camera: { id: 'cam_examplecamera0002', name: '192.168.0.199', vms: {} } });
  await milestone(server.port).raise(alarm);
  const text = splitRequest((await server.nextTranscript()).bytes).body.toString('utf8');
  assert.match(text, /<Source><Name>192\.168\.0\.199<\/Name><\/Source>/);
});

test('a 200 whose body warns "Event message not known" is a configuration error: the analytics event is not defined', async () => {
  const adapter = milestone((await eventServer(200, 'OK', 'Warning: Event message not known')).port);
  const outcome = await adapter.raise(buildAlarm());
  assert.equal(outcome.status, 'rejected');
  assert.equal(outcome.status === 'rejected' && outcome.isConfigurationError, true);
  assert.equal(adapter.health().state, 'misconfigured');
});

test('400 is rejected as sent, 403 (address not allowed) is a configuration error, 500 is retried', async () => {
  const bad = await milestone((await eventServer(400, 'Bad Request', 'XML validation failed')).port).raise(buildAlarm());
  assert.deepEqual(bad.status === 'rejected' && bad.isConfigurationError, false);
  assert.equal(bad.status, 'rejected');
  const forbidden = await milestone((await eventServer(403, 'Forbidden', '')).port).raise(buildAlarm());
  assert.equal(forbidden.status === 'rejected' && forbidden.isConfigurationError, true);
  const failing = await milestone((await eventServer(500, 'Internal Server Error', '')).port).raise(buildAlarm());
  assert.equal(failing.status, 'retry');
});

test('an Event Server that never answers and a refused connection are both retried', async () => {
  const silent = await startRawRecorder(() => 'silent');
  recorders.push(silent);
  const adapter = milestone(silent.port, 150);
  const hung = await adapter.raise(buildAlarm());
  assert.equal(hung.status, 'retry');
  assert.match(hung.status === 'retry' ? hung.reason : '', /no answer within 150 ms/);
  const refused = await milestone(await closedPort()).raise(buildAlarm());
  assert.equal(refused.status, 'retry');
  assert.match(refused.status === 'retry' ? refused.reason : '', /ECONNREFUSED/);
  assert.equal(adapter.health().state, 'failing');
  assert.equal(adapter.health().failed, 1);
});

test('an aborted signal ends the send at once with retry', async () => {
  const silent = await startRawRecorder(() => 'silent');
  recorders.push(silent);
  const controller = new AbortController();
  const pending = milestone(silent.port, 60_000).raise(buildAlarm(), controller.signal);
  await silent.nextTranscript();
  controller.abort();
  const outcome = await pending;
  assert.deepEqual(outcome, { status: 'retry', reason: 'aborted by the caller' });
});

test('a port that answers something other than HTTP is a configuration error, not retried forever', async () => {
  const ssh = await startRawRecorder(() => Buffer.from('SSH-2.0-OpenSSH_9.6\r\n\r\n'));
  recorders.push(ssh);
  const outcome = await milestone(ssh.port).raise(buildAlarm());
  assert.equal(outcome.status === 'rejected' && outcome.isConfigurationError, true);
});
