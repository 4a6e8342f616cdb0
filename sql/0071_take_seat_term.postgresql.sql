-- kehou_take_seat (0028) with the held seats of the section's term only (issue 9): the server's
-- rules (select/store.h kTakeLoadPg) read the child's confirmed seats of the section's term, so the
-- function compares those, not every term's (a seat of a past term made every take 'stale').
-- The term of a seat as select/store.h KEHOU_SEAT_TERM and seat_slots (0070) read it.
CREATE OR REPLACE FUNCTION kehou_take_seat(
  p_guardian BIGINT, p_key TEXT, p_school BIGINT, p_student BIGINT, p_round BIGINT, p_section BIGINT,
  p_held TEXT,            -- the child's confirmed section ids the rules saw, ascending, comma-separated
  p_now BIGINT, p_user_id BIGINT, p_user_name TEXT, p_client TEXT, p_request_id TEXT,
  p_body TEXT,            -- the success answer without selection_id and remaining (JSON object)
  p_audit TEXT,           -- the audit row's after_json
  p_full_status INTEGER, p_full_answer TEXT,  -- the stored answer when the section is full
  p_fingerprint TEXT)     -- the request's fingerprint (select/rules.h RequestFingerprint), stored with the key
RETURNS TABLE (outcome TEXT, selection_id BIGINT, remaining BIGINT, status INTEGER, answer TEXT,
               stored_fingerprint TEXT)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_held TEXT;
  v_term BIGINT;
  v_sel BIGINT;
  v_rem BIGINT;
  v_answer TEXT;
BEGIN
  PERFORM 1 FROM students WHERE id = p_student FOR UPDATE;
  IF p_key IS NOT NULL THEN
    SELECT r.status, r.answer, r.fingerprint INTO status, answer, stored_fingerprint FROM select_requests r
      WHERE r.guardian_id = p_guardian AND r.idem_key = p_key;
    IF FOUND THEN
      outcome := 'replay';
      RETURN NEXT;
      RETURN;
    END IF;
  END IF;
  -- The section's term, and the child's seats of that term only (as the rules saw them).
  SELECT COALESCE(c.term_id, (SELECT cur.id FROM terms cur WHERE cur.school_id = x.school_id AND cur.is_current = 1), 0)
    INTO v_term FROM sections x JOIN courses c ON c.id = x.course_id WHERE x.id = p_section;
  SELECT COALESCE(string_agg(s.section_id::text, ',' ORDER BY s.section_id), '') INTO v_held FROM selections s
    JOIN sections sx ON sx.id = s.section_id JOIN courses sc ON sc.id = sx.course_id
    WHERE s.school_id = p_school AND s.student_id = p_student AND s.status = 'confirmed'
    AND COALESCE(sc.term_id, (SELECT cur.id FROM terms cur WHERE cur.school_id = s.school_id AND cur.is_current = 1), 0)
        = COALESCE(v_term, 0);
  IF v_held IS DISTINCT FROM p_held THEN
    outcome := 'stale';
    RETURN NEXT;
    RETURN;
  END IF;
  UPDATE sections x SET taken = x.taken + 1 WHERE x.id = p_section AND x.taken < x.capacity
    RETURNING x.capacity - x.taken INTO v_rem;
  IF NOT FOUND THEN
    IF p_key IS NOT NULL THEN
      INSERT INTO select_requests (guardian_id, idem_key, school_id, status, answer, created_at, fingerprint)
        VALUES (p_guardian, p_key, p_school, p_full_status, p_full_answer, p_now, p_fingerprint);
    END IF;
    outcome := 'full';
    status := p_full_status;
    answer := p_full_answer;
    RETURN NEXT;
    RETURN;
  END IF;
  INSERT INTO selections (school_id, round_id, section_id, student_id, status, source, by_user_id, created_at)
    VALUES (p_school, p_round, p_section, p_student, 'confirmed', 'fcfs', p_user_id, p_now) RETURNING id INTO v_sel;
  INSERT INTO audit_log (school_id, user_id, user_name, at, action, entity, entity_id, before_json, after_json,
                         client, request_id)
    VALUES (p_school, p_user_id, p_user_name, p_now, 'select_take', 'selection', v_sel, NULL, p_audit, p_client,
            p_request_id);
  v_answer := json_build_object('ok', true, 'body',
                                p_body::jsonb || jsonb_build_object('selection_id', v_sel, 'remaining', v_rem))::text;
  IF p_key IS NOT NULL THEN
    INSERT INTO select_requests (guardian_id, idem_key, school_id, status, answer, created_at, fingerprint)
      VALUES (p_guardian, p_key, p_school, 200, v_answer, p_now, p_fingerprint);
  END IF;
  outcome := 'ok';
  selection_id := v_sel;
  remaining := v_rem;
  status := 200;
  answer := v_answer;
  RETURN NEXT;
END $$;
