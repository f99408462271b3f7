CREATE TABLE "plan_moves" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"la_code" char(3) NOT NULL,
	"plan_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"other_la_code" char(3) NOT NULL,
	"move_date" date,
	"learned_date" date,
	"health_commissioner_changes" boolean DEFAULT false NOT NULL,
	"health_told_date" date,
	"transfer_date" date,
	"plan_made_date" date,
	"last_review_date" date,
	"parent_informed_date" date,
	"will_assess" boolean,
	"proposed_review_date" date,
	"status" text DEFAULT 'open' NOT NULL,
	"next_duty" text,
	"next_due" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "plan_moves" ADD CONSTRAINT "plan_moves_la_code_local_authorities_la_code_fk" FOREIGN KEY ("la_code") REFERENCES "public"."local_authorities"("la_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_moves" ADD CONSTRAINT "plan_moves_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_moves" ADD CONSTRAINT "plan_moves_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "plan_moves_plan_direction_key" ON "plan_moves" USING btree ("plan_id","direction");--> statement-breakpoint
CREATE INDEX "plan_moves_next_due_idx" ON "plan_moves" USING btree ("la_code","next_due","id") WHERE "plan_moves"."status" = 'open';