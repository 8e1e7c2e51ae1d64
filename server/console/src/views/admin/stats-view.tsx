import { useState } from 'preact/hooks';
import { adminRoutes } from '@taskproc/spec';
import type { Connection } from '../../api/connection.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { ColumnHeaders, TableScroll } from '../../components/table-scroll.tsx';
import { formatSeconds } from '../../components/time-text.tsx';
import { useEvery, useLoad } from '../../components/use-load.ts';

const windows = [
  { seconds: 600, label: 'last 10 minutes' },
  { seconds: 3600, label: 'last hour' },
  { seconds: 86_400, label: 'last day' },
];

/** Admin: what waits and runs per task type, wait and run times, outcomes (GET /v1/admin/stats). */
export function StatsView({ connection }: { connection: Connection }) {
  const [windowSeconds, setWindowSeconds] = useState(3600);
  const stats = useLoad((signal) => connection.call(adminRoutes.stats, { query: { windowSeconds }, signal }), [connection, windowSeconds]);
  useEvery(5_000, stats.reload);
  const data = stats.data;
  return (
    <section>
      <h1 tabIndex={-1}>Queue</h1>
      <div class="field inline-field">
        <label for="stats-window">Times and outcomes over the</label>
        <select id="stats-window" value={String(windowSeconds)} onChange={(e) => setWindowSeconds(Number(e.currentTarget.value))}>
          {windows.map((w) => (
            <option key={w.seconds} value={String(w.seconds)}>
              {w.label}
            </option>
          ))}
        </select>
      </div>
      <ErrorMessage error={stats.error} />
      {data && (
        <>
          <dl class="totals">
            <Total label="Waiting" value={data.totals.scheduled} />
            <Total label="Running" value={data.totals.running} />
            <Total label="Oldest wait" value={formatSeconds(data.totals.oldestScheduledAgeSeconds)} />
            <Total label="Live providers" value={data.totals.liveProviders} />
            <Total label="Slots busy" value={`${data.totals.busySlots} of ${data.totals.slots}`} />
          </dl>
          <TableScroll label="Queue by task type">
            <table class="stats">
              <ColumnHeaders
                names={[
                  'Task type',
                  'Waiting',
                  'Running',
                  'Oldest wait',
                  'Wait p50 / p95',
                  'Run p50 / p95',
                  'Successful',
                  'Failed',
                  'Cancelled',
                  'Providers live / stale',
                  'Slots busy',
                ]}
              />
              <tbody>
                {Object.entries(data.types).map(([typeId, s]) => (
                  <tr key={typeId} data-type-id={typeId}>
                    <th scope="row">
                      <code>{typeId}</code>
                    </th>
                    <td>{s.scheduled}</td>
                    <td>{s.running}</td>
                    <td>{formatSeconds(s.oldestScheduledAgeSeconds)}</td>
                    <td>
                      {formatSeconds(s.waitSeconds.p50)} / {formatSeconds(s.waitSeconds.p95)}
                    </td>
                    <td>
                      {formatSeconds(s.runSeconds.p50)} / {formatSeconds(s.runSeconds.p95)}
                    </td>
                    <td>{s.successful}</td>
                    <td>{s.failed}</td>
                    <td>{s.cancelled}</td>
                    <td>
                      {s.liveProviders} / {s.staleProviders}
                    </td>
                    <td>
                      {s.busySlots} of {s.slots}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
    </section>
  );
}

function Total({ label, value }: { label: string; value: string | number }) {
  return (
    <div class="total">
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
