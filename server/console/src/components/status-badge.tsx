import type { TaskStatus } from '@taskproc/client';

// A glyph as well as a colour, so status never depends on colour alone.
const glyphs: Record<TaskStatus, string> = {
  scheduled: '◷',
  running: '▶',
  successful: '✓',
  failed: '✕',
  cancelled: '⊘',
};

export function StatusBadge({ status }: { status: TaskStatus }) {
  return (
    <span class={`badge status-${status}`} data-status={status}>
      <span aria-hidden="true">{glyphs[status]} </span>
      {status}
    </span>
  );
}

export function LiveBadge({ live }: { live: boolean }) {
  return <span class={`badge ${live ? 'live' : 'stale'}`}>{live ? '● live' : '○ stale'}</span>;
}
