/** Formatting of values in human output; --json prints the API's values untouched. */

/** A dash for what is absent, so table columns never collapse. */
export function orDash(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === '' ? '-' : String(value);
}

/** A duration in seconds, short: 850ms, 12.5s, 4m05s, 3h20m, 2d04h. */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '-';
  if (seconds < 1) return `${Math.round(seconds * 1000)}ms`;
  if (seconds < 60) return `${Number(seconds.toFixed(1))}s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)}m${pad2(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${pad2(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d${pad2(Math.floor((s % 86_400) / 3600))}h`;
}

/** How long ago an ISO time was: "4s ago", "never" for null. */
export function formatAge(iso: string | null, now: Date): string {
  if (iso === null) return 'never';
  const seconds = Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / 1000));
  return `${seconds < 60 ? `${seconds}s` : formatSeconds(seconds)} ago`;
}

/** An ISO time without milliseconds, in UTC as the API gives it: shorter in tables. */
export function formatTime(iso: string | null | undefined): string {
  return iso ? iso.replace(/\.\d{3}Z$/, 'Z') : '-';
}

/** "1 task", "3 tasks". */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** --json output: the API's JSON, indented so a person can read it too (jq reads either). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
