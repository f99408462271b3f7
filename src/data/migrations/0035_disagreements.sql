CREATE TABLE "disagreements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"la_code" char(3) NOT NULL,
	"child_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"about" text NOT NULL,
	"decision_date" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"mediation_told_date" date,
	"mediation_held_date" date,
	"agreement" boolean,
	"agreement_actions" text,
	"agreement_done_date" date,
	"certificate_date" date,
	"appeal_date" date,
	"outcome" text,
	"outcome_date" date,
	"tribunal_order" text,
	"complied" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"closed_date" date,
	"next_duty" text,
	"next_due" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "disagreements" ADD CONSTRAINT "disagreements_la_code_local_authorities_la_code_fk" FOREIGN KEY ("la_code") REFERENCES "public"."local_authorities"("la_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disagreements" ADD CONSTRAINT "disagreements_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disagreements" ADD CONSTRAINT "disagreements_request_id_assessment_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."assessment_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "disagreements_request_idx" ON "disagreements" USING btree ("la_code","request_id");--> statement-breakpoint
CREATE INDEX "disagreements_next_due_idx" ON "disagreements" USING btree ("la_code","next_due","id") WHERE "disagreements"."status" = 'open';