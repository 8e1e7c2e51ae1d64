CREATE TABLE "parked_polls" (
	"replica" text NOT NULL,
	"token_id" integer NOT NULL,
	"count" integer NOT NULL,
	"seen_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "parked_polls_replica_token_id_pk" PRIMARY KEY("replica","token_id")
);
--> statement-breakpoint
CREATE TABLE "rate_counters" (
	"key" text NOT NULL,
	"window_start" timestamp (3) with time zone NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "rate_counters_key_window_start_pk" PRIMARY KEY("key","window_start")
);
--> statement-breakpoint
CREATE INDEX "parked_polls_token_idx" ON "parked_polls" USING btree ("token_id");--> statement-breakpoint
CREATE INDEX "tasks_unfinished_owner_idx" ON "tasks" USING btree ("app_id","user_id") WHERE status IN ('scheduled', 'running');