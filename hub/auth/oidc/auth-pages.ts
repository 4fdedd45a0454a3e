const escape = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}button{padding:.6rem 1.2rem}.code{color:#666;font-size:.85rem}</style></head>
<body>${body}</body></html>`;
}

/** A sign-in problem as a page a person can read; the stable code is kept in `data-code` for scripts and tests. */
export function signInErrorPage(input: { code: string; message: string; requestId: string }): string {
  return layout('Sign-in failed', `<h1>Sign-in failed</h1>
<p id="reason" data-code="${escape(input.code)}">${escape(input.message)}</p>
<p><a href="/auth/login">Sign in again</a></p>
<p class="code">code ${escape(input.code)} · request ${escape(input.requestId)}</p>`);
}

/** GET /auth/logout: logging out changes state, so it takes a POST from this page (same origin). */
export function logoutPage(): string {
  return layout('Sign out of Vigil', `<h1>Sign out of Vigil</h1>
<form method="post" action="/auth/logout"><button type="submit" id="logout">Sign out</button></form>`);
}

export function loggedOutPage(): string {
  return layout('Signed out', `<h1>You are signed out</h1>
<p><a href="/auth/login">Sign in again</a></p>`);
}
