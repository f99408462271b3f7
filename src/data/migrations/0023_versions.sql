ALTER TABLE "plan_objectives" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "plan_priorities" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;