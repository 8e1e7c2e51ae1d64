/**
 * Tells 404 from 405: given the app's registered routes, which methods does a path support?
 * Hono itself answers 404 for both.
 */
export function allowedMethods(routes: ReadonlyArray<{ method: string; path: string }>, path: string): string[] {
  const methods = new Set<string>();
  for (const route of routes) {
    if (route.method === 'ALL' || route.path.includes('*')) continue;
    if (patternOf(route.path).test(path)) methods.add(route.method);
  }
  return [...methods].sort();
}

const cache = new Map<string, RegExp>();
function patternOf(routePath: string): RegExp {
  let re = cache.get(routePath);
  if (!re) {
    const source = routePath
      .split('/')
      .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    re = new RegExp(`^${source}/?$`);
    cache.set(routePath, re);
  }
  return re;
}
