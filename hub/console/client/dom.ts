/** Browser helpers for the console's modules: calling the hub's API with the session, dialogs, announcements. */
import { dismissReasonText } from './render.js';

export class ApiRefusal extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
  }
}

/** Extra request headers (If-Match) and a look at the response's (ETag). */
export interface ApiOptions { headers?: Record<string, string>; onHeaders?: (headers: Headers) => void }

/** The hub's own API with the session cookie; JSON in and out, refusals thrown with their stable code. */
export async function api<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown, options: ApiOptions = {}): Promise<T> {
  const response = await fetch(path, {
    method, credentials: 'same-origin',
    headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  options.onHeaders?.(response.headers);
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    throw new ApiRefusal(response.status, error?.code ?? 'error', error?.message ?? `${method} ${path} answered ${response.status}`, error?.details);
  }
  return parsed as T;
}

/** JSON the server put in the page (`<script type="application/json">`, which never runs). */
export function pageData<T>(id = 'console-data'): T {
  const element = document.getElementById(id);
  if (!element?.textContent) throw new Error(`page data #${id} missing`);
  return JSON.parse(element.textContent) as T;
}

/** Says something to screen readers and shows it in the status line. */
export function announce(message: string, kind: 'info' | 'error' = 'info'): void {
  const status = document.getElementById('status');
  if (!status) return;
  status.textContent = message;
  status.dataset.kind = kind;
}

/** A key press meant as a shortcut: not typed into a field, no modifier, no open dialog. */
export function shortcutKey(event: KeyboardEvent): string | null {
  if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return null;
  const target = event.target as HTMLElement | null;
  if (target?.closest('input, textarea, select, [contenteditable="true"], dialog[open]')) return null;
  if (document.querySelector('dialog[open]')) return null;
  return event.key;
}

export function openHelp(): void {
  const help = document.getElementById('help') as HTMLDialogElement | null;
  if (help && !help.open) help.showModal();
}

/** Asks for a dismissal reason; resolves to the reason text, or null when cancelled. */
export function askDismissReason(): Promise<string | null> {
  const dialog = document.getElementById('dismiss') as HTMLDialogElement | null;
  const form = document.getElementById('dismiss-form') as HTMLFormElement | null;
  if (!dialog || !form) return Promise.resolve(null);
  form.reset();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      if (dialog.returnValue !== 'dismiss') return resolve(null);
      const data = new FormData(form);
      const code = data.get('reason');
      resolve(typeof code === 'string' ? dismissReasonText(code, String(data.get('note') ?? '')) : null);
    }, { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    (form.querySelector('input[name=reason]') as HTMLInputElement | null)?.focus();
  });
}

export interface TransitionResult { id: string; state: string; version: number; allowedTransitions: string[] }

/** Makes a move; asks for the dismissal reason first. Null when the user cancelled. */
export async function transition(incidentId: string, to: string, version: number | undefined, reason?: string): Promise<TransitionResult | null> {
  let why = reason;
  if (to === 'dismissed' && why === undefined) {
    const picked = await askDismissReason();
    if (picked === null) return null;
    why = picked;
  }
  return api<TransitionResult>('POST', `/v1/incidents/${encodeURIComponent(incidentId)}/transitions`, {
    to, ...(why === undefined ? {} : { reason: why }), ...(version === undefined ? {} : { expectedVersion: version }),
  });
}

/** The review queue's order as the queue page last showed it, for j/k on an incident page. */
export const QUEUE_ORDER_KEY = 'vigil.queue.order';

/** The environment switch in the band at the top: moves the session, then reloads the page in the new environment. */
export function wireEnvironmentSwitch(): void {
  const picker = document.getElementById('environment-switch');
  if (!(picker instanceof HTMLSelectElement)) return;
  picker.addEventListener('change', () => {
    void api('POST', '/v1/session/environment', { environment: picker.value })
      .then(() => window.location.assign('/console'))
      .catch((error: unknown) => announce(error instanceof Error ? error.message : 'the environment could not be switched', 'error'));
  });
}
