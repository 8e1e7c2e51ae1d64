/**
 * NOTIFY from inside the hot path's statements: the announcement commits with the change it
 * announces and costs no round trip of its own. Each helper is a CTE named after what it sends;
 * the statement's final SELECT must reference it (a plain SELECT in a WITH runs only when read).
 * The payloads are what signals.ts parses. Their parameters come from `Signals.announceParams()`:
 * whether to send at all (PostgreSQL only) and this process's origin id.
 */
export const workChannel = 'taskproc_work';
export const taskChannel = 'taskproc_task';

/** `announced`: one NOTIFY listing every task of `cte` as `origin|id:app,id:app,...`. */
export function taskChangeAnnouncement(cte: string, enabled: string, origin: string): string {
  return `announced AS (
    SELECT pg_notify('${taskChannel}', ${origin}::text || '|' || string_agg(${cte}.id || ':' || ${cte}.app_id, ','))
    FROM ${cte} HAVING ${enabled}::boolean AND count(*) > 0
  )`;
}

/** `work_announced`: `origin|count|type` for each type of the queued tasks in `cte`. */
export function workAnnouncement(cte: string, enabled: string, origin: string): string {
  return `work_announced AS (
    SELECT pg_notify('${workChannel}', ${origin}::text || '|' || count(*) || '|' || ${cte}.type)
    FROM ${cte} WHERE ${enabled}::boolean AND ${cte}.status = 'scheduled' GROUP BY ${cte}.type
  )`;
}
