import { useState } from 'preact/hooks';
import { taskStatuses } from '@taskproc/spec';
import type { AvailableTaskType } from '@taskproc/client';

export const filterNames = ['type', 'status', 'appId', 'userId', 'customId'] as const;
export type FilterName = (typeof filterNames)[number];
export type Filters = Partial<Record<FilterName, string>>;

export interface TaskFiltersProps {
  filters: Filters;
  types: AvailableTaskType[];
  /** Only admins see every app's tasks, so only they filter by app. */
  byApp: boolean;
  onApply: (filters: Filters) => void;
}

/** The task list's filters; applied together, so a half-typed id does not reload the list. */
export function TaskFilters({ filters, types, byApp, onApply }: TaskFiltersProps) {
  const [draft, setDraft] = useState<Filters>(filters);
  const set = (name: FilterName) => (e: Event) => {
    const value = (e.currentTarget as HTMLInputElement | HTMLSelectElement).value;
    setDraft((old) => ({ ...old, [name]: value }));
  };
  return (
    <form
      class="filters"
      role="search"
      aria-label="Filter tasks"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(draft);
      }}
    >
      <div class="field">
        <label for="filter-type">Type</label>
        <select id="filter-type" value={draft.type ?? ''} onChange={set('type')}>
          <option value="">any</option>
          {types.map((t) => (
            <option key={t.id} value={t.id}>
              {t.id}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="filter-status">Status</label>
        <select id="filter-status" value={draft.status ?? ''} onChange={set('status')}>
          <option value="">any</option>
          {taskStatuses.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
      {byApp && (
        <div class="field">
          <label for="filter-app">App</label>
          <input id="filter-app" value={draft.appId ?? ''} onInput={set('appId')} />
        </div>
      )}
      <div class="field">
        <label for="filter-user">User</label>
        <input id="filter-user" value={draft.userId ?? ''} onInput={set('userId')} />
      </div>
      <div class="field">
        <label for="filter-custom-id">Custom id</label>
        <input id="filter-custom-id" value={draft.customId ?? ''} onInput={set('customId')} />
      </div>
      <div class="actions">
        <button type="submit">Apply filters</button>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setDraft({});
            onApply({});
          }}
        >
          Clear
        </button>
      </div>
    </form>
  );
}
