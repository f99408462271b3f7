CREATE TABLE "plan_ceasings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"la_code" char(3) NOT NULL,
	"plan_id" uuid NOT NULL,
	"child_id" uuid NOT NULL,
	"review_id" uuid,
	"status" text DEFAULT 'open' NOT NULL,
	"reason" text NOT NULL,
	"consulted_date" date NOT NULL,
	"school_consulted_date" date NOT NULL,
	"decision" text,
	"decision_date" date,
	"certificate_date" date,
	"appeal_lodged_date" date,
	"tribunal_outcome" text,
	"tribunal_date" date,
	"ceased_date" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "plan_ceasings" ADD CONSTRAINT "plan_ceasings_la_code_local_authorities_la_code_fk" FOREIGN KEY ("la_code") REFERENCES "public"."local_authorities"("la_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_ceasings" ADD CONSTRAINT "plan_ceasings_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_ceasings" ADD CONSTRAINT "plan_ceasings_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_ceasings" ADD CONSTRAINT "plan_ceasings_review_id_plan_reviews_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."plan_reviews"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "plan_ceasings_plan_idx" ON "plan_ceasings" USING btree ("la_code","plan_id");--> statement-breakpoint
CREATE INDEX "plan_ceasings_ceased_idx" ON "plan_ceasings" USING btree ("la_code","ceased_date");--> statement-breakpoint
CREATE UNIQUE INDEX "plan_ceasings_one_open_key" ON "plan_ceasings" USING btree ("plan_id") WHERE "plan_ceasings"."status" = 'open';