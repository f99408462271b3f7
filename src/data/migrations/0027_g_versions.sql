ALTER TABLE "commitment_values" ADD COLUMN "values_version" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "commitments" ADD COLUMN "values_version" integer DEFAULT 0 NOT NULL;