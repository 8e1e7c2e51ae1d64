import type { Principal } from '../auth/tokens.ts';

/** Hono context variables set by the middleware. */
export interface AppEnv {
  Variables: {
    requestId: string;
    principal: Principal;
  };
}
