// What every request carries through the Hono app.
import type { Context } from 'hono';
import type { Caller } from '../auth/caller.js';
import { ApiError } from '../errors.js';

export interface AppEnv {
  Variables: {
    /** Set by the authentication middleware on every non-public /api route. */
    caller: Caller;
  };
}

/** The caller of a protected route (a route outside the auth middleware has none: a wiring bug). */
export function callerOf(c: Context<AppEnv>): Caller {
  const caller = c.get('caller') as Caller | undefined;
  if (!caller) throw new ApiError('INTERNAL_ERROR', 'route is not behind authentication');
  return caller;
}
