import type { WorkforceTask } from './task.js';

/** A Slack incoming-webhook body (`text` fallback + Block Kit blocks). */
export function slackMessage(task: WorkforceTask): Record<string, unknown> {
  const where = [`store ${task.storeId}`, task.laneId ? `lane ${task.laneId}` : null, task.zone ? `zone ${task.zone}` : null].filter(Boolean).join(', ');
  const due = task.dueAt.toISOString();
  const blocks: Array<Record<string, unknown>> = [
    { type: 'header', text: { type: 'plain_text', text: task.title.slice(0, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: `*Where:* ${where}\n*Severity:* ${task.severity}\n*Due by:* <!date^${Math.floor(task.dueAt.getTime() / 1000)}^{time}|${due}>` } },
  ];
  if (task.snapshotUrl) blocks.push({ type: 'image', image_url: task.snapshotUrl, alt_text: 'snapshot' });
  const buttons = [
    task.acknowledgeUrl ? { type: 'button', text: { type: 'plain_text', text: 'Acknowledge' }, url: task.acknowledgeUrl, style: 'primary' } : null,
    task.detailUrl ? { type: 'button', text: { type: 'plain_text', text: 'Open' }, url: task.detailUrl } : null,
  ].filter(Boolean);
  if (buttons.length > 0) blocks.push({ type: 'actions', elements: buttons });
  return { text: `${task.title} — ${where}, due by ${due}`, blocks };
}
