import { ErrorMessage } from '../components/error-message.tsx';

/** The stored token could not be checked: the coordinator did not answer, which says nothing about the token. */
export function Unreachable({ error, onRetry, onSignOut }: { error: unknown; onRetry: () => void; onSignOut: () => void }) {
  return (
    <main id="main" class="sign-in">
      <h1>taskproc console</h1>
      <p>The coordinator could not be reached, so your token could not be checked. It is kept: retry when the coordinator is back.</p>
      <ErrorMessage error={error} />
      <div class="actions">
        <button type="button" onClick={onRetry}>
          Retry
        </button>
        <button type="button" class="secondary" onClick={onSignOut}>
          Sign in with another token
        </button>
      </div>
    </main>
  );
}
