-- The family's contact for each request: who the council contacts (a parent or carer, or the young person) and how.
ALTER TABLE "assessment_requests" ADD COLUMN "contact_name" text;--> statement-breakpoint
ALTER TABLE "assessment_requests" ADD COLUMN "contact_relationship" text;--> statement-breakpoint
ALTER TABLE "assessment_requests" ADD COLUMN "contact_email" text;--> statement-breakpoint
ALTER TABLE "assessment_requests" ADD COLUMN "contact_phone" text;--> statement-breakpoint
ALTER TABLE "assessment_requests" ADD COLUMN "contact_address" text;--> statement-breakpoint
ALTER TABLE "assessment_requests" ADD COLUMN "contact_preference" text;