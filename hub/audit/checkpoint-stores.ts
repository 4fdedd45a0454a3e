import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../contracts/index.js';
import { parseCheckpoint, type Checkpoint } from './checkpoint.js';

/** Where a checkpoint goes. */
export interface CheckpointSink {
  /** For messages: `dir:/var/lib/vigil/audit/checkpoints`, `s3://bucket/prefix`, `webhook:https://…`. */
  readonly name: string;
  put(checkpoint: Checkpoint): Promise<void>;
}

/** What `vigil audit verify` reads back: the newest checkpoint of a tenant, or one that does not parse. */
export interface FoundCheckpoint {
  location: string;
  checkpoint: Checkpoint | null;
}

export interface CheckpointStore extends CheckpointSink {
  latest(tenantId: string): Promise<FoundCheckpoint | null>;
  /** Every checkpoint of a tenant, oldest first (`vigil audit verify --all-checkpoints`). */
  all(tenantId: string): Promise<FoundCheckpoint[]>;
  tenants(): Promise<string[]>;
}

const TENANT = /^ten_[0-9a-z]{10,40}$/;
const FILE = /^(\d{16})\.json$/;
export const seqName = (seq: number): string => String(seq).padStart(16, '0');

export function assertTenantId(tenantId: string): string {
  if (!TENANT.test(tenantId)) throw new AppError('bad_request', `not a tenant id: ${tenantId}`);
  return tenantId;
}

/** One file per tenant and sequence number, `<dir>/<tenant>/<seq>.json`, written once (0600), never overwritten. */
export class DirectoryCheckpointStore implements CheckpointStore {
  readonly name: string;
  constructor(private readonly dir: string) {
    this.name = `dir:${dir}`;
  }

  async put(checkpoint: Checkpoint): Promise<void> {
    const folder = join(this.dir, assertTenantId(checkpoint.tenantId));
    await mkdir(folder, { recursive: true, mode: 0o700 });
    try {
      await writeFile(join(folder, `${seqName(checkpoint.seq)}.json`), `${JSON.stringify(checkpoint)}\n`, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      // Another worker checkpointed the same head first: same statement, nothing to add.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }

  private async names(tenantId: string): Promise<string[]> {
    const folder = join(this.dir, assertTenantId(tenantId));
    return (await readdir(folder).catch(() => [] as string[])).filter((n) => FILE.test(n)).sort().map((n) => join(folder, n));
  }

  private async read(location: string): Promise<FoundCheckpoint> {
    return { location, checkpoint: parseCheckpoint(await readFile(location, 'utf8')) };
  }

  async latest(tenantId: string): Promise<FoundCheckpoint | null> {
    const newest = (await this.names(tenantId)).pop();
    return newest ? this.read(newest) : null;
  }

  async all(tenantId: string): Promise<FoundCheckpoint[]> {
    const found: FoundCheckpoint[] = [];
    for (const location of await this.names(tenantId)) found.push(await this.read(location));
    return found;
  }

  async tenants(): Promise<string[]> {
    return (await readdir(this.dir).catch(() => [] as string[])).filter((n) => TENANT.test(n)).sort();
  }
}

/** POSTs each checkpoint as JSON to a URL the operator controls (a SIEM, a notary); it is never read back. */
export class WebhookCheckpointSink implements CheckpointSink {
  readonly name: string;
  constructor(private readonly url: string, private readonly timeoutMs = 10_000) {
    this.name = `webhook:${new URL(url).origin}`;
  }

  async put(checkpoint: Checkpoint): Promise<void> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'vigil-hub audit-checkpoint' },
      body: JSON.stringify(checkpoint),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    await response.body?.cancel();
    if (!response.ok) throw new AppError('unavailable', `audit checkpoint webhook answered ${response.status}`);
  }
}
