import { useState } from 'preact/hooks';
import { AuthenticationError } from '@taskproc/client';
import { connect, type Connection } from '../api/connection.ts';
import { shownError } from '../api/problem.ts';
import { describedByOf, FieldFrame } from '../components/field-frame.tsx';
import { detectRole, type Role } from '../session/role.ts';
import { storeToken } from '../session/token-store.ts';

export interface Session {
  connection: Connection;
  role: Role;
}

/** Checks a token against the coordinator and finds its role; throws what the API answered. */
export async function openSession(token: string): Promise<Session> {
  const connection = connect(token);
  return { connection, role: await detectRole(connection) };
}

const help = 'It stays in this browser tab (session storage) until you sign out or close the tab.';

/** Sign in with a token; it is kept in this tab's session storage, never in the URL. */
export function SignIn({ onSignedIn, notice }: { onSignedIn: (session: Session) => void; notice?: string | undefined }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const session = await openSession(token.trim());
      storeToken(token.trim());
      onSignedIn(session);
    } catch (err) {
      setError(err instanceof AuthenticationError ? `The coordinator did not accept this token: ${shownError(err).message}` : shownError(err).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="sign-in">
      <h1>taskproc console</h1>
      <p>Sign in with a token: an admin token shows everything, an app token its app's tasks, a provider token the providers.</p>
      {notice && <p role="status">{notice}</p>}
      <form onSubmit={submit} noValidate>
        <FieldFrame id="token" label="Token" help={help} error={error}>
          <input
            id="token"
            type="password"
            autoComplete="off"
            spellcheck={false}
            value={token}
            aria-invalid={!!error}
            aria-describedby={describedByOf({ id: 'token', help, error })}
            onInput={(e) => setToken(e.currentTarget.value)}
          />
        </FieldFrame>
        <button type="submit" disabled={busy || token.trim() === ''}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
