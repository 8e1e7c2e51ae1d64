/**
 * Values of raw rows (Db.query). PGlite parses timestamps and jsonb itself; on PostgreSQL the
 * postgres.js client is shared with drizzle, which turns its timestamp parsing off (drizzle maps
 * dates itself), so they arrive as text, and jsonb arrives as text too. These accept both.
 */

export function dateOf(value: unknown): Date {
  return value instanceof Date ? value : new Date(value as string);
}

export function dateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : dateOf(value);
}

/** For object values (task input and output): a jsonb string would be ambiguous between the drivers. */
export function jsonOf<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

export function jsonOrNull<T>(value: unknown): T | null {
  return value === null || value === undefined ? null : jsonOf<T>(value);
}

export function numberOf(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

/** An int[] column: postgres.js parses it to numbers, but a `{1,2}` text form is read too. */
export function intArrayOrNull(value: unknown): number[] | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(numberOf);
  const inner = String(value).replace(/^\{|\}$/g, '');
  return inner === '' ? [] : inner.split(',').map(Number);
}
