-- Issue 13 §7, session 19: a gate's batch of swipes on PostgreSQL in one call, its foreign-key
-- checks taking no lock on hot rows (docs/ARCHITECTURE.md note 27, Devices).
--
-- Until now a batch was a read (the device's key) and a transaction of five round trips: BEGIN,
-- the INSERT of the rows, the device's last_seen_at, the audit row, COMMIT. kehou_ingest_swipes
-- does the three writes in one statement run outside a transaction block (db::Db::Direct), so it
-- commits on its own: two round trips a batch. It stores what the server checked (the first of
-- each uid, every field valid), each row matched to its child by an index probe of
-- attendance_cards (was a hash join over all the school's cards), `ON CONFLICT (school_id,
-- device_id, uid) DO NOTHING`: a uid already stored (a resend) is not returned. The audit row is
-- the one auth::Audit wrote (attendance/intake.cpp), with the same counts, written only when the
-- batch stored a row.
--
-- Every INSERT checked three foreign keys with `SELECT 1 ... FOR KEY SHARE`, row by row: the
-- school's row (locked by every concurrent write of the school: a MultiXact for each new set of
-- lockers, a WAL record and a dirtied page per lock), the device's row, and each swipe's child's
-- row (50 locks, 50 WAL records a batch of 50). EXPLAIN ANALYZE of a batch of 50: the three
-- checks ~1.0 ms of ~2.1 ms.
-- * school_id and device_id: one key (school_id, device_id) -> attendance_devices(school_id, id)
--   instead of two. The check runs on the device's row, which the same statement updates
--   (last_seen_at) and so already holds; and it says more than before: the swipe's device exists,
--   belongs to the swipe's school, and that school exists (attendance_devices.school_id
--   references schools).
-- * student_id: dropped. A swipe's child is only ever set by the INSERT itself, from
--   attendance_cards.student_id (which references students) in the same statement; students are
--   never deleted and their ids never change (no code path or migration deletes students rows).
-- SQLite keeps its three keys (its checks lock nothing).
CREATE UNIQUE INDEX attendance_devices_school_id ON attendance_devices(school_id, id);
ALTER TABLE attendance_swipes ADD CONSTRAINT attendance_swipes_school_device_fkey
  FOREIGN KEY (school_id, device_id) REFERENCES attendance_devices(school_id, id);
ALTER TABLE attendance_swipes DROP CONSTRAINT attendance_swipes_school_id_fkey;
ALTER TABLE attendance_swipes DROP CONSTRAINT attendance_swipes_device_id_fkey;
ALTER TABLE attendance_swipes DROP CONSTRAINT attendance_swipes_student_id_fkey;

-- p_rows: [[uid, card_no, at_ms, day], ...], distinct uids (the server answered the repeats).
-- Returns the stored rows (uid, student_id: NULL for an unknown card).
CREATE FUNCTION kehou_ingest_swipes(
  p_school BIGINT, p_device BIGINT, p_now BIGINT,
  p_rows TEXT,
  p_duplicate INTEGER,    -- repeats of a uid within the batch (answered duplicate by the server)
  p_rejected INTEGER,     -- rows the server's checks refused
  p_user_name TEXT, p_client TEXT, p_request_id TEXT,  -- the audit row's (the device's principal)
  p_audit_at BIGINT)      -- the audit row's time (auth::Audit's: the clock's, not the request's now)
RETURNS TABLE (uid TEXT, student_id BIGINT)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
  -- First, so the foreign-key check below finds the device's row already held by this statement.
  UPDATE attendance_devices SET last_seen_at = p_now WHERE id = p_device;
  RETURN QUERY
  WITH ins AS (
    INSERT INTO attendance_swipes (school_id, device_id, uid, card_no, student_id, at_ms, day, received_at)
    SELECT p_school, p_device, j ->> 0, j ->> 1,
           (SELECT c.student_id FROM attendance_cards c WHERE c.school_id = p_school AND c.card_no = j ->> 1),
           (j ->> 2)::bigint, j ->> 3, p_now
      FROM json_array_elements(p_rows::json) j
    ON CONFLICT (school_id, device_id, uid) DO NOTHING
    RETURNING attendance_swipes.uid, attendance_swipes.student_id),
  n AS (SELECT COUNT(ins.student_id)::int AS accepted, (COUNT(*) - COUNT(ins.student_id))::int AS unknown,
               COUNT(*)::int AS stored FROM ins),
  audit AS (
    INSERT INTO audit_log (school_id, user_id, user_name, at, action, entity, entity_id, before_json, after_json,
                           client, request_id)
    SELECT p_school, NULL, p_user_name, p_audit_at, 'swipe_batch', 'attendance_device', p_device, NULL,
           format('{"accepted":%s,"duplicate":%s,"rejected":%s,"unknown_card":%s}', n.accepted,
                  p_duplicate + json_array_length(p_rows::json) - n.stored, p_rejected, n.unknown),
           p_client, p_request_id
      FROM n WHERE n.stored > 0)
  SELECT ins.uid, ins.student_id FROM ins;
END $$;
