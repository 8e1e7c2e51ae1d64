ALTER TABLE "task_events" ALTER COLUMN "payload" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "task_events" ADD COLUMN "status" text;--> statement-breakpoint
ALTER TABLE "task_events" ADD COLUMN "progress" real;--> statement-breakpoint
ALTER TABLE "task_events" ADD COLUMN "attempts" integer;--> statement-breakpoint
ALTER TABLE "task_events" ADD COLUMN "provider_id" text;--> statement-breakpoint
ALTER TABLE "task_events" ADD COLUMN "output" jsonb;--> statement-breakpoint
ALTER TABLE "task_events" ADD COLUMN "started_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "task_events" ADD COLUMN "ended_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "task_events" ADD COLUMN "last_updated" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "task_events" ADD COLUMN "error_message" text;--> statement-breakpoint
ALTER TABLE "task_events" ADD COLUMN "user_facing_error_message" text;--> statement-breakpoint
CREATE INDEX "task_events_task_idx" ON "task_events" USING btree ("task_id");