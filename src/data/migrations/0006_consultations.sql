CREATE TABLE "setting_consultations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"la_code" char(3) NOT NULL,
	"request_id" uuid NOT NULL,
	"setting_name" text NOT NULL,
	"setting_urn" text,
	"sent_date" date NOT NULL,
	"responded_date" date,
	"response" text,
	"response_note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "setting_consultations" ADD CONSTRAINT "setting_consultations_la_code_local_authorities_la_code_fk" FOREIGN KEY ("la_code") REFERENCES "public"."local_authorities"("la_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "setting_consultations" ADD CONSTRAINT "setting_consultations_request_id_assessment_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."assessment_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "setting_consultations_request_idx" ON "setting_consultations" USING btree ("la_code","request_id");