CREATE TABLE "reference_counters" (
	"la_code" char(3) NOT NULL,
	"series" text NOT NULL,
	"prefix" text NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "reference_counters_la_code_series_prefix_pk" PRIMARY KEY("la_code","series","prefix")
);
--> statement-breakpoint
ALTER TABLE "reference_counters" ADD CONSTRAINT "reference_counters_la_code_local_authorities_la_code_fk" FOREIGN KEY ("la_code") REFERENCES "public"."local_authorities"("la_code") ON DELETE no action ON UPDATE no action;