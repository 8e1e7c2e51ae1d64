import type { ComponentChildren } from 'preact';

/**
 * A wide table on a narrow screen scrolls sideways inside this region instead of widening the
 * page; it is focusable and named, so keyboard users can scroll it too.
 */
export function TableScroll({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

/** A table's header row: one column header per name (false leaves a column out, e.g. by role). */
export function ColumnHeaders({ names }: { names: ReadonlyArray<string | false> }) {
  return (
    <thead>
      <tr>
        {names.filter((name): name is string => name !== false).map((name) => (
          <th key={name} scope="col">
            {name}
          </th>
        ))}
      </tr>
    </thead>
  );
}
