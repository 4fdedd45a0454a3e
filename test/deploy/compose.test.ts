import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const healthcheck = z.object({ test: z.array(z.string()).min(2), interval: z.string().optional() });
const service = z.object({
  image: z.string().optional(),
  build: z.union([z.string(), z.object({ context: z.string() })]).optional(),
  command: z.array(z.string()).optional(),
  environment: z.record(z.string(), z.string()).optional(),
  env_file: z.union([z.string(), z.array(z.string())]).optional(),
  volumes: z.array(z.string()).optional(),
  healthcheck: healthcheck.optional(),
  depends_on: z.record(z.string(), z.object({ condition: z.string() })).optional(),
  deploy: z.object({ replicas: z.number().int() }).optional(),
  ports: z.array(z.string()).optional(),
  restart: z.string().optional(),
}).passthrough();
const composeFile = z.object({ services: z.record(z.string(), service), volumes: z.record(z.string(), z.unknown()) });

async function loadCompose(): Promise<z.infer<typeof composeFile>> {
  // merge: true resolves the `<<: *hub` keys the hub services share.
  return composeFile.parse(parse(await readFile(`${ROOT}docker-compose.yml`, 'utf8'), { merge: true }));
}

const SECRET_NAME = /(PASSWORD|SECRET|TOKEN|_KEY$|KEY_ID)/;
/** `${NAME:?message}`: taken from .env, required, no default that could be a secret. */
const REQUIRED_FROM_ENV = /^\$\{[A-Z_]+:\?[^}]*\}$/;

test('docker-compose.yml has PostgreSQL, two hub API replicas, a worker, the plugin and MinIO with object lock', async () => {
  const { services, volumes } = await loadCompose();
  for (const name of ['postgres', 'minio', 'minio-buckets', 'hub-migrate', 'hub-api', 'hub-worker', 'plugin']) assert.ok(services[name], `service ${name}`);
  assert.match(services['postgres']?.image ?? '', /^postgres:/);
  assert.match(services['minio']?.image ?? '', /^minio\/minio/);
  assert.match((services['minio-buckets']?.['command'] as string[]).join(' '), /mc mb --ignore-existing --with-lock vigil\/vigil-evidence/);
  assert.equal(services['hub-api']?.deploy?.replicas, 2);
  for (const name of ['hub-migrate', 'hub-api', 'hub-worker', 'plugin']) {
    assert.equal(services[name]?.build, '.', `${name} builds the Dockerfile`);
    assert.equal(services[name]?.image, 'vigil:local');
  }
  assert.deepEqual(services['hub-migrate']?.command, ['migrate', 'up']);
  assert.deepEqual(services['hub-api']?.command, ['hub', '--role', 'api']);
  assert.deepEqual(services['hub-worker']?.command, ['hub', '--role', 'worker']);
  assert.deepEqual(services['plugin']?.command, ['plugin', '--config', '/etc/vigil/plugin.yaml']);
  for (const name of ['postgres', 'minio', 'hub-api', 'hub-worker', 'plugin']) assert.ok(services[name]?.healthcheck, `${name} has a health check`);
  assert.equal(services['hub-api']?.depends_on?.['hub-migrate']?.condition, 'service_completed_successfully');
  assert.equal(services['hub-api']?.environment?.['VIGIL_EVIDENCE_BACKEND'], 's3');
  assert.deepEqual(Object.keys(volumes).sort(), ['hub-data', 'minio-data', 'plugin-data', 'postgres-data']);
});

test('no secret value is written in docker-compose.yml: each comes from .env, required', async () => {
  const { services } = await loadCompose();
  for (const [name, definition] of Object.entries(services)) {
    for (const [key, value] of Object.entries(definition.environment ?? {})) {
      if (key === 'DATABASE_URL') assert.match(value, /^postgres:\/\/vigil:\$\{POSTGRES_PASSWORD:\?[^}]*\}@postgres:5432\/vigil$/, `${name}.${key}`);
      else if (SECRET_NAME.test(key)) assert.match(value, REQUIRED_FROM_ENV, `${name}.${key} must be \${VAR:?…} from .env`);
    }
  }
  const example = await readFile(`${ROOT}.env.example`, 'utf8');
  for (const line of example.split('\n').filter((l) => /^[A-Z_]+=/.test(l))) {
    const [key, value] = line.split('=', 2);
    if (SECRET_NAME.test(key ?? '')) assert.equal(value, '', `.env.example leaves ${key} empty`);
  }
});

test('the Dockerfile builds on node:20 with npm ci, compiles, and runs as a non-root user', async () => {
  const dockerfile = await readFile(`${ROOT}Dockerfile`, 'utf8');
  assert.match(dockerfile, /^FROM node:20[\w.-]* AS build$/m);
  assert.match(dockerfile, /npm ci/);
  assert.match(dockerfile, /npm prune --omit=dev/);
  assert.match(dockerfile, /^USER vigil$/m);
  assert.match(dockerfile, /^ENTRYPOINT \["node", "\/opt\/vigil\/bin\/vigil\.mjs"\]$/m);
});

const hasDocker = (() => {
  try {
    execFileSync('docker', ['compose', 'version'], { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
})();

test('docker compose config accepts the file', { skip: hasDocker ? false : 'no docker CLI with compose on this machine: only the structural checks above ran' }, async () => {
  const env = { ...process.env, POSTGRES_PASSWORD: 'x', MINIO_ROOT_USER: 'x', MINIO_ROOT_PASSWORD: 'x', VIGIL_SECRETS_KEY: 'x', VIGIL_AUDIT_KEY: 'x', VIGIL_HUB_TOKEN: 'x' };
  await new Promise<void>((resolve, reject) => {
    execFile('docker', ['compose', '--env-file', `${ROOT}.env.example`, '-f', `${ROOT}docker-compose.yml`, 'config', '--quiet'], { env, cwd: ROOT, timeout: 60_000 }, (error, _stdout, stderr) => (error ? reject(new Error(stderr)) : resolve()));
  });
});
