import { useState } from 'preact/hooks';
import type { Connection } from '../../api/connection.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { useLoad } from '../../components/use-load.ts';
import { href, navigate, type Route } from '../../router.ts';
import { TaskForm } from './task-form.tsx';

/** Choose a task type the token can schedule, fill in its generated form, run it. */
export function RunView({ connection, route }: { connection: Connection; route: Route }) {
  const types = useLoad((signal) => connection.client.taskTypes({ signal }), [connection]);
  const [showInternal, setShowInternal] = useState(false);
  const chosenId = route.query.get('type') ?? '';
  const listed = (types.data ?? []).filter((t) => showInternal || !t.internal || t.id === chosenId);
  const chosen = types.data?.find((t) => t.id === chosenId);

  return (
    <section>
      <h1 tabIndex={-1}>Run a task</h1>
      <ErrorMessage error={types.error} />
      {types.data && types.data.length === 0 && <p>No task type has a provider yet. Start a provider, then reload.</p>}
      {types.data && types.data.length > 0 && (
        <div class="type-picker">
          <div class="field">
            <label for="task-type">Task type</label>
            <select id="task-type" value={chosenId} onChange={(e) => navigate(href('run', undefined, { type: e.currentTarget.value }))}>
              <option value="">— choose a task type —</option>
              {listed.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name} ({t.id}){t.enabled ? '' : ' — disabled'}
                </option>
              ))}
            </select>
          </div>
          <label class="inline">
            <input type="checkbox" checked={showInternal} onChange={(e) => setShowInternal(e.currentTarget.checked)} /> Show internal types
          </label>
        </div>
      )}
      {chosen && (
        <>
          <p class="type-description">{chosen.description}</p>
          <p class="muted">
            Served by <code>{chosen.providerId ?? 'no provider'}</code>
            {chosen.enabled ? '' : '; disabled by an admin: the coordinator will refuse to schedule it'}
          </p>
          {/* A fresh form per type: values of one type's slots mean nothing to another's. */}
          <TaskForm key={chosen.id} connection={connection} type={chosen} onScheduled={(task) => navigate(href('tasks', task.id))} />
        </>
      )}
    </section>
  );
}
