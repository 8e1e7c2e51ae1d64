import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { AvailableTaskType, Task } from '@taskproc/client';
import type { Connection } from '../../api/connection.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { StatusBadge } from '../../components/status-badge.tsx';
import { formatSeconds, TimeText } from '../../components/time-text.tsx';
import { useAllTaskTypes } from '../../components/use-task-types.ts';
import { href } from '../../router.ts';
import { SlotValues } from './slot-values.tsx';
import { isTerminal } from './live-task-state.ts';
import { useLiveTask } from './use-live-task.ts';
import { WebhookDeliveries } from './webhook-deliveries.tsx';

/** One task, followed live until it ends: status, progress, queue, streamed and final output, cancel. */
export function TaskDetailView({ connection, id }: { connection: Connection; id: number }) {
  const live = useLiveTask(connection, id);
  const types = useAllTaskTypes(connection);
  const [plain, setPlain] = useState(false);
  const task = live.task;
  const type = types.data?.find((t) => t.id === task?.type);

  return (
    <section class="task-detail">
      <p>
        <a href={href('tasks')}>← All tasks</a>
      </p>
      <h1 tabIndex={-1}>Task {id}</h1>
      <ErrorMessage error={live.error} />
      {task && (
        <>
          <p class="task-type">
            <code>{task.type}</code> {type && <span>— {type.name}</span>}
          </p>
          <LivePanel connection={connection} task={task} onCancelled={live.replace} />
          <h2>Output</h2>
          {hasText(type) && (
            <label class="inline">
              <input type="checkbox" checked={plain} onChange={(e) => setPlain(e.currentTarget.checked)} /> Show text as written (no markdown)
            </label>
          )}
          <Output connection={connection} task={task} type={type} streamed={live.streamed} plain={plain} />
          {(task.errorMessage || task.userFacingErrorMessage) && (
            <>
              <h2>Error</h2>
              <dl class="facts">
                {task.userFacingErrorMessage && <Fact label="For the user">{task.userFacingErrorMessage}</Fact>}
                {task.errorMessage && <Fact label="For the log">{task.errorMessage}</Fact>}
              </dl>
            </>
          )}
          <h2>Input</h2>
          <SlotValues
            connection={connection}
            values={task.input}
            shape={{ ...type?.inputShape, ...type?.optionalInputShape }}
            enumValues={{ ...type?.inputShapeEnumValues, ...type?.optionalInputShapeEnumValues }}
            plain={plain}
          />
          <h2>Details</h2>
          <Facts task={task} />
          <h2>Webhook deliveries</h2>
          <WebhookDeliveries connection={connection} task={task} />
          <details class="raw">
            <summary>The task as JSON</summary>
            <pre class="json">{JSON.stringify(task, null, 2)}</pre>
          </details>
        </>
      )}
    </section>
  );
}

/** Whether the type has text slots at all, so the markdown switch is offered only where it means something. */
function hasText(type: AvailableTaskType | undefined): boolean {
  if (!type) return true;
  const shapes = [type.inputShape, type.optionalInputShape, type.outputShape, type.optionalOutputShape];
  return shapes.some((shape) => Object.values(shape).some((slot) => slot.type === 'Text' || slot.type === 'ListOfTexts'));
}

function LivePanel({ connection, task, onCancelled }: { connection: Connection; task: Task; onCancelled: (task: Task) => void }) {
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const percent = Math.round(task.progress * 100);
  const cancel = () => {
    setBusy(true);
    setError(undefined);
    connection.client.cancel(task.id).then(onCancelled, setError).finally(() => setBusy(false));
  };
  return (
    <div class="live-panel">
      {/* Read out when the status or the queue changes, not on every progress step. */}
      <p class="status-line" aria-live="polite">
        <StatusBadge status={task.status} />
        {task.status === 'scheduled' && task.queuePosition != null && <span class="queue"> Position {task.queuePosition} in the queue.</span>}
        {!isTerminal(task) && task.completionExpectedAt && (
          <span class="eta">
            {' '}
            Expected to finish <TimeText iso={task.completionExpectedAt} />.
          </span>
        )}
      </p>
      <div class="progress">
        <label for="task-progress">Progress</label>
        <progress id="task-progress" max={1} value={task.progress} aria-valuetext={`${percent} %`} />
        <span class="percent">{percent} %</span>
      </div>
      {!isTerminal(task) && (
        <button type="button" class="danger" onClick={cancel} disabled={busy}>
          {busy ? 'Cancelling…' : 'Cancel task'}
        </button>
      )}
      <ErrorMessage error={error} />
    </div>
  );
}

interface OutputProps {
  connection: Connection;
  task: Task;
  type: AvailableTaskType | undefined;
  streamed: Record<string, string>;
  plain: boolean;
}

function Output({ connection, task, type, streamed, plain }: OutputProps) {
  const shape = { ...type?.outputShape, ...type?.optionalOutputShape };
  const enumValues = { ...type?.outputShapeEnumValues, ...type?.optionalOutputShapeEnumValues };
  if (task.status === 'successful' && task.output) {
    return <SlotValues connection={connection} values={task.output} shape={shape} enumValues={enumValues} plain={plain} />;
  }
  const writing = Object.keys(streamed).length > 0;
  if (writing && !isTerminal(task)) {
    return (
      <div class="streamed" aria-busy="true">
        <p class="muted">Written so far (the provider streams its answer; the final output replaces it):</p>
        <SlotValues connection={connection} values={streamed} shape={shape} enumValues={enumValues} plain={plain} />
      </div>
    );
  }
  if (task.status === 'scheduled') return <p class="muted">Waiting for a provider.</p>;
  if (task.status === 'running') return <p class="muted">The provider is working on it.</p>;
  return <p class="muted">No output: the task {task.status === 'cancelled' ? 'was cancelled' : 'failed'}.</p>;
}

function Facts({ task }: { task: Task }) {
  const seconds = (from: string | null, to: string | null) => (from && to ? (Date.parse(to) - Date.parse(from)) / 1000 : null);
  return (
    <dl class="facts">
      <Fact label="App">{task.appId}</Fact>
      <Fact label="User">{task.userId ?? '—'}</Fact>
      <Fact label="Custom id">{task.customId ?? '—'}</Fact>
      <Fact label="Provider">{task.providerId ?? '—'}</Fact>
      <Fact label="Attempts">{task.attempts}</Fact>
      <Fact label="Priority">{task.priority}</Fact>
      <Fact label="Streaming asked for">{task.preferStreaming ? 'yes' : 'no'}</Fact>
      <Fact label="Scheduled">
        <TimeText iso={task.scheduledAt} />
      </Fact>
      <Fact label="Started">
        <TimeText iso={task.startedAt} />
      </Fact>
      <Fact label="Ended">
        <TimeText iso={task.endedAt} />
      </Fact>
      <Fact label="Waited">{formatSeconds(seconds(task.scheduledAt, task.startedAt))}</Fact>
      <Fact label="Ran">{formatSeconds(seconds(task.startedAt, task.endedAt))}</Fact>
      <Fact label="Last change">
        <TimeText iso={task.lastUpdated} />
      </Fact>
      <Fact label="Kept until">
        <TimeText iso={task.keepUntil} />
      </Fact>
    </dl>
  );
}

function Fact({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
