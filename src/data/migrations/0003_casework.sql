CREATE TABLE "documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"la_code" char(3) NOT NULL,
	"child_id" uuid NOT NULL,
	"request_id" uuid,
	"filename" text NOT NULL,
	"media_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "advice_requests" ADD COLUMN "provider_email" text;--> statement-breakpoint
ALTER TABLE "advice_requests" ADD COLUMN "escalation_email" text;--> statement-breakpoint
ALTER TABLE "advice_requests" ADD COLUMN "reused_from_advice_id" uuid;--> statement-breakpoint
ALTER TABLE "advice_requests" ADD COLUMN "family_agreed_date" date;--> statement-breakpoint
ALTER TABLE "advice_requests" ADD COLUMN "document_id" uuid;--> statement-breakpoint
ALTER TABLE "case_events" ADD COLUMN "submission_key" text;--> statement-breakpoint
ALTER TABLE "case_events" ADD COLUMN "request_version" integer;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "uln" text;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "upn_unknown" text;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "ethnicity" text;--> statement-breakpoint
ALTER TABLE "children" ADD COLUMN "setting_urn" text;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_la_code_local_authorities_la_code_fk" FOREIGN KEY ("la_code") REFERENCES "public"."local_authorities"("la_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_request_id_assessment_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."assessment_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "documents_request_idx" ON "documents" USING btree ("la_code","request_id");--> statement-breakpoint
CREATE UNIQUE INDEX "case_events_submission_key" ON "case_events" USING btree ("la_code","submission_key");