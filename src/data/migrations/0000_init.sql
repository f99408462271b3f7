CREATE TABLE "advice_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"la_code" char(3) NOT NULL,
	"request_id" uuid NOT NULL,
	"advice_type" text NOT NULL,
	"provider" text NOT NULL,
	"requested_date" date NOT NULL,
	"received_date" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"la_code" char(3) NOT NULL,
	"child_id" uuid NOT NULL,
	"reference" text NOT NULL,
	"received_date" date NOT NULL,
	"request_source" text,
	"caseworker_id" uuid,
	"team" text,
	"stage" text NOT NULL,
	"open" boolean DEFAULT true NOT NULL,
	"assessment_decision" text,
	"assessment_decision_date" date,
	"issue_decision" text,
	"issue_decision_date" date,
	"draft_served_date" date,
	"final_issued_date" date,
	"exception_reason" text,
	"closed_date" date,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"user_id" uuid,
	"la_code" char(3),
	"action" text NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" text,
	"child_id" uuid,
	"request_id" text,
	"ip" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bank_holidays" (
	"date" date PRIMARY KEY NOT NULL,
	"title" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "case_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"la_code" char(3) NOT NULL,
	"child_id" uuid NOT NULL,
	"request_id" uuid,
	"type" text NOT NULL,
	"occurred_on" date NOT NULL,
	"actor_id" uuid,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "children" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"la_code" char(3) NOT NULL,
	"reference" text NOT NULL,
	"given_name" text NOT NULL,
	"family_name" text NOT NULL,
	"date_of_birth" date NOT NULL,
	"sex" text,
	"upn" text,
	"postcode" text,
	"primary_need" text,
	"setting_name" text,
	"setting_type" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "local_authorities" (
	"la_code" char(3) PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plan_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"la_code" char(3) NOT NULL,
	"plan_id" uuid NOT NULL,
	"version_no" integer NOT NULL,
	"kind" text NOT NULL,
	"issued_date" date,
	"content" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"la_code" char(3) NOT NULL,
	"child_id" uuid NOT NULL,
	"request_id" uuid,
	"status" text NOT NULL,
	"first_issued_date" date NOT NULL,
	"last_review_date" date,
	"ceased_date" date,
	"ceased_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "role_assignments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"la_code" char(3) NOT NULL,
	"role" text NOT NULL,
	"child_id" uuid,
	"team" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"sid" text PRIMARY KEY NOT NULL,
	"sess" jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sign_in_throttle" (
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"locked_until" timestamp with time zone,
	CONSTRAINT "sign_in_throttle_scope_key_pk" PRIMARY KEY("scope","key")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text,
	"disabled" boolean DEFAULT false NOT NULL,
	"is_demo" boolean DEFAULT false NOT NULL,
	"last_sign_in_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "advice_requests" ADD CONSTRAINT "advice_requests_la_code_local_authorities_la_code_fk" FOREIGN KEY ("la_code") REFERENCES "public"."local_authorities"("la_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "advice_requests" ADD CONSTRAINT "advice_requests_request_id_assessment_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."assessment_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_requests" ADD CONSTRAINT "assessment_requests_la_code_local_authorities_la_code_fk" FOREIGN KEY ("la_code") REFERENCES "public"."local_authorities"("la_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_requests" ADD CONSTRAINT "assessment_requests_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_requests" ADD CONSTRAINT "assessment_requests_caseworker_id_users_id_fk" FOREIGN KEY ("caseworker_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_la_code_local_authorities_la_code_fk" FOREIGN KEY ("la_code") REFERENCES "public"."local_authorities"("la_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_request_id_assessment_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."assessment_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "children" ADD CONSTRAINT "children_la_code_local_authorities_la_code_fk" FOREIGN KEY ("la_code") REFERENCES "public"."local_authorities"("la_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_versions" ADD CONSTRAINT "plan_versions_la_code_local_authorities_la_code_fk" FOREIGN KEY ("la_code") REFERENCES "public"."local_authorities"("la_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_versions" ADD CONSTRAINT "plan_versions_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_versions" ADD CONSTRAINT "plan_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_la_code_local_authorities_la_code_fk" FOREIGN KEY ("la_code") REFERENCES "public"."local_authorities"("la_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plans" ADD CONSTRAINT "plans_request_id_assessment_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."assessment_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "role_assignments" ADD CONSTRAINT "role_assignments_la_code_local_authorities_la_code_fk" FOREIGN KEY ("la_code") REFERENCES "public"."local_authorities"("la_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "advice_requests_request_idx" ON "advice_requests" USING btree ("la_code","request_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_requests_la_reference_key" ON "assessment_requests" USING btree ("la_code","reference");--> statement-breakpoint
CREATE INDEX "assessment_requests_la_open_received_idx" ON "assessment_requests" USING btree ("la_code","open","received_date");--> statement-breakpoint
CREATE INDEX "assessment_requests_la_caseworker_idx" ON "assessment_requests" USING btree ("la_code","caseworker_id","open");--> statement-breakpoint
CREATE INDEX "assessment_requests_child_idx" ON "assessment_requests" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "audit_log_la_at_idx" ON "audit_log" USING btree ("la_code","at");--> statement-breakpoint
CREATE INDEX "audit_log_child_idx" ON "audit_log" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "case_events_request_idx" ON "case_events" USING btree ("la_code","request_id","occurred_on");--> statement-breakpoint
CREATE INDEX "case_events_child_idx" ON "case_events" USING btree ("la_code","child_id");--> statement-breakpoint
CREATE UNIQUE INDEX "children_la_reference_key" ON "children" USING btree ("la_code","reference");--> statement-breakpoint
CREATE INDEX "children_la_name_dob_idx" ON "children" USING btree ("la_code","family_name","date_of_birth");--> statement-breakpoint
CREATE UNIQUE INDEX "plan_versions_plan_version_key" ON "plan_versions" USING btree ("plan_id","version_no");--> statement-breakpoint
CREATE INDEX "plans_la_status_idx" ON "plans" USING btree ("la_code","status");--> statement-breakpoint
CREATE INDEX "plans_child_idx" ON "plans" USING btree ("child_id");--> statement-breakpoint
CREATE INDEX "role_assignments_user_idx" ON "role_assignments" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "role_assignments_la_role_idx" ON "role_assignments" USING btree ("la_code","role");--> statement-breakpoint
CREATE INDEX "sessions_expires_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree (lower("email"));