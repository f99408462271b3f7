ALTER TABLE "bank_holidays" ALTER COLUMN "title" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "assessment_requests" ADD COLUMN "next_duty" text;--> statement-breakpoint
ALTER TABLE "assessment_requests" ADD COLUMN "next_due_date" date;--> statement-breakpoint
CREATE INDEX "assessment_requests_la_open_next_due_idx" ON "assessment_requests" USING btree ("la_code","open","next_due_date");