CREATE TABLE "plan_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"la_code" char(3) NOT NULL,
	"plan_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"cycle_start" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"meeting_date" date,
	"invitations_sent_date" date,
	"advice_requested_date" date,
	"advice_from" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"advice_circulated_date" date,
	"meeting_held_date" date,
	"report_sent_date" date,
	"decision" text,
	"decision_date" date,
	"proposal_version_id" uuid,
	"outcome" text,
	"outcome_date" date,
	"amended_version_id" uuid,
	"completed_date" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "caseworker_id" uuid;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "review_due_date" date;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "review_due_rule" text;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "review_next_duty" text;--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "review_next_due" date;--> statement-breakpoint
ALTER TABLE "plan_reviews" ADD CONSTRAINT "plan_reviews_la_code_local_authorities_la_code_fk" FOREIGN KEY ("la_code") REFERENCES "public"."local_authorities"("la_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_reviews" ADD CONSTRAINT "plan_reviews_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_reviews" ADD CONSTRAINT "plan_reviews_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "plan_reviews_plan_idx" ON "plan_reviews" USING btree ("la_code","plan_id","cycle_start");--> statement-breakpoint
CREATE UNIQUE INDEX "plan_reviews_one_open_key" ON "plan_reviews" USING btree ("plan_id") WHERE "plan_reviews"."status" = 'open';--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_caseworker_id_users_id_fk" FOREIGN KEY ("caseworker_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "plans_review_next_due_idx" ON "plans" USING btree ("la_code","review_next_due","id") WHERE "plans"."status" = 'active';--> statement-breakpoint
CREATE INDEX "plans_review_caseworker_idx" ON "plans" USING btree ("la_code","caseworker_id","review_next_due","id") WHERE "plans"."status" = 'active';--> statement-breakpoint
CREATE INDEX "plans_review_due_missing_idx" ON "plans" USING btree ("la_code") WHERE "plans"."status" = 'active' and "plans"."review_next_due" is null;