import { useEffect, useState } from 'preact/hooks';

// Views live in the URL's fragment (#/tasks/12, #/tasks?status=failed), so the coordinator
// serves one page and Back, Forward and bookmarks work. Never the token: see token-store.ts.

export interface Route {
  view: string;
  /** The part after the view: a task id. */
  id: string | undefined;
  query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const [view = '', id] = path.split('/').filter(Boolean);
  return { view, id, query: new URLSearchParams(search) };
}

/** A link to a view: `#/tasks`, `#/tasks/12`, `#/tasks?status=failed`. */
export function href(view: string, id?: string | number, query?: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value) search.set(key, value);
  const tail = search.size > 0 ? `?${search}` : '';
  return `#/${view}${id !== undefined ? `/${id}` : ''}${tail}`;
}

export function navigate(to: string): void {
  location.hash = to;
}

/** The current route, updated on every change of the fragment. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
