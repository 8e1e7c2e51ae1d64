import type { Task } from '@taskproc/client';
import type { Connection } from '../../api/connection.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { ColumnHeaders, TableScroll } from '../../components/table-scroll.tsx';
import { TimeText } from '../../components/time-text.tsx';
import { useEvery, useLoad } from '../../components/use-load.ts';
import { isTerminal } from './live-task-state.ts';

/** The webhook calls of a task (GET /v1/tasks/{id}/webhook-deliveries), every attempt included. */
export function WebhookDeliveries({ connection, task }: { connection: Connection; task: Task }) {
  // Deliveries are written when the task ends: read again when its status changes.
  const deliveries = useLoad((signal) => connection.client.webhookDeliveries(task.id, { signal }), [connection, task.id, task.status]);
  // A delivery is retried on its own schedule: follow it until none is pending.
  const settled = deliveries.data !== undefined && deliveries.data.length > 0 && deliveries.data.every((d) => d.status !== 'pending');
  useEvery(2_000, deliveries.reload, !!task.webhookUri && isTerminal(task) && !settled);
  if (!task.webhookUri) return <p class="muted">No webhook: the task was scheduled without a webhookUri.</p>;
  if (deliveries.error) return <ErrorMessage error={deliveries.error} />;
  const list = deliveries.data ?? [];
  if (list.length === 0) return <p class="muted">No delivery yet: a webhook is called when the task ends ({task.webhookMethod} {task.webhookUri}).</p>;
  return (
    <TableScroll label="Webhook deliveries">
      <table>
        <ColumnHeaders names={['Event', 'Target', 'Status', 'Attempts', 'Next attempt', 'Delivered', 'Attempt log']} />
        <tbody>
          {list.map((d) => (
            <tr key={d.id}>
              <td>{d.event}</td>
              <td>
                <code>
                  {d.method} {d.uri}
                </code>
              </td>
              <td>{d.status}</td>
              <td>{d.attempts}</td>
              <td>
                <TimeText iso={d.nextAttemptAt} />
              </td>
              <td>
                <TimeText iso={d.deliveredAt} />
              </td>
              <td>
                <ol class="attempt-log">
                  {d.attemptLog.map((a, i) => (
                    <li key={i}>
                      <TimeText iso={a.attemptedAt} />: {a.statusCode ?? 'no answer'}
                      {a.error ? ` — ${a.error}` : ''} ({a.durationMs} ms)
                    </li>
                  ))}
                </ol>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
