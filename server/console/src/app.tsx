import { useCallback, useEffect, useState } from 'preact/hooks';
import { AuthenticationError } from '@taskproc/client';
import { href, navigate, useRoute, type Route } from './router.ts';
import { forgetToken, storedToken } from './session/token-store.ts';
import { viewsFor } from './views/nav.ts';
import { ProvidersView } from './views/providers-view.tsx';
import { RunView } from './views/run/run-view.tsx';
import { openSession, SignIn, type Session } from './views/sign-in.tsx';
import { StatsView } from './views/admin/stats-view.tsx';
import { TaskTypesView } from './views/admin/task-types-view.tsx';
import { TokensView } from './views/admin/tokens-view.tsx';
import { TaskDetailView } from './views/tasks/task-detail-view.tsx';
import { TaskListView } from './views/tasks/task-list-view.tsx';
import { Unreachable } from './views/unreachable.tsx';

type State =
  | { kind: 'checking' }
  | { kind: 'unreachable'; error: unknown }
  | { kind: 'signed-out'; notice?: string | undefined }
  | { kind: 'signed-in'; session: Session };

export function App() {
  const [state, setState] = useState<State>(() => (storedToken() ? { kind: 'checking' } : { kind: 'signed-out' }));
  const session = state.kind === 'signed-in' ? state.session : undefined;
  const signOut = useCallback((notice?: string) => {
    forgetToken();
    setState({ kind: 'signed-out', notice });
  }, []);

  // A token kept from earlier in this tab: check it is still good (it may have been revoked).
  // Only the coordinator's refusal forgets it; a coordinator restarting or out of reach does not.
  const restore = useCallback(() => {
    const token = storedToken();
    if (!token) return setState({ kind: 'signed-out' });
    setState({ kind: 'checking' });
    openSession(token).then(
      (opened) => setState({ kind: 'signed-in', session: opened }),
      (err: unknown) => (err instanceof AuthenticationError ? signOut('The stored token is no longer accepted; sign in again.') : setState({ kind: 'unreachable', error: err })),
    );
  }, [signOut]);
  useEffect(restore, [restore]);

  // A token revoked while the console is open: the next call says so, and the console with it.
  useEffect(() => session?.connection.onUnauthorized(() => signOut('Your token is no longer accepted (it was revoked); sign in again.')), [session, signOut]);

  if (state.kind === 'checking') return <p class="checking">Signing in…</p>;
  if (state.kind === 'unreachable') return <Unreachable error={state.error} onRetry={restore} onSignOut={() => signOut()} />;
  if (state.kind === 'signed-out') return <SignIn notice={state.notice} onSignedIn={(opened) => setState({ kind: 'signed-in', session: opened })} />;
  return (
    <Shell
      session={state.session}
      onSignOut={() => {
        navigate('');
        signOut();
      }}
    />
  );
}

function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const route = useRoute();
  const allowed = viewsFor(session.role);
  const current = allowed.find((v) => v.view === route.view) ?? allowed[0]!;

  // A view the role does not have (or none) becomes the role's first view.
  useEffect(() => {
    if (route.view !== current.view) history.replaceState(null, '', href(current.view));
  }, [route.view, current.view]);
  // A new view takes the focus at its heading, so screen readers announce where they are.
  useEffect(() => {
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [current.view, route.id]);

  return (
    <>
      {/* The fragment holds the view, so the skip link moves the focus itself instead of jumping. */}
      <a
        class="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.querySelector<HTMLElement>('main h1')?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="top">
        <span class="brand">taskproc</span>
        <nav aria-label="Console">
          <ul>
            {allowed.map((v) => (
              <li key={v.view}>
                <a href={href(v.view)} aria-current={v.view === current.view ? 'page' : undefined}>
                  {v.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class="who">
          <span class="role" data-role={session.role}>
            {session.role} token
          </span>
          <button type="button" class="secondary" onClick={onSignOut}>
            Sign out
          </button>
        </span>
      </header>
      <main id="main">
        <View session={session} view={current.view} route={route} />
      </main>
    </>
  );
}

function View({ session, view, route }: { session: Session; view: string; route: Route }) {
  const { connection, role } = session;
  if (view === 'run') return <RunView connection={connection} route={route} />;
  if (view === 'tasks' && route.id && /^\d+$/.test(route.id)) return <TaskDetailView key={route.id} connection={connection} id={Number(route.id)} />;
  if (view === 'tasks') return <TaskListView connection={connection} route={route} role={role} />;
  if (view === 'queue') return <StatsView connection={connection} />;
  if (view === 'tokens') return <TokensView connection={connection} />;
  if (view === 'types') return <TaskTypesView connection={connection} />;
  return <ProvidersView connection={connection} />;
}
