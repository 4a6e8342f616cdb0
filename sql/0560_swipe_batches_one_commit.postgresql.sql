-- Issue 13 §7, session 20: several gates' batches of swipes stored in ONE statement, so they share
-- one commit (one WAL flush) instead of one each (docs/ARCHITECTURE.md note 27, Devices).
--
-- After sql/0530 a batch of 50 was ~2.6 ms of statement and a commit whose WAL flush took 0.7-8 ms
-- (outliers 25-50 ms) on this machine: the flush was the largest part. The server now hands the
-- batches that wait at the same time to one thread (attendance/swipe_group.cpp), which stores them
-- here: each batch through the unchanged kehou_ingest_swipes, in the order given (the server sorts
-- them by device, so two such calls at once lock the devices' rows in the same order), all in the
-- statement's one transaction. Each batch keeps its own answer (its rows, tagged with its place in
-- p_batches) and its own audit row; a uid is unique per (school, device), so a batch that repeats
-- an earlier one's uid (a resend) stores nothing twice, in this call or later.
--
-- p_batches: [{"school":, "device":, "now":, "rows": [[uid, card_no, at_ms, day], ...],
--              "duplicate":, "rejected":, "user_name":, "client":, "request_id":, "audit_at":}, ...]
-- Returns the stored rows of every batch: (batch: 0-based place in p_batches, uid, student_id).
CREATE FUNCTION kehou_ingest_swipe_batches(p_batches TEXT)
RETURNS TABLE (batch INTEGER, uid TEXT, student_id BIGINT)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  b json;
  i integer;
BEGIN
  FOR b, i IN SELECT e.value, (e.ordinality - 1)::integer FROM json_array_elements(p_batches::json) WITH ORDINALITY e
  LOOP
    RETURN QUERY
      SELECT i, s.uid, s.student_id
        FROM kehou_ingest_swipes((b ->> 'school')::bigint, (b ->> 'device')::bigint, (b ->> 'now')::bigint,
                                 (b -> 'rows')::text, (b ->> 'duplicate')::integer, (b ->> 'rejected')::integer,
                                 b ->> 'user_name', b ->> 'client', b ->> 'request_id', (b ->> 'audit_at')::bigint) s;
  END LOOP;
END $$;
