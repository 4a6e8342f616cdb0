-- Issue 13 §7, session 21: a roll save's write on PostgreSQL in ONE call that commits on its own
-- (docs/ARCHITECTURE.md note 27, session 21; the pattern of kehou_take_seat and kehou_ingest_swipes).
--
-- The save's write was a transaction of 5 round trips (BEGIN, the session's marks/alerts/cancellation
-- in one statement, the changed marks, the audit row, COMMIT; stop 20's trace at the peak: its
-- slowest 5 % spent 20.9 ms in round trips and 17.0 ms in the COMMIT). The checks that decide whether
-- a save is allowed (session visible, edit window, the whole roster and no one else) and the roster,
-- the day's leave and swipes stay in C++ (attendance::PlanRoll, on a reader before the write, as
-- since session 14): they are the rules of four modules (school terms and bands, timetable
-- substitutes, catalog rosters, attendance's window), and C++ stays their one statement. What this
-- call does is WriteRoll (attendance/service.cpp) for a save that opens or resolves no absence alert:
--  * a cancellation of the session refuses ('cancelled', its note), nothing written (as RollStateOf);
--  * the changed marks (a mark differing from the stored one, or none stored) are upserted, the
--    unchanged ones are not touched (as PutMarks);
--  * the audit row is the one auth::Audit writes, with the same before/after text (keys in
--    nlohmann's order: by byte; student ids as text), alerts 0.
-- When a changed child would open an absence alert (p_rows' unexcused = 1: marked absent with no
-- leave covering the session, decided in C++ by UnexcusedAbsence/LeaveCovers) or has an open alert
-- to resolve, the call writes nothing and answers 'alerts': the server then runs WriteRoll's
-- transaction (alerts, the outbox's messages, their channels: notify's rules), rare at a dismissal.
-- The marks are locked in student id order, as PutMarks does (std::map), so a save here and one in
-- WriteRoll at once do not deadlock on the marks' rows.
--
-- p_rows: [[student_id, status, unexcused], ...]: the roster's marks as saved (every child once).
CREATE FUNCTION kehou_save_roll(
  p_school BIGINT, p_section BIGINT, p_day TEXT, p_band TEXT,
  p_rows TEXT,
  p_user_id BIGINT,      -- the saver's user id (NULL: none): the marks' by_user_id, the audit row's user_id
  p_now BIGINT,          -- the marks' updated_at (the request's time)
  p_action TEXT,         -- roll_call | roll_call_late_edit
  p_user_name TEXT, p_client TEXT, p_request_id TEXT,  -- the audit row's (auth::Audit's)
  p_audit_at BIGINT)     -- the audit row's time (auth::Audit's: the clock's)
RETURNS TABLE (outcome TEXT, note TEXT)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_note TEXT;
  v_ids BIGINT[];
  v_new TEXT[];
  v_old TEXT[];
  v_alerts BOOLEAN;
  v_before TEXT;
  v_after TEXT;
BEGIN
  SELECT x.note INTO v_note FROM attendance_cancellations x
   WHERE x.school_id = p_school AND x.section_id = p_section AND x.day = p_day AND x.band = p_band
     AND x.kind = 'cancel';
  IF FOUND THEN
    RETURN QUERY SELECT 'cancelled'::text, v_note;
    RETURN;
  END IF;
  -- The changed marks, by student id as text (the audit's key order), with their stored status.
  SELECT array_agg(r.student_id ORDER BY r.student_id::text COLLATE "C"),
         array_agg(r.status ORDER BY r.student_id::text COLLATE "C"),
         array_agg(m.status ORDER BY r.student_id::text COLLATE "C"),
         COALESCE(bool_or(r.unexcused = 1 OR EXISTS (
           SELECT 1 FROM absence_alerts a
            WHERE a.school_id = p_school AND a.section_id = p_section AND a.day = p_day AND a.band = p_band
              AND a.student_id = r.student_id AND a.status = 'open')), false)
    INTO v_ids, v_new, v_old, v_alerts
    FROM (SELECT (j ->> 0)::bigint AS student_id, j ->> 1 AS status, (j ->> 2)::int AS unexcused
            FROM json_array_elements(p_rows::json) j) r
    LEFT JOIN attendance_marks m
      ON m.school_id = p_school AND m.section_id = p_section AND m.day = p_day AND m.band = p_band
     AND m.student_id = r.student_id
   WHERE m.status IS DISTINCT FROM r.status;
  IF v_alerts THEN
    RETURN QUERY SELECT 'alerts'::text, NULL::text;
    RETURN;
  END IF;
  IF v_ids IS NOT NULL THEN
    INSERT INTO attendance_marks (school_id, section_id, day, band, student_id, status, by_user_id, updated_at)
    SELECT p_school, p_section, p_day, p_band, u.id, u.st, p_user_id, p_now
      FROM unnest(v_ids, v_new) AS u(id, st) ORDER BY u.id
    ON CONFLICT (school_id, section_id, day, band, student_id)
    DO UPDATE SET status = excluded.status, by_user_id = excluded.by_user_id, updated_at = excluded.updated_at;
  END IF;
  SELECT COALESCE(string_agg(format('%s:%s', to_json(u.id::text), COALESCE(to_json(u.old)::text, 'null')), ','
                             ORDER BY u.k), ''),
         COALESCE(string_agg(format('%s:%s', to_json(u.id::text), to_json(u.st)::text), ',' ORDER BY u.k), '')
    INTO v_before, v_after
    FROM unnest(v_ids, v_old, v_new) WITH ORDINALITY AS u(id, old, st, k);
  INSERT INTO audit_log (school_id, user_id, user_name, at, action, entity, entity_id, before_json, after_json,
                         client, request_id)
  VALUES (p_school, p_user_id, p_user_name, p_audit_at, p_action, 'attendance_session', p_section,
          format('{"band":%s,"date":%s,"marks":{%s}}', to_json(p_band), to_json(p_day), v_before),
          format('{"alerts":0,"band":%s,"date":%s,"marks":{%s}}', to_json(p_band), to_json(p_day), v_after),
          p_client, p_request_id);
  RETURN QUERY SELECT 'ok'::text, NULL::text;
END $$;
