import { useState } from 'preact/hooks';
import type { TaskStatus } from '@taskproc/client';
import type { Connection } from '../../api/connection.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { StatusBadge } from '../../components/status-badge.tsx';
import { ColumnHeaders, TableScroll } from '../../components/table-scroll.tsx';
import { TimeText } from '../../components/time-text.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useAllTaskTypes } from '../../components/use-task-types.ts';
import { href, navigate, type Route } from '../../router.ts';
import type { Role } from '../../session/role.ts';
import { filterNames, TaskFilters, type Filters } from './task-filters.tsx';
import { useTaskEvents } from './use-task-events.ts';

const pageSize = 20;

/** Tasks, newest first, filtered and paged; reloaded as the event stream reports changes. */
export function TaskListView({ connection, route, role }: { connection: Connection; route: Route; role: Role }) {
  const filters: Filters = Object.fromEntries(filterNames.map((name) => [name, route.query.get(name) ?? undefined]).filter(([, v]) => v));
  const filterKey = JSON.stringify(filters);
  // Cursors of the pages seen, so "Newer" can go back; a change of filters starts over.
  const [pages, setPages] = useState<{ key: string; cursors: (string | undefined)[] }>({ key: filterKey, cursors: [undefined] });
  const cursors = pages.key === filterKey ? pages.cursors : [undefined];
  const cursor = cursors[cursors.length - 1];
  const types = useAllTaskTypes(connection);
  // Which page an answer is of: a reload of the page on screen (on events) is not a page change.
  const pageKey = `${filterKey} ${cursor ?? ''}`;
  const list = useLoad(
    async (signal) => ({
      pageKey,
      ...(await connection.client.list(
        {
          ...(filters.type ? { type: filters.type } : {}),
          ...(filters.status ? { status: filters.status as TaskStatus } : {}),
          ...(filters.appId ? { appId: filters.appId } : {}),
          ...(filters.userId ? { userId: filters.userId } : {}),
          ...(filters.customId ? { customId: filters.customId } : {}),
          limit: pageSize,
          ...(cursor ? { cursor } : {}),
        },
        { signal },
      )),
    }),
    [connection, filterKey, cursor],
  );
  // The pager waits while another page than the one shown loads (a second click would page from
  // a cursor about to be replaced), but not while the shown page reloads on events: a click
  // then would land on a button disabled for a moment, and be lost.
  const pageLoading = list.data?.pageKey !== pageKey && !list.error;
  useTaskEvents(connection, list.reload);
  const tasks = list.data?.tasks ?? [];

  return (
    <section>
      <h1 tabIndex={-1}>Tasks</h1>
      <TaskFilters
        key={filterKey}
        filters={filters}
        types={types.data ?? []}
        byApp={role === 'admin'}
        onApply={(next) => navigate(href('tasks', undefined, next))}
      />
      <ErrorMessage error={list.error} />
      <p class="muted" aria-live="polite">
        {list.loading && !list.data ? 'Loading…' : `${tasks.length === 0 ? 'No' : tasks.length} task${tasks.length === 1 ? '' : 's'} on this page${cursors.length > 1 ? ` (page ${cursors.length})` : ''}.`}
      </p>
      {tasks.length > 0 && (
        <TableScroll label="Tasks">
          <table class="tasks">
            <ColumnHeaders
              names={[
                'Task',
                'Type',
                'Status',
                'Progress',
                role === 'admin' && 'App',
                'User',
                'Custom id',
                'Scheduled',
                'Ended',
              ]}
            />
            <tbody>
              {tasks.map((task) => (
                <tr key={task.id} data-task-id={task.id}>
                  <td>
                    <a href={href('tasks', task.id)}>#{task.id}</a>
                  </td>
                  <td>
                    <code>{task.type}</code>
                  </td>
                  <td>
                    <StatusBadge status={task.status} />
                    {task.queuePosition != null && <span class="muted"> #{task.queuePosition} in queue</span>}
                  </td>
                  <td>{Math.round(task.progress * 100)} %</td>
                  {role === 'admin' && <td>{task.appId}</td>}
                  <td>{task.userId ?? '—'}</td>
                  <td>{task.customId ?? '—'}</td>
                  <td>
                    <TimeText iso={task.scheduledAt} />
                  </td>
                  <td>
                    <TimeText iso={task.endedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <nav class="pager" aria-label="Pages">
        <button type="button" class="secondary" disabled={pageLoading || cursors.length <= 1} onClick={() => setPages({ key: filterKey, cursors: cursors.slice(0, -1) })}>
          ← Newer
        </button>
        <button
          type="button"
          class="secondary"
          disabled={pageLoading || !list.data?.nextCursor}
          onClick={() => list.data?.nextCursor && setPages({ key: filterKey, cursors: [...cursors, list.data.nextCursor] })}
        >
          Older →
        </button>
      </nav>
    </section>
  );
}
