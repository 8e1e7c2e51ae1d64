import type { Role } from '../session/role.ts';

/** The console's views and who sees them: what a role may not call is not offered. */
export const views = [
  { view: 'run', label: 'Run a task', roles: ['admin', 'app'] },
  { view: 'tasks', label: 'Tasks', roles: ['admin', 'app'] },
  { view: 'providers', label: 'Providers', roles: ['admin', 'app', 'provider'] },
  { view: 'queue', label: 'Queue', roles: ['admin'] },
  { view: 'tokens', label: 'Tokens', roles: ['admin'] },
  { view: 'types', label: 'Task types', roles: ['admin'] },
] as const satisfies ReadonlyArray<{ view: string; label: string; roles: readonly Role[] }>;

export function viewsFor(role: Role) {
  return views.filter((v) => (v.roles as readonly Role[]).includes(role));
}
