/** The audit page: asks the hub to verify the tenant's chain (`GET /v1/audit/verification`) and shows the verdict. */
import { ApiRefusal, api, wireEnvironmentSwitch } from './dom.js';
import { escapeHtml } from './render.js';

interface Held { seq: number; at: string; location: string }
interface Verification {
  ok: boolean;
  verifiedAt: string;
  records: number;
  problem: { kind: string; shard: number; seq: number; id: string; message: string } | null;
  shards: Array<{ shard: number; records: number; ok: boolean; checkpoint: Held | null; last: { seq: number; id: string } | null }>;
  notes: string[];
}

function verdictHtml(v: Verification): string {
  const headline = v.ok
    ? `<p id="chain-verdict" data-ok="true"><strong>The chain verifies</strong>: ${v.records} records in ${v.shards.length} shard${v.shards.length === 1 ? '' : 's'}, checked ${escapeHtml(v.verifiedAt.replace('T', ' ').slice(0, 19))} UTC.</p>`
    : `<p id="chain-verdict" data-ok="false" class="broken"><strong>The chain does not verify</strong> (shard ${v.problem?.shard ?? 0}, record ${v.problem?.seq ?? '?'}, ${escapeHtml(v.problem?.kind ?? 'problem')}): ${escapeHtml(v.problem?.message ?? '')}</p>`;
  const rows = v.shards.map((s) => `<tr data-shard="${s.shard}" data-ok="${s.ok}"><th scope="row">${s.shard}</th><td>${s.ok ? 'verifies' : '<strong>broken</strong>'}</td><td>${s.records}</td>
<td>${s.last ? `${s.last.seq} <code>${escapeHtml(s.last.id)}</code>` : '—'}</td><td>${s.checkpoint ? `seq ${s.checkpoint.seq}, signed ${escapeHtml(s.checkpoint.at.replace('T', ' ').slice(0, 19))} UTC` : 'none yet'}</td></tr>`).join('');
  const notes = v.notes.length ? `<ul class="notice">${v.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : '';
  return `${headline}<table id="chain-shards"><thead><tr><th scope="col">Shard</th><th scope="col">State</th><th scope="col">Records</th><th scope="col">Last verified record</th><th scope="col">Checkpoint held against</th></tr></thead><tbody>${rows}</tbody></table>${notes}`;
}

const holder = document.getElementById('chain-status');
const button = document.getElementById('chain-verify') as HTMLButtonElement | null;

async function verify(): Promise<void> {
  if (!holder) return;
  if (button) button.disabled = true;
  holder.setAttribute('aria-busy', 'true');
  try {
    holder.innerHTML = verdictHtml(await api<Verification>('GET', '/v1/audit/verification'));
  } catch (error) {
    holder.innerHTML = `<p id="chain-verdict" data-ok="unknown">The chain could not be verified: ${escapeHtml(error instanceof ApiRefusal ? error.message : 'the hub could not be reached')}</p>`;
  } finally {
    holder.removeAttribute('aria-busy');
    if (button) button.disabled = false;
    document.body.dataset.chain = 'shown';
  }
}

button?.addEventListener('click', () => void verify());
wireEnvironmentSwitch();
void verify();
