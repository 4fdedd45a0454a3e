import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { storeRulesDocumentSchema, type StoreRulesDocument } from '../../contracts/index.js';
import { writeFileAtomic } from '../outbox/atomic-file.js';

/** What the hub answers a conditional pull of a store's rule document. */
export type StoreRulesPull = { readonly status: 'unchanged' } | { readonly status: 'updated'; readonly etag: string; readonly document: StoreRulesDocument };

export interface StoreRulesSource {
  fetchStoreRules(storeId: string, etag?: string): Promise<StoreRulesPull>;
}

export interface StoreRulesSyncOptions {
  readonly source: StoreRulesSource;
  readonly storeIds: readonly string[];
  /** Last pulled documents are kept here, so a restart without the hub runs the rules it last had. */
  readonly cacheDir: string;
  readonly pollMs: number;
  readonly logger: Logger;
  /** Called with each store's document when first known (cache or hub) and on every new version. */
  readonly onDocument: (document: StoreRulesDocument) => void;
}

interface Cached {
  readonly etag: string;
  readonly document: StoreRulesDocument;
}

/**
 * Keeps each store's rule configuration in step with the hub: a conditional GET (ETag) every `pollMs`, the last
 * document cached on disk. An unreachable hub costs nothing but a log line now and then: the rules in force stay.
 */
export class StoreRulesSync {
  private readonly known = new Map<string, Cached>();
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private polling: Promise<void> | null = null;

  constructor(private readonly options: StoreRulesSyncOptions) {}

  async start(): Promise<void> {
    await mkdir(this.options.cacheDir, { recursive: true });
    for (const storeId of this.options.storeIds) await this.loadCached(storeId);
    // The first pull runs in the background: a slow or absent hub never holds up the cameras.
    void this.pollNow();
    this.timer = setInterval(() => void this.pollNow(), this.options.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.polling;
  }

  /** The version in force per store (0: the hub has none; the plugin's own config rules run). */
  versions(): Record<string, number> {
    return Object.fromEntries([...this.known].map(([storeId, cached]) => [storeId, cached.document.version]));
  }

  /** One round of pulls; concurrent calls share the round in flight. */
  pollNow(): Promise<void> {
    this.polling ??= this.pollAll().finally(() => (this.polling = null));
    return this.polling;
  }

  private async pollAll(): Promise<void> {
    for (const storeId of this.options.storeIds) {
      try {
        await this.pull(storeId);
        this.failures = 0;
      } catch (error) {
        this.failures += 1;
        if (this.failures === 1 || this.failures % 30 === 0) this.options.logger.warn({ err: error, store: storeId, failures: this.failures }, 'store rules could not be pulled from the hub; the rules in force stay');
      }
    }
  }

  private async pull(storeId: string): Promise<void> {
    const answer = await this.options.source.fetchStoreRules(storeId, this.known.get(storeId)?.etag);
    if (answer.status === 'unchanged') return;
    const cached: Cached = { etag: answer.etag, document: answer.document };
    await writeFileAtomic(this.cachePath(storeId), JSON.stringify(cached));
    this.adopt(storeId, cached);
  }

  private async loadCached(storeId: string): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.cachePath(storeId), 'utf8');
    } catch {
      return;
    }
    try {
      const raw = JSON.parse(text) as { etag?: unknown; document?: unknown };
      const document = storeRulesDocumentSchema.parse(raw.document);
      if (typeof raw.etag === 'string') this.adopt(storeId, { etag: raw.etag, document });
    } catch (error) {
      this.options.logger.warn({ err: error, store: storeId }, 'cached store rules are unreadable; waiting for the hub');
    }
  }

  private adopt(storeId: string, cached: Cached): void {
    this.known.set(storeId, cached);
    this.options.logger.info({ store: storeId, version: cached.document.version, rules: cached.document.rules.length }, 'store rules in force');
    this.options.onDocument(cached.document);
  }

  private cachePath(storeId: string): string {
    return join(this.options.cacheDir, `${storeId.replace(/[^A-Za-z0-9_-]/g, '_')}.json`);
  }
}
