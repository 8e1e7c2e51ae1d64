CREATE INDEX "task_events_task_idx" ON "task_events" USING btree ("task_id");--> statement-breakpoint
-- ISO 8601 in UTC with milliseconds, as JavaScript's toISOString() writes it (spec Task timestamps).
CREATE FUNCTION taskproc_iso(ts timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;--> statement-breakpoint
-- The wire form of a task (spec Task; server/src/tasks/task-json.ts is its twin and a test keeps
-- the two equal), for event rows written inside the hot path's single statements. Without the
-- input unless asked: events after `scheduled` leave it out (server/src/events/lean-events.ts).
CREATE FUNCTION taskproc_task_json(t tasks, with_input boolean) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object(
    'id', t.id, 'type', t.type, 'status', t.status, 'appId', t.app_id, 'userId', t.user_id,
    'customId', t.custom_id, 'output', t.output, 'progress', t.progress, 'priority', t.priority,
    'attempts', t.attempts, 'providerId', t.provider_id, 'scheduledAt', taskproc_iso(t.scheduled_at),
    'startedAt', taskproc_iso(t.started_at), 'endedAt', taskproc_iso(t.ended_at),
    'lastUpdated', taskproc_iso(t.last_updated), 'completionExpectedAt', taskproc_iso(t.completion_expected_at),
    'errorMessage', t.error_message, 'userFacingErrorMessage', t.user_facing_error_message,
    'webhookUri', t.webhook_uri, 'webhookMethod', t.webhook_method
  ) || CASE WHEN with_input THEN jsonb_build_object('input', t.input) ELSE '{}'::jsonb END
$$;
