/** One column of a table: its header, and right alignment for numbers. */
export interface Column {
  header: string;
  align?: 'left' | 'right';
}

/**
 * An aligned plain-text table for people (scripts use --json): two spaces between columns, no
 * trailing spaces, so the last column may hold free text of any length.
 */
export function formatTable(columns: readonly Column[], rows: ReadonlyArray<readonly string[]>): string {
  const all = [columns.map((c) => c.header), ...rows];
  const widths = columns.map((_, col) => Math.max(...all.map((row) => (row[col] ?? '').length)));
  return all
    .map((row) =>
      columns
        .map((column, col) => {
          const cell = row[col] ?? '';
          return column.align === 'right' ? cell.padStart(widths[col]!) : cell.padEnd(widths[col]!);
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `key: value` lines with the values aligned, for one object (`task get`). */
export function formatFields(fields: ReadonlyArray<readonly [string, string]>): string {
  const width = Math.max(...fields.map(([key]) => key.length)) + 1;
  return fields.map(([key, value]) => `${`${key}:`.padEnd(width)} ${value}`.trimEnd()).join('\n');
}
