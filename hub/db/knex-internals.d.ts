// knex ships no types for its dialect classes; only what the tenant-binding client extends is declared.
declare module 'knex/lib/dialects/postgres/index.js' {
  import type { Knex } from 'knex';
  class Client_PG extends Knex.Client {
    transaction(...args: unknown[]): unknown;
  }
  export default Client_PG;
}

declare module 'knex/lib/dialects/postgres/execution/pg-transaction.js' {
  class Transaction_PG {
    constructor(...args: unknown[]);
    userParams: Record<string, unknown> | undefined;
    begin(connection: unknown): Promise<unknown>;
    query(connection: unknown, sql: string): Promise<unknown>;
  }
  export default Transaction_PG;
}
