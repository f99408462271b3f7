DROP INDEX "assessment_requests_la_open_received_idx";--> statement-breakpoint
DROP INDEX "assessment_requests_la_open_next_due_idx";--> statement-breakpoint
CREATE INDEX "assessment_requests_open_due_idx" ON "assessment_requests" USING btree ("la_code","next_due_date","received_date","id") WHERE "assessment_requests"."open";--> statement-breakpoint
CREATE INDEX "assessment_requests_open_received_idx" ON "assessment_requests" USING btree ("la_code","received_date","id") WHERE "assessment_requests"."open";