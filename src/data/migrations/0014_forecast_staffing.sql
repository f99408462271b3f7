CREATE TABLE "forecast_staffing" (
	"la_code" char(3) NOT NULL,
	"staff" text NOT NULL,
	"people" double precision NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid NOT NULL,
	CONSTRAINT "forecast_staffing_la_code_staff_pk" PRIMARY KEY("la_code","staff")
);
--> statement-breakpoint
ALTER TABLE "forecast_staffing" ADD CONSTRAINT "forecast_staffing_la_code_local_authorities_la_code_fk" FOREIGN KEY ("la_code") REFERENCES "public"."local_authorities"("la_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "forecast_staffing" ADD CONSTRAINT "forecast_staffing_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;