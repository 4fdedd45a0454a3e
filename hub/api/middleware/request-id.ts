import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { newId } from '../../../contracts/index.js';
import type { AppState } from '../state.js';

/** A caller's id is kept only in this bounded, log- and header-safe form; anything else gets a fresh one. */
export const INBOUND_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes a sane inbound X-Request-Id or mints one; binds a child logger to it. */
export function requestId(log: Logger): Middleware<AppState> {
  return async (ctx, next) => {
    const inbound = ctx.get('x-request-id');
    const id = INBOUND_REQUEST_ID.test(inbound) ? inbound : newId('request');
    ctx.state.requestId = id;
    ctx.state.log = log.child({ requestId: id });
    ctx.set('x-request-id', id);
    await next();
  };
}
