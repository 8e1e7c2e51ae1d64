ALTER TABLE "tasks" ADD COLUMN "keep_until" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "request_id" text;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "input_file_ids" integer[];--> statement-breakpoint
CREATE INDEX "files_upload_created_idx" ON "files" USING btree ("created_at") WHERE task_id IS NULL;--> statement-breakpoint
CREATE INDEX "tasks_ended_idx" ON "tasks" USING btree ("ended_at") WHERE status IN ('successful', 'failed', 'cancelled');--> statement-breakpoint
CREATE INDEX "tasks_input_files_idx" ON "tasks" USING gin ("input_file_ids") WITH (fastupdate=false) WHERE input_file_ids IS NOT NULL;--> statement-breakpoint
CREATE INDEX "webhook_attempts_delivery_idx" ON "webhook_attempts" USING btree ("delivery_id");--> statement-breakpoint
-- Written by hand (drizzle-kit makes only the schema changes above): tasks scheduled before this
-- migration get the files their input names. Their shapes are not known here, so every whole
-- number at the top of the input, or in a list there, that is a file id counts: a number that
-- is not a file reference only keeps a file longer, never removes one too early.
UPDATE "tasks" t SET "input_file_ids" = refs.ids
FROM (
  SELECT s.id, array_agg(DISTINCT f.id ORDER BY f.id) AS ids
  FROM "tasks" s
  CROSS JOIN LATERAL jsonb_path_query(s.input, 'lax $.* ? (@.type() == "number" && @ >= 1 && @ <= 2147483647 && @ == @.floor())') AS n(v)
  JOIN "files" f ON f.id = (n.v #>> '{}')::numeric::int
  GROUP BY s.id
) refs
WHERE t.id = refs.id;
