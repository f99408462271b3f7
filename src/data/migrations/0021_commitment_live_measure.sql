-- A commitment whose series is entered by hand can name the live measure that measures the same thing, to be shown beside it.
ALTER TABLE "commitments" ADD COLUMN "live_measure_id" text;