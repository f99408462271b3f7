CREATE TABLE "plan_reassessments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"la_code" char(3) NOT NULL,
	"plan_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"requested_by" text NOT NULL,
	"received_date" date NOT NULL,
	"last_assessment_date" date NOT NULL,
	"decision" text,
	"decision_date" date,
	"refusal_ground" text,
	"refusal_reason" text,
	"advice_requested_date" date,
	"advice_requested" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"advice_received" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"draft_served_date" date,
	"final_issued_date" date,
	"final_version_id" uuid,
	"exceptions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"next_duty" text,
	"next_due" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "last_reassessed_date" date;--> statement-breakpoint
ALTER TABLE "plan_reassessments" ADD CONSTRAINT "plan_reassessments_la_code_local_authorities_la_code_fk" FOREIGN KEY ("la_code") REFERENCES "public"."local_authorities"("la_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_reassessments" ADD CONSTRAINT "plan_reassessments_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_reassessments" ADD CONSTRAINT "plan_reassessments_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "plan_reassessments_plan_idx" ON "plan_reassessments" USING btree ("la_code","plan_id");--> statement-breakpoint
CREATE INDEX "plan_reassessments_next_due_idx" ON "plan_reassessments" USING btree ("la_code","next_due","id") WHERE "plan_reassessments"."status" = 'open';--> statement-breakpoint
CREATE INDEX "plan_reassessments_received_idx" ON "plan_reassessments" USING btree ("la_code","received_date");--> statement-breakpoint
CREATE UNIQUE INDEX "plan_reassessments_one_open_key" ON "plan_reassessments" USING btree ("plan_id") WHERE "plan_reassessments"."status" = 'open';