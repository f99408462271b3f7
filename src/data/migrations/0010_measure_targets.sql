CREATE TABLE "measure_targets" (
	"la_code" char(3) NOT NULL,
	"measure" text NOT NULL,
	"target" double precision NOT NULL,
	"set_by" uuid,
	"set_at" timestamp with time zone NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "measure_targets_la_code_measure_pk" PRIMARY KEY("la_code","measure")
);
--> statement-breakpoint
ALTER TABLE "measure_targets" ADD CONSTRAINT "measure_targets_la_code_local_authorities_la_code_fk" FOREIGN KEY ("la_code") REFERENCES "public"."local_authorities"("la_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_targets" ADD CONSTRAINT "measure_targets_set_by_users_id_fk" FOREIGN KEY ("set_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;