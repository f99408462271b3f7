CREATE TABLE "phase_transfers" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"la_code" char(3) NOT NULL,
	"plan_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"transfer_year" integer NOT NULL,
	"kind" text NOT NULL,
	"deadline" date NOT NULL,
	"next_setting_name" text NOT NULL,
	"next_setting_urn" text NOT NULL,
	"finalised_date" date NOT NULL,
	"amended_version_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "phase_transfers" ADD CONSTRAINT "phase_transfers_la_code_local_authorities_la_code_fk" FOREIGN KEY ("la_code") REFERENCES "public"."local_authorities"("la_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phase_transfers" ADD CONSTRAINT "phase_transfers_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "phase_transfers" ADD CONSTRAINT "phase_transfers_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "phase_transfers_plan_year_key" ON "phase_transfers" USING btree ("la_code","plan_id","transfer_year");--> statement-breakpoint
CREATE INDEX "phase_transfers_year_idx" ON "phase_transfers" USING btree ("la_code","transfer_year","kind");--> statement-breakpoint
CREATE INDEX "children_la_dob_idx" ON "children" USING btree ("la_code","date_of_birth","id");