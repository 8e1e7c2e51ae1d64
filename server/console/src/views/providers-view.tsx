import { providerRoutes } from '@taskproc/spec';
import type { Connection } from '../api/connection.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { LiveBadge } from '../components/status-badge.tsx';
import { ColumnHeaders, TableScroll } from '../components/table-scroll.tsx';
import { TimeText } from '../components/time-text.tsx';
import { useEvery, useLoad } from '../components/use-load.ts';

/** Registered providers with liveness, busy slots and recent outcomes (GET /v1/providers). */
export function ProvidersView({ connection }: { connection: Connection }) {
  const providers = useLoad((signal) => connection.call(providerRoutes.list, { signal }), [connection]);
  // Liveness is a matter of time passing (no event says a provider went quiet): read again.
  useEvery(5_000, providers.reload);
  const list = providers.data?.providers ?? [];
  return (
    <section>
      <h1 tabIndex={-1}>Providers</h1>
      <ErrorMessage error={providers.error} />
      {providers.data && list.length === 0 && <p>No provider has registered yet.</p>}
      {list.length > 0 && (
        <TableScroll label="Providers">
          <table class="providers">
            <ColumnHeaders
              names={[
                'Provider',
                'Task type',
                'App',
                'Liveness',
                'Last seen',
                'Slots busy',
                'Last hour',
                'Expected run time',
              ]}
            />
            <tbody>
              {list.map((p) => (
                <tr key={p.id} data-provider-id={p.id}>
                  <th scope="row">
                    {p.name}
                    <br />
                    <code>{p.id}</code>
                  </th>
                  <td>
                    <code>{p.taskType}</code>
                  </td>
                  <td>{p.appId}</td>
                  <td>
                    <LiveBadge live={p.live} />
                  </td>
                  <td>
                    <TimeText iso={p.lastSeenAt} />
                  </td>
                  <td>
                    {p.runningTasks} of {p.concurrency ?? 1}
                  </td>
                  <td>
                    {p.recent.successful} successful, {p.recent.failed} failed
                  </td>
                  <td>{p.expectedRuntime} s</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
