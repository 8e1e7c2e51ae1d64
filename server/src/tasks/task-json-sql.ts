/**
 * The wire form of a task (spec Task) built by PostgreSQL, for the event rows that the hot path's
 * single statements write: the SQL twin of toTaskJson (task-json.ts); a test keeps the two equal.
 * `t` is the alias of a tasks row in the statement (RETURNING sees the row after the change).
 * Inlined as an expression on purpose: as a SQL function taking the row it was not inlined and
 * cost about 0.15 ms per row.
 */
export function taskJsonSql(t: string, options: { input: boolean }): string {
  const iso = (column: string) => `to_char(${t}.${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  return `jsonb_build_object(
    'id', ${t}.id, 'type', ${t}.type, 'status', ${t}.status, 'appId', ${t}.app_id, 'userId', ${t}.user_id,
    'customId', ${t}.custom_id, 'output', ${t}.output, 'progress', ${t}.progress, 'priority', ${t}.priority,
    'attempts', ${t}.attempts, 'providerId', ${t}.provider_id, 'scheduledAt', ${iso('scheduled_at')},
    'startedAt', ${iso('started_at')}, 'endedAt', ${iso('ended_at')}, 'lastUpdated', ${iso('last_updated')},
    'completionExpectedAt', ${iso('completion_expected_at')}, 'errorMessage', ${t}.error_message,
    'userFacingErrorMessage', ${t}.user_facing_error_message, 'webhookUri', ${t}.webhook_uri,
    'webhookMethod', ${t}.webhook_method, 'preferStreaming', ${t}.prefer_streaming,
    'keepUntil', ${iso('keep_until')}${options.input ? `, 'input', ${t}.input` : ''})`;
}
