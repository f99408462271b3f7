CREATE TABLE "measure_refreshes" (
	"la_code" char(3) PRIMARY KEY NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL,
	"from_month" char(7) NOT NULL,
	"to_month" char(7) NOT NULL,
	"requests" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "measure_values" (
	"la_code" char(3) NOT NULL,
	"measure" text NOT NULL,
	"month" char(7) NOT NULL,
	"dimension" text NOT NULL,
	"category" text NOT NULL,
	"numerator" double precision,
	"denominator" double precision,
	"value" double precision,
	CONSTRAINT "measure_values_la_code_measure_dimension_category_month_pk" PRIMARY KEY("la_code","measure","dimension","category","month")
);
--> statement-breakpoint
ALTER TABLE "measure_refreshes" ADD CONSTRAINT "measure_refreshes_la_code_local_authorities_la_code_fk" FOREIGN KEY ("la_code") REFERENCES "public"."local_authorities"("la_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_values" ADD CONSTRAINT "measure_values_la_code_local_authorities_la_code_fk" FOREIGN KEY ("la_code") REFERENCES "public"."local_authorities"("la_code") ON DELETE no action ON UPDATE no action;