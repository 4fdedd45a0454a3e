import type { WorkforceTask } from './task.js';

/** A Microsoft Teams incoming-webhook body carrying an Adaptive Card (version 1.4). */
export function teamsMessage(task: WorkforceTask): Record<string, unknown> {
  const facts = [
    { title: 'Store', value: task.storeId },
    ...(task.laneId ? [{ title: 'Lane', value: task.laneId }] : []),
    ...(task.zone ? [{ title: 'Zone', value: task.zone }] : []),
    { title: 'Severity', value: task.severity },
    { title: 'Due by', value: task.dueAt.toISOString() },
  ];
  const body: Array<Record<string, unknown>> = [
    { type: 'TextBlock', text: task.title, weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: task.what, wrap: true, isSubtle: true },
    { type: 'FactSet', facts },
  ];
  if (task.snapshotUrl) body.push({ type: 'Image', url: task.snapshotUrl, altText: 'snapshot' });
  const actions = [
    task.acknowledgeUrl ? { type: 'Action.OpenUrl', title: 'Acknowledge', url: task.acknowledgeUrl } : null,
    task.detailUrl ? { type: 'Action.OpenUrl', title: 'Open', url: task.detailUrl } : null,
  ].filter(Boolean);
  return {
    type: 'message',
    attachments: [{
      contentType: 'application/vnd.microsoft.card.adaptive',
      contentUrl: null,
      content: { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4', body, actions },
    }],
  };
}
