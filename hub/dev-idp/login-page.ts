const escape = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** The dev provider's own sign-in form (oidc-provider's devInteractions stay off). */
export function loginPage(input: { uid: string; clientId: string; error?: string; email?: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vigil dev sign-in</title>
<style>body{font-family:system-ui,sans-serif;max-width:26rem;margin:4rem auto;padding:0 1rem}label{display:block;margin:.8rem 0 .2rem}
input{width:100%;padding:.5rem;box-sizing:border-box}button{margin-top:1rem;padding:.6rem 1.2rem}.warn{background:#fff3cd;padding:.6rem}.err{color:#b00020}</style></head>
<body><h1>Vigil dev sign-in</h1>
<p class="warn">Development identity provider: never use it in production.</p>
<p>Signing in to <strong>${escape(input.clientId)}</strong>.</p>
${input.error ? `<p class="err" role="alert">${escape(input.error)}</p>` : ''}
<form method="post" action="/idp/interaction/${escape(input.uid)}/login" autocomplete="off">
<label for="email">E-mail</label><input id="email" name="email" type="email" required value="${escape(input.email ?? '')}">
<label for="password">Password</label><input id="password" name="password" type="password" required>
<button type="submit">Sign in</button>
</form></body></html>`;
}
