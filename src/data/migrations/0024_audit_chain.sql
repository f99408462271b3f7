CREATE TABLE "audit_chain_head" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "chain_seq" bigint;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "prev_hash" text;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "row_hash" text;--> statement-breakpoint
CREATE INDEX "audit_log_chain_seq_idx" ON "audit_log" USING btree ("chain_seq");--> statement-breakpoint
-- The audit log's hash chain (docs/audit-log.md). A row's hash is SHA-256 over its canonical serialisation: its fields
-- in a fixed order, each written as "<length in bytes>:<text>" (or "-" when null), joined by "|", ending with the
-- previous row's hash. `openehcp audit verify` computes the same outside the database, from the stored values.
CREATE OR REPLACE FUNCTION audit_log_canonical(r audit_log) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT string_agg(coalesce(octet_length(f)::text || ':' || f, '-'), '|' ORDER BY n)
  FROM unnest(ARRAY[
    r.id::text,
    r.chain_seq::text,
    to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    r.user_id::text,
    r.la_code::text,
    r.action,
    r.entity_type,
    r.entity_id,
    r.child_id::text,
    r.request_id,
    r.ip,
    r.detail::text,
    r.prev_hash
  ]) WITH ORDINALITY AS t(f, n)
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION audit_log_row_hash(r audit_log) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT encode(sha256(convert_to(audit_log_canonical(r), 'UTF8')), 'hex')
$$;
--> statement-breakpoint
-- Each new row takes the next position: the head row is locked until the inserting transaction ends, so two inserts
-- at once are put one after the other, never both after the same row. SECURITY DEFINER: the service's runtime role
-- needs no right to the head row (and so cannot move it).
CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  head_seq bigint;
  head_hash text;
BEGIN
  SELECT seq, hash INTO head_seq, head_hash FROM audit_chain_head WHERE id FOR UPDATE;
  NEW.chain_seq := head_seq + 1;
  NEW.prev_hash := head_hash;
  NEW.row_hash := audit_log_row_hash(NEW);
  UPDATE audit_chain_head SET seq = NEW.chain_seq, hash = NEW.row_hash WHERE id;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
-- Rows written before the chain existed are chained in the order they were written (by id).
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete;
--> statement-breakpoint
DO $$
DECLARE
  r audit_log;
  pos bigint := 0;
  previous text := repeat('0', 64);
BEGIN
  FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
    pos := pos + 1;
    r.chain_seq := pos;
    r.prev_hash := previous;
    previous := audit_log_row_hash(r);
    UPDATE audit_log SET chain_seq = r.chain_seq, prev_hash = r.prev_hash, row_hash = previous WHERE id = r.id;
  END LOOP;
  INSERT INTO audit_chain_head (id, seq, hash) VALUES (true, pos, previous);
END;
$$;
--> statement-breakpoint
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_delete;
--> statement-breakpoint
CREATE TRIGGER audit_log_chain
  BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_chain();
--> statement-breakpoint
-- The head is changed by the trigger alone: it refuses removal and a second row.
CREATE TRIGGER audit_chain_head_no_delete
  BEFORE DELETE ON audit_chain_head
  FOR EACH ROW EXECUTE FUNCTION append_only_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_chain_head_no_truncate
  BEFORE TRUNCATE ON audit_chain_head
  FOR EACH STATEMENT EXECUTE FUNCTION append_only_refuse_change();
--> statement-breakpoint
ALTER TABLE audit_chain_head ADD CONSTRAINT audit_chain_head_one_row CHECK (id);
