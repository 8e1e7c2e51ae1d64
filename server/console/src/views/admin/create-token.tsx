import { useState } from 'preact/hooks';
import { adminRoutes, tokenRoles, type TokenRole } from '@taskproc/spec';
import type { Connection } from '../../api/connection.ts';
import { shownError, type ShownError } from '../../api/problem.ts';
import { describedByOf, FieldFrame } from '../../components/field-frame.tsx';

interface Created {
  id: number;
  name: string;
  token: string;
}

/** Creates a token and shows its secret this once: the coordinator keeps only a hash. */
export function CreateToken({ connection, onCreated }: { connection: Connection; onCreated: () => void }) {
  const [role, setRole] = useState<TokenRole>('app');
  const [appId, setAppId] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<ShownError | undefined>(undefined);
  const [created, setCreated] = useState<Created | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const fieldError = (field: string) => (error?.field === field ? error.message : undefined);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const answer = await connection.call(adminRoutes.createToken, { json: { role, name, ...(appId ? { appId } : {}) } });
      setCreated({ id: answer.id, name: answer.name, token: answer.token });
      setName('');
      setAppId('');
      onCreated();
    } catch (err) {
      setError(shownError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {created && <SecretOnce created={created} onDone={() => setCreated(undefined)} />}
      <form class="create-token" onSubmit={submit} noValidate>
        <h2>New token</h2>
        <div class="field">
          <label for="token-role">Role</label>
          <select id="token-role" value={role} onChange={(e) => setRole(e.currentTarget.value as TokenRole)}>
            {tokenRoles.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </div>
        <Field id="token-app" label={`App id${role === 'admin' ? ' (not used by admin tokens)' : ''}`} value={appId} onInput={setAppId} error={fieldError('appId')} />
        <Field id="token-name" label="Name (what it is for)" value={name} onInput={setName} error={fieldError('name')} />
        {error && !error.field && (
          <p class="error" role="alert">
            {error.message}
          </p>
        )}
        <div class="actions">
          <button type="submit" disabled={busy}>
            Create token
          </button>
        </div>
      </form>
    </>
  );
}

function Field({ id, label, value, onInput, error }: { id: string; label: string; value: string; onInput: (v: string) => void; error: string | undefined }) {
  return (
    <FieldFrame id={id} label={label} error={error}>
      <input id={id} value={value} aria-invalid={!!error} aria-describedby={describedByOf({ id, error })} onInput={(e) => onInput(e.currentTarget.value)} />
    </FieldFrame>
  );
}

function SecretOnce({ created, onDone }: { created: Created; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div class="secret" role="status">
      <h2>
        Token {created.id} ({created.name}) was created
      </h2>
      <p>
        <strong>Copy the secret now: it is shown only this once.</strong> The coordinator keeps only its hash.
      </p>
      <label for="new-token-secret">Secret</label>
      <input id="new-token-secret" readOnly value={created.token} onFocus={(e) => e.currentTarget.select()} />
      <div class="actions">
        <button
          type="button"
          class="secondary"
          onClick={() => {
            // The clipboard API exists only in secure contexts; the field can always be selected.
            navigator.clipboard?.writeText(created.token).then(() => setCopied(true), () => setCopied(false));
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" onClick={onDone}>
          Done, hide it
        </button>
      </div>
    </div>
  );
}
