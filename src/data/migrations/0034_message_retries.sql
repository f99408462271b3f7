ALTER TABLE "notifications" ADD COLUMN "to_role" text;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "last_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "next_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "failure" text;--> statement-breakpoint
CREATE INDEX "notifications_to_try_idx" ON "notifications" USING btree ("status","next_attempt_at") WHERE status in ('pending', 'sending', 'retrying');--> statement-breakpoint
CREATE INDEX "notifications_request_failed_idx" ON "notifications" USING btree ("la_code","request_id") WHERE status = 'failed';