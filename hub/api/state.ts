import type { Clock } from '../../contracts/index.js';
import type { Transaction } from '../../models/index.js';
import type { ParameterizedContext } from 'koa';
import type { Logger } from 'pino';
import type { AppAbility, Principal } from '../../policies/index.js';

export interface AppState {
  requestId: string;
  log: Logger;
  principal?: Principal;
  ability?: AppAbility;
}

export type AppContext = ParameterizedContext<AppState>;

/** Everything a route handler needs, with tenancy and permission in its signature. */
export interface RequestContext {
  requestId: string;
  clientAddress: string | null;
  principal: Principal;
  ability: AppAbility;
  trx: Transaction;
  /** The hub's clock (injected in tests). */
  now: Clock;
  log: Logger;
}
