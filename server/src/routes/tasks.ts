import type { Deps } from '../deps.ts';
import { createRouter } from '../http/create-router.ts';

export function createTasksRoutes(_deps: Deps) {
  const app = createRouter();
  return app;
}
