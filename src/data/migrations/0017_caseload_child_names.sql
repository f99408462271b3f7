-- The caseload in order of the child's name, read from an index: each request carries a copy of its child's names,
-- kept by the database itself so that no way of writing requests or children can leave it out of step.
ALTER TABLE "assessment_requests" ADD COLUMN "child_family_name" text;--> statement-breakpoint
ALTER TABLE "assessment_requests" ADD COLUMN "child_given_name" text;--> statement-breakpoint
UPDATE "assessment_requests" r
  SET "child_family_name" = c."family_name", "child_given_name" = c."given_name"
  FROM "children" c WHERE c."id" = r."child_id";--> statement-breakpoint
CREATE OR REPLACE FUNCTION assessment_requests_copy_child_names() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  SELECT c.family_name, c.given_name INTO NEW.child_family_name, NEW.child_given_name
    FROM children c WHERE c.id = NEW.child_id;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER assessment_requests_child_names
  BEFORE INSERT OR UPDATE OF child_id, child_family_name, child_given_name ON assessment_requests
  FOR EACH ROW EXECUTE FUNCTION assessment_requests_copy_child_names();--> statement-breakpoint
CREATE OR REPLACE FUNCTION children_names_to_requests() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE assessment_requests
    SET child_family_name = NEW.family_name, child_given_name = NEW.given_name
    WHERE child_id = NEW.id;
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE TRIGGER children_names_to_requests
  AFTER UPDATE OF family_name, given_name ON children
  FOR EACH ROW WHEN (OLD.family_name IS DISTINCT FROM NEW.family_name OR OLD.given_name IS DISTINCT FROM NEW.given_name)
  EXECUTE FUNCTION children_names_to_requests();--> statement-breakpoint
CREATE INDEX "assessment_requests_open_child_name_idx" ON "assessment_requests" USING btree ("la_code","child_family_name","child_given_name","id") WHERE "assessment_requests"."open";
