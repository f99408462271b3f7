-- Every recorded exception names the duty it applies to (contracts/cli.md; statutory-timescales.md P11): the case
-- event's data carries it beside the reason, dates and evidence. Until now only reg 10(4) exceptions could be
-- recorded, and those apply to the 20-week duty, so each stored one is marked as such. The request's
-- exception_reason keeps only the reason of an exception to the 20-week duty (SEN2 Week20).
UPDATE "case_events" SET "data" = "data" || '{"duty": "issue_final_plan"}'::jsonb
  WHERE "type" = 'exception' AND "data"->>'duty' IS NULL;
