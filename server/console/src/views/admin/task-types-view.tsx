import { useEffect, useState } from 'preact/hooks';
import { adminRoutes } from '@taskproc/spec';
import type { AvailableTaskType } from '@taskproc/client';
import type { Connection } from '../../api/connection.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { useAllTaskTypes } from '../../components/use-task-types.ts';

/** Admin: enable or disable each task type and order its providers (PUT /v1/admin/task-types/{typeId}). */
export function TaskTypesView({ connection }: { connection: Connection }) {
  const types = useAllTaskTypes(connection);
  const served = (types.data ?? []).filter((t) => t.providerIds.length > 0);
  const unserved = (types.data ?? []).filter((t) => t.providerIds.length === 0);
  return (
    <section>
      <h1 tabIndex={-1}>Task types</h1>
      <p class="muted">A disabled type cannot be scheduled; tasks already queued still run. Tasks go to the first live provider in the order shown.</p>
      <ErrorMessage error={types.error} />
      <div class="type-settings">
        {served.map((t) => (
          <TypeSettings key={t.id} connection={connection} type={t} onSaved={types.reload} />
        ))}
      </div>
      {unserved.length > 0 && (
        <details>
          <summary>{unserved.length} known types without a provider</summary>
          <ul class="plain-list">
            {unserved.map((t) => (
              <li key={t.id}>
                <code>{t.id}</code> — {t.name}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function TypeSettings({ connection, type, onSaved }: { connection: Connection; type: AvailableTaskType; onSaved: () => void }) {
  const [enabled, setEnabled] = useState(type.enabled);
  const [order, setOrder] = useState(type.providerIds);
  const [error, setError] = useState<unknown>(undefined);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  // A reload (after a save, or a provider registering) brings the coordinator's settings: they
  // replace what is shown. Edits not saved yet are kept while the settings did not change.
  const stored = `${type.enabled} ${type.providerIds.join(' ')}`;
  useEffect(() => {
    setEnabled(type.enabled);
    setOrder(type.providerIds);
    // `stored` stands for both.
  }, [stored]);
  const id = `type-${type.id.replaceAll(/[^A-Za-z0-9_-]/g, '-')}`;
  const move = (from: number, to: number) => {
    const next = [...order];
    const [item] = next.splice(from, 1);
    next.splice(to, 0, item!);
    setOrder(next);
    setSaved(false);
  };
  const save = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    setBusy(true);
    try {
      await connection.call(adminRoutes.putTaskTypeSettings, { params: { typeId: type.id }, json: { enabled, preferredProviders: order } });
      setSaved(true);
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="type-setting card" onSubmit={save} aria-labelledby={`${id}-title`} data-type-id={type.id}>
      <h2 id={`${id}-title`}>
        {type.name} <code>{type.id}</code>
      </h2>
      <label class="inline">
        <input
          type="checkbox"
          checked={enabled}
          onChange={(e) => {
            setEnabled(e.currentTarget.checked);
            setSaved(false);
          }}
        />{' '}
        Enabled
      </label>
      <h3 id={`${id}-order`}>Provider order</h3>
      <ol aria-labelledby={`${id}-order`} class="provider-order">
        {order.map((providerId, i) => (
          <li key={providerId}>
            <code>{providerId}</code>{' '}
            <button type="button" class="secondary small" disabled={i === 0} aria-label={`Move ${providerId} up`} onClick={() => move(i, i - 1)}>
              ↑
            </button>{' '}
            <button type="button" class="secondary small" disabled={i === order.length - 1} aria-label={`Move ${providerId} down`} onClick={() => move(i, i + 1)}>
              ↓
            </button>
          </li>
        ))}
      </ol>
      <div class="actions">
        <button type="submit" disabled={busy}>
          Save {type.id}
        </button>
        {saved && <span role="status">Saved.</span>}
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}
