-- The audit log's hash chain is now written when the inserting transaction commits, by a deferred constraint
-- trigger, instead of when the row is inserted. The chain's head row is locked only while the transaction commits,
-- not from its first audit row to its end across every round trip in between, so people saving at the same time no
-- longer wait for each other's whole saves (issue 23's 200-session load test: 24,063 audit inserts waited a mean
-- 5.3 ms for the head, under the insert-time lock). Rows are chained in the order their transactions commit; a
-- committed row is always chained, so `openehcp audit verify` reads the same chain as before.
DROP TRIGGER audit_log_chain ON audit_log;
--> statement-breakpoint
DROP FUNCTION audit_log_chain();
--> statement-breakpoint
-- Fills in the chain of one row just inserted: the next position, the previous row's hash, and its own hash, then
-- moves the head. SECURITY DEFINER: the service's runtime role may neither update audit_log nor touch the head.
CREATE FUNCTION audit_log_chain_at_commit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  r audit_log := NEW;
  head_seq bigint;
  head_hash text;
BEGIN
  SELECT seq, hash INTO head_seq, head_hash FROM audit_chain_head WHERE id FOR UPDATE;
  r.chain_seq := head_seq + 1;
  r.prev_hash := head_hash;
  r.row_hash := audit_log_row_hash(r);
  UPDATE audit_log SET chain_seq = r.chain_seq, prev_hash = r.prev_hash, row_hash = r.row_hash WHERE id = r.id;
  UPDATE audit_chain_head SET seq = r.chain_seq, hash = r.row_hash WHERE id;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER audit_log_chain
  AFTER INSERT ON audit_log
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION audit_log_chain_at_commit();
--> statement-breakpoint
-- The log stays append-only. The one change allowed is the chain trigger's own: filling in the chain of a row that has
-- none yet, from inside that trigger (so at trigger depth 2), with every other field as it was written.
CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND TG_LEVEL = 'ROW' AND pg_trigger_depth() > 1 THEN
    IF OLD.chain_seq IS NULL AND NEW.chain_seq IS NOT NULL
       AND to_jsonb(NEW) - ARRAY['chain_seq', 'prev_hash', 'row_hash']
         = to_jsonb(OLD) - ARRAY['chain_seq', 'prev_hash', 'row_hash'] THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;
