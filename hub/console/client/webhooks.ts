/** A webhook endpoint's page: "Resend" queues a message again (`POST /v1/webhooks/{id}/messages/{messageId}/resend`); settings, recover and rotate for editors. */
import { announce, api, pageData, wireEnvironmentSwitch } from './dom.js';
import { wireWebhookSettings } from './webhook-settings.js';

const { webhookId, canEdit } = pageData<{ webhookId: string; canEdit: boolean }>();

document.getElementById('deliveries')?.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-resend]');
  const messageId = button?.dataset.resend;
  if (!button || !messageId) return;
  button.disabled = true;
  void api<{ deliveryId: string }>('POST', `/v1/webhooks/${encodeURIComponent(webhookId)}/messages/${encodeURIComponent(messageId)}/resend`)
    .then(({ deliveryId }) => {
      announce(`Queued again as delivery ${deliveryId}.`);
      document.body.dataset.resent = deliveryId;
      window.location.reload();
    })
    .catch((error: unknown) => {
      button.disabled = false;
      announce(error instanceof Error ? `Not resent: ${error.message}` : 'Not resent.', 'error');
    });
});
if (canEdit) wireWebhookSettings(webhookId);
wireEnvironmentSwitch();
document.body.dataset.ready = 'webhooks';
