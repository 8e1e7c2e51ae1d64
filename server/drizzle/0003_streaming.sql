ALTER TABLE "tasks" ADD COLUMN "prefer_streaming" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "stream_seq" integer DEFAULT 0 NOT NULL;