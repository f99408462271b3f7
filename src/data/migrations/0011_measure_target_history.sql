CREATE TABLE "measure_target_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"la_code" char(3) NOT NULL,
	"measure" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"changed_by" uuid,
	"from_target" double precision,
	"to_target" double precision,
	"reason" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "measure_target_history" ADD CONSTRAINT "measure_target_history_la_code_local_authorities_la_code_fk" FOREIGN KEY ("la_code") REFERENCES "public"."local_authorities"("la_code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_target_history" ADD CONSTRAINT "measure_target_history_changed_by_users_id_fk" FOREIGN KEY ("changed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "measure_target_history_la_measure_idx" ON "measure_target_history" USING btree ("la_code","measure","at");--> statement-breakpoint
-- The history of targets is append-only, as the audit log is: the database refuses to change or remove an entry.
CREATE OR REPLACE FUNCTION measure_target_history_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'measure_target_history is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER measure_target_history_no_update_delete
  BEFORE UPDATE OR DELETE ON measure_target_history
  FOR EACH ROW EXECUTE FUNCTION measure_target_history_refuse_change();
--> statement-breakpoint
CREATE TRIGGER measure_target_history_no_truncate
  BEFORE TRUNCATE ON measure_target_history
  FOR EACH STATEMENT EXECUTE FUNCTION measure_target_history_refuse_change();
