import assert from 'node:assert/strict';
import { test } from 'node:test';
import { slackMessage, taskFromMessage, teamsMessage } from './index.js';

const data = { id: 'inc_01jd0x6q8e4t0m3v7x9k2c5b1n', type: 'scan_avoidance', severity: 'high', storeId: 'sto_a', laneId: 'lan_3', zone: 'exit', links: { self: '/v1/incidents/inc_01jd0x6q8e4t0m3v7x9k2c5b1n', snapshot: '/v1/evidence/files/evd_1' } };
const task = taskFromMessage('incident.created', data, { now: new Date('2026-11-25T10:00:00Z'), dueMinutes: 5, baseUrl: 'https://vigil.example' });

test('a workforce task says what, where (lane and zone), by when, with snapshot and acknowledge links', () => {
  assert.equal(task.title, 'Check scan avoidance');
  assert.deepEqual([task.storeId, task.laneId, task.zone], ['sto_a', 'lan_3', 'exit']);
  assert.equal(task.dueAt.toISOString(), '2026-11-25T10:05:00.000Z');
  assert.equal(task.snapshotUrl, 'https://vigil.example/v1/evidence/files/evd_1');
  assert.match(task.acknowledgeUrl ?? '', /^https:\/\/vigil\.example\/console\/incidents\/inc_.*action=acknowledge$/);
});

test('Slack incoming-webhook shape: text fallback, header, fields, image and buttons', () => {
  const body = slackMessage(task) as { text: string; blocks: Array<{ type: string; elements?: Array<{ url: string }> }> };
  assert.match(body.text, /Check scan avoidance — store sto_a, lane lan_3, zone exit, due by 2026-11-25T10:05:00.000Z/);
  assert.deepEqual(body.blocks.map((b) => b.type), ['header', 'section', 'image', 'actions']);
  assert.equal(body.blocks[3]?.elements?.[0]?.url, task.acknowledgeUrl);
});

test('Teams incoming-webhook shape: a message with an Adaptive Card 1.4 attachment', () => {
  const body = teamsMessage(task) as { type: string; attachments: Array<{ contentType: string; content: { type: string; version: string; body: Array<{ type: string; facts?: Array<{ title: string; value: string }> }>; actions: Array<{ type: string; url: string }> } }> };
  assert.equal(body.type, 'message');
  const card = body.attachments[0]?.content;
  assert.equal(body.attachments[0]?.contentType, 'application/vnd.microsoft.card.adaptive');
  assert.deepEqual([card?.type, card?.version], ['AdaptiveCard', '1.4']);
  const facts = card?.body.find((b) => b.type === 'FactSet')?.facts ?? [];
  assert.deepEqual(facts.map((f) => f.title), ['Store', 'Lane', 'Zone', 'Severity', 'Due by']);
  assert.deepEqual(card?.actions.map((a) => a.type), ['Action.OpenUrl', 'Action.OpenUrl']);
});

test('a region\'s digest becomes a card with its headline and a link to the digest page, not an incident task', () => {
  const digest = taskFromMessage('analytics.digest', {
    id: 'dig_01jd0x6q8e4t0m3v7x9k2c5b1n', region: 'North', cadence: 'weekly', total: { incidents: 42, previous: 40, change: 2, changePercent: 5 },
    links: { self: '/v1/analytics/digests/dig_01jd0x6q8e4t0m3v7x9k2c5b1n', html: '/v1/analytics/digests/dig_01jd0x6q8e4t0m3v7x9k2c5b1n/html' },
  }, { now: new Date('2026-11-25T10:00:00Z'), dueMinutes: 5, baseUrl: 'https://vigil.example' });
  assert.equal(digest.title, 'Weekly digest, North: 42 incidents (+5 %)');
  assert.equal(digest.detailUrl, 'https://vigil.example/v1/analytics/digests/dig_01jd0x6q8e4t0m3v7x9k2c5b1n/html');
  assert.equal(digest.acknowledgeUrl, null, 'nothing to acknowledge');
  const daily = taskFromMessage('analytics.digest', { region: 'South', cadence: 'daily', total: { incidents: 1, changePercent: null } }, { now: new Date(), dueMinutes: 5, baseUrl: null });
  assert.equal(daily.title, 'Daily digest, South: 1 incident');
});
