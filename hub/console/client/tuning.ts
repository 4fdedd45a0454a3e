/** The tuning page: accept or reject a proposed minConfidence (`POST /v1/stores/{id}/tuning/decisions`), then reload. */
import { ApiRefusal, announce, api, wireEnvironmentSwitch } from './dom.js';

const storeId = new URLSearchParams(window.location.search).get('storeId');
const fail = (error: unknown) => announce(error instanceof ApiRefusal ? `Not changed: ${error.message}` : 'Not changed: the hub could not be reached.', 'error');

for (const form of document.querySelectorAll<HTMLFormElement>('form.tuning-decision')) {
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const decision = ((event as SubmitEvent).submitter as HTMLButtonElement | null)?.value;
    if (!storeId || (decision !== 'accept' && decision !== 'reject')) return;
    const reason = String(new FormData(form).get('reason') ?? '').trim();
    const body = { rule: form.dataset.rule, minConfidence: Number(form.dataset.threshold), days: Number(form.dataset.days), decision, ...(reason ? { reason } : {}) };
    void api('POST', `/v1/stores/${encodeURIComponent(storeId)}/tuning/decisions`, body).then(() => {
      sessionStorage.setItem('vigil-tuning-notice', decision === 'accept' ? `Accepted: the store's rules now use minConfidence ${body.minConfidence}.` : 'Rejected: the rules stay as they are.');
      window.location.reload();
    }, fail);
  });
}
const notice = sessionStorage.getItem('vigil-tuning-notice');
if (notice) {
  sessionStorage.removeItem('vigil-tuning-notice');
  announce(notice, 'info');
}
wireEnvironmentSwitch();
document.body.dataset.ready = 'tuning';
