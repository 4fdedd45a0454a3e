/** Every way of smuggling another host through returnTo that the issue names, and their relatives. */
export const OPEN_REDIRECTS = [
  '/.//evil.example/x', '/%2e%2e//evil.example/x', '/%2E%2E/%2Fevil.example/x', '/x/..//evil.example/x', '//evil.example/x',
  '/\\evil.example/x', '/%5Cevil.example/x', '/%2F%2Fevil.example/x', 'https://evil.example/x', 'javascript:alert(1)',
  '/%09/evil.example', '/\t/evil.example', '/%252e%252e//evil.example/x',
];
