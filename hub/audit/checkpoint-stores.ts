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

/** Checkpoints are kept per chain: a tenant's shard 0, or one of its other shards. */
export interface CheckpointStore extends CheckpointSink {
  latest(tenantId: string, shard?: number): Promise<FoundCheckpoint | null>;
  /** Every checkpoint of a chain, oldest first (`vigil audit verify --all-checkpoints`). */
  all(tenantId: string, shard?: number): Promise<FoundCheckpoint[]>;
  tenants(): Promise<string[]>;
  /** The shards other than 0 of a tenant that hold checkpoints. */
  shards(tenantId: string): Promise<number[]>;
}

const TENANT = /^ten_[0-9a-z]{10,40}$/;
const FILE = /^(\d{16})\.json$/;
export const seqName = (seq: number): string => String(seq).padStart(16, '0');

export function assertTenantId(tenantId: string): string {
  if (!TENANT.test(tenantId)) throw new AppError('bad_request', `not a tenant id: ${tenantId}`);
  return tenantId;
}

/** Shard 0 keeps the tenant's own folder (as before shards); shard k is the sibling `<tenant>.shard-<k>`. */
export const SHARD_SUFFIX = '.shard-';
export function chainFolder(tenantId: string, shard = 0): string {
  assertTenantId(tenantId);
  if (!Number.isInteger(shard) || shard < 0) throw new AppError('bad_request', `not a shard: ${shard}`);
  return shard === 0 ? tenantId : `${tenantId}${SHARD_SUFFIX}${shard}`;
}

/** The shard numbers of a tenant's sibling folders among `names`. */
export function shardsIn(tenantId: string, names: string[]): number[] {
  const prefix = `${assertTenantId(tenantId)}${SHARD_SUFFIX}`;
  return names.filter((n) => n.startsWith(prefix) && /^[1-9]\d{0,4}$/.test(n.slice(prefix.length))).map((n) => Number(n.slice(prefix.length))).sort((a, b) => a - b);
}

/** One file per chain and sequence number, `<dir>/<tenant>[.shard-<k>]/<seq>.json`, written once (0600), never overwritten. */
export class DirectoryCheckpointStore implements CheckpointStore {
  readonly name: string;
  constructor(private readonly dir: string) {
    this.name = `dir:${dir}`;
  }

  async put(checkpoint: Checkpoint): Promise<void> {
    const folder = join(this.dir, chainFolder(checkpoint.tenantId, checkpoint.shard ?? 0));
    await mkdir(folder, { recursive: true, mode: 0o700 });
    try {
      await writeFile(join(folder, `${seqName(checkpoint.seq)}.json`), `${JSON.stringify(checkpoint)}\n`, { flag: 'wx', mode: 0o600 });
    } catch (error) {
      // Another worker checkpointed the same head first: same statement, nothing to add.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }

  private async names(tenantId: string, shard: number): Promise<string[]> {
    const folder = join(this.dir, chainFolder(tenantId, shard));
    return (await readdir(folder).catch(() => [] as string[])).filter((n) => FILE.test(n)).sort().map((n) => join(folder, n));
  }

  private async read(location: string): Promise<FoundCheckpoint> {
    return { location, checkpoint: parseCheckpoint(await readFile(location, 'utf8')) };
  }

  async latest(tenantId: string, shard = 0): Promise<FoundCheckpoint | null> {
    const newest = (await this.names(tenantId, shard)).pop();
    return newest ? this.read(newest) : null;
  }

  async all(tenantId: string, shard = 0): Promise<FoundCheckpoint[]> {
    const found: FoundCheckpoint[] = [];
    for (const location of await this.names(tenantId, shard)) found.push(await this.read(location));
    return found;
  }

  async tenants(): Promise<string[]> {
    return (await readdir(this.dir).catch(() => [] as string[])).filter((n) => TENANT.test(n)).sort();
  }

  async shards(tenantId: string): Promise<number[]> {
    return shardsIn(tenantId, await readdir(this.dir).catch(() => [] as string[]));
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
