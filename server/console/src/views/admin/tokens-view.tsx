import { useEffect, useRef, useState } from 'preact/hooks';
import { adminRoutes } from '@taskproc/spec';
import type { Connection } from '../../api/connection.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { ColumnHeaders, TableScroll } from '../../components/table-scroll.tsx';
import { TimeText } from '../../components/time-text.tsx';
import { useLoad } from '../../components/use-load.ts';
import { CreateToken } from './create-token.tsx';

/** Admin: every token (secrets are never listed), a form for a new one, revocation. */
export function TokensView({ connection }: { connection: Connection }) {
  const tokens = useLoad((signal) => connection.call(adminRoutes.listTokens, { signal }), [connection]);
  return (
    <section>
      <h1 tabIndex={-1}>Tokens</h1>
      <CreateToken connection={connection} onCreated={tokens.reload} />
      <h2>All tokens</h2>
      <ErrorMessage error={tokens.error} />
      {tokens.data && (
        <TableScroll label="Tokens">
          <table class="tokens">
            <ColumnHeaders names={['Id', 'Name', 'Role', 'App', 'Created', 'Last used', 'State']} />
            <tbody>
              {tokens.data.tokens.map((t) => (
                <tr key={t.id} data-token-id={t.id}>
                  <td>{t.id}</td>
                  <th scope="row">{t.name}</th>
                  <td>{t.role}</td>
                  <td>{t.appId ?? '—'}</td>
                  <td>
                    <TimeText iso={t.createdAt} />
                  </td>
                  <td>
                    <TimeText iso={t.lastUsedAt} />
                  </td>
                  <td>
                    {t.revokedAt ? (
                      <span>
                        revoked <TimeText iso={t.revokedAt} />
                      </span>
                    ) : (
                      <Revoke connection={connection} id={t.id} name={t.name} onRevoked={tokens.reload} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

/** Revoking is asked twice, in place: a revoked token cannot be brought back. */
function Revoke({ connection, id, name, onRevoked }: { connection: Connection; id: number; name: string; onRevoked: () => void }) {
  const [asking, setAsking] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const confirm = useRef<HTMLButtonElement>(null);
  // The question takes the focus, so a keyboard user answers it next.
  useEffect(() => {
    if (asking) confirm.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button type="button" class="secondary" aria-label={`Revoke token ${id} (${name})`} onClick={() => setAsking(true)}>
        Revoke
      </button>
    );
  }
  return (
    <span class="confirm">
      <span>Revoke for good?</span>{' '}
      <button
        type="button"
        class="danger"
        aria-label={`Yes, revoke token ${id}`}
        ref={confirm}
        disabled={busy}
        onClick={() => {
          setBusy(true);
          setError(undefined);
          connection
            .send(adminRoutes.revokeToken, { params: { id } })
            .then(onRevoked, setError)
            .finally(() => setBusy(false));
        }}
      >
        {busy ? 'Revoking…' : 'Yes, revoke'}
      </button>{' '}
      <button type="button" class="secondary" onClick={() => setAsking(false)}>
        Keep
      </button>
      <ErrorMessage error={error} />
    </span>
  );
}
