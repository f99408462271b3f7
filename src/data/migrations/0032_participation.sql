CREATE TABLE "family_contributions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"la_code" char(3) NOT NULL,
	"child_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"plan_version_id" uuid,
	"content" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "advice_requests" ADD COLUMN "provider_user_id" uuid;--> statement-breakpoint
ALTER TABLE "advice_requests" ADD COLUMN "content" jsonb;--> statement-breakpoint
ALTER TABLE "advice_requests" ADD COLUMN "submitted_by" uuid;--> statement-breakpoint
ALTER TABLE "advice_requests" ADD COLUMN "submitted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "source" text DEFAULT 'council' NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "to_phone" text;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "channel" text DEFAULT 'email' NOT NULL;--> statement-breakpoint
ALTER TABLE "role_assignments" ADD COLUMN "advice_service" text;--> statement-breakpoint
ALTER TABLE "role_assignments" ADD COLUMN "setting_urn" text;--> statement-breakpoint
ALTER TABLE "role_assignments" ADD COLUMN "relationship" text;--> statement-breakpoint
ALTER TABLE "setting_consultations" ADD COLUMN "responded_by" uuid;--> statement-breakpoint
ALTER TABLE "setting_consultations" ADD COLUMN "plan_version_id" uuid;--> statement-breakpoint
ALTER TABLE "setting_consultations" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "phone" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "sms_opt_in" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "family_contributions" ADD CONSTRAINT "family_contributions_la_code_local_authorities_la_code_fk" FOREIGN KEY ("la_code") REFERENCES "public"."local_authorities"("la_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_contributions" ADD CONSTRAINT "family_contributions_child_id_children_id_fk" FOREIGN KEY ("child_id") REFERENCES "public"."children"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_contributions" ADD CONSTRAINT "family_contributions_request_id_assessment_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."assessment_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_contributions" ADD CONSTRAINT "family_contributions_plan_version_id_plan_versions_id_fk" FOREIGN KEY ("plan_version_id") REFERENCES "public"."plan_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "family_contributions" ADD CONSTRAINT "family_contributions_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "family_contributions_request_idx" ON "family_contributions" USING btree ("la_code","request_id","kind");--> statement-breakpoint
ALTER TABLE "advice_requests" ADD CONSTRAINT "advice_requests_provider_user_id_users_id_fk" FOREIGN KEY ("provider_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "advice_requests" ADD CONSTRAINT "advice_requests_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "setting_consultations" ADD CONSTRAINT "setting_consultations_responded_by_users_id_fk" FOREIGN KEY ("responded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "setting_consultations" ADD CONSTRAINT "setting_consultations_plan_version_id_plan_versions_id_fk" FOREIGN KEY ("plan_version_id") REFERENCES "public"."plan_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "advice_requests_provider_user_idx" ON "advice_requests" USING btree ("provider_user_id");--> statement-breakpoint
CREATE INDEX "advice_requests_la_type_idx" ON "advice_requests" USING btree ("la_code","advice_type");--> statement-breakpoint
CREATE INDEX "role_assignments_setting_idx" ON "role_assignments" USING btree ("la_code","setting_urn");--> statement-breakpoint
CREATE INDEX "setting_consultations_urn_idx" ON "setting_consultations" USING btree ("la_code","setting_urn");