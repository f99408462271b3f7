CREATE TABLE "qa_audits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"la_code" char(3) NOT NULL,
	"request_id" uuid NOT NULL,
	"plan_version_no" integer NOT NULL,
	"rubric_id" uuid NOT NULL,
	"auditor_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"first_audit_id" uuid,
	"sample_month" text NOT NULL,
	"agency" text,
	"status" text NOT NULL,
	"answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"comments" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"grade" text,
	"score" double precision,
	"completed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "qa_findings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"la_code" char(3) NOT NULL,
	"audit_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"section" text NOT NULL,
	"text" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"closing_note" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_by" uuid,
	"closed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "qa_rubrics" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"la_code" char(3) NOT NULL,
	"version" integer NOT NULL,
	"content" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "qa_audits" ADD CONSTRAINT "qa_audits_la_code_local_authorities_la_code_fk" FOREIGN KEY ("la_code") REFERENCES "public"."local_authorities"("la_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_audits" ADD CONSTRAINT "qa_audits_request_id_assessment_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."assessment_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_audits" ADD CONSTRAINT "qa_audits_rubric_id_qa_rubrics_id_fk" FOREIGN KEY ("rubric_id") REFERENCES "public"."qa_rubrics"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_audits" ADD CONSTRAINT "qa_audits_auditor_id_users_id_fk" FOREIGN KEY ("auditor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_findings" ADD CONSTRAINT "qa_findings_la_code_local_authorities_la_code_fk" FOREIGN KEY ("la_code") REFERENCES "public"."local_authorities"("la_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_findings" ADD CONSTRAINT "qa_findings_audit_id_qa_audits_id_fk" FOREIGN KEY ("audit_id") REFERENCES "public"."qa_audits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_findings" ADD CONSTRAINT "qa_findings_request_id_assessment_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."assessment_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_findings" ADD CONSTRAINT "qa_findings_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_findings" ADD CONSTRAINT "qa_findings_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_rubrics" ADD CONSTRAINT "qa_rubrics_la_code_local_authorities_la_code_fk" FOREIGN KEY ("la_code") REFERENCES "public"."local_authorities"("la_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "qa_rubrics" ADD CONSTRAINT "qa_rubrics_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "qa_audits_auditor_idx" ON "qa_audits" USING btree ("la_code","auditor_id");--> statement-breakpoint
CREATE INDEX "qa_audits_request_idx" ON "qa_audits" USING btree ("la_code","request_id");--> statement-breakpoint
CREATE INDEX "qa_audits_month_idx" ON "qa_audits" USING btree ("la_code","sample_month");--> statement-breakpoint
CREATE INDEX "qa_findings_request_idx" ON "qa_findings" USING btree ("la_code","request_id");--> statement-breakpoint
CREATE UNIQUE INDEX "qa_rubrics_la_version_key" ON "qa_rubrics" USING btree ("la_code","version");