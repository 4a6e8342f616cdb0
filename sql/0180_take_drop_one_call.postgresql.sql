-- Issue 10 §4, PostgreSQL's selection writes with fewer statements.
--
-- kehou_take_seat (0071) keeps its signature and its answers; it runs five statements before the
-- writes instead of six: the child's lock and the idempotency key in one (the child's row locked
-- FOR UPDATE as before, docs/ARCHITECTURE.md note 13), and the section's term and the child's
-- held seats of that term in one.
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
  v_stored BOOLEAN;
  v_held TEXT;
  v_sel BIGINT;
  v_rem BIGINT;
  v_answer TEXT;
BEGIN
  SELECT r.guardian_id IS NOT NULL, r.status, r.answer, r.fingerprint
    INTO v_stored, status, answer, stored_fingerprint
    FROM students st LEFT JOIN select_requests r ON r.guardian_id = p_guardian AND r.idem_key = p_key
    WHERE st.id = p_student FOR UPDATE OF st;
  IF v_stored THEN
    outcome := 'replay';
    RETURN NEXT;
    RETURN;
  END IF;
  -- The child's seats of the section's term only (as the rules saw them).
  SELECT COALESCE(string_agg(s.section_id::text, ',' ORDER BY s.section_id), '') INTO v_held FROM selections s
    JOIN sections sx ON sx.id = s.section_id JOIN courses sc ON sc.id = sx.course_id
    WHERE s.school_id = p_school AND s.student_id = p_student AND s.status = 'confirmed'
    AND COALESCE(sc.term_id, (SELECT cur.id FROM terms cur WHERE cur.school_id = s.school_id AND cur.is_current = 1), 0)
        = COALESCE((SELECT COALESCE(c.term_id, (SELECT cur.id FROM terms cur WHERE cur.school_id = x.school_id
                                                AND cur.is_current = 1), 0)
                    FROM sections x JOIN courses c ON c.id = x.course_id WHERE x.id = p_section), 0);
  IF v_held IS DISTINCT FROM p_held THEN
    outcome := 'stale';
    status := NULL;
    answer := NULL;
    stored_fingerprint := NULL;
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
    stored_fingerprint := NULL;
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
  stored_fingerprint := NULL;
  RETURN NEXT;
END $$;

-- A family's drop in one call (it was a transaction of about ten round trips holding the
-- section's row lock across the network). The server has read and checked the round (open,
-- first come first served) and the child (the guardian's); this function, under the child's
-- lock: answers a repeated key from what is stored; drops the confirmed seat or answers
-- p_none_answer (stored with the key); passes the seat on as select/internal.cpp PassSeat does
-- (the first waiting child is offered it for p_offer_ms, else it returns to the pool); writes
-- the audit row and stores p_answer with the key. Outcomes 'ok', 'none', 'replay'.
CREATE FUNCTION kehou_drop_seat(
  p_guardian BIGINT, p_key TEXT, p_school BIGINT, p_student BIGINT, p_round BIGINT, p_section BIGINT,
  p_now BIGINT, p_user_id BIGINT, p_user_name TEXT, p_client TEXT, p_request_id TEXT,
  p_audit TEXT,           -- the audit row's before_json
  p_answer TEXT,          -- the stored success answer ({"ok":true,"body":...})
  p_none_status INTEGER, p_none_answer TEXT,  -- the stored answer when the child holds no such seat
  p_fingerprint TEXT, p_offer_ms BIGINT)
RETURNS TABLE (outcome TEXT, status INTEGER, answer TEXT, stored_fingerprint TEXT)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_stored BOOLEAN;
  v_wait BIGINT;
BEGIN
  SELECT r.guardian_id IS NOT NULL, r.status, r.answer, r.fingerprint
    INTO v_stored, status, answer, stored_fingerprint
    FROM students st LEFT JOIN select_requests r ON r.guardian_id = p_guardian AND r.idem_key = p_key
    WHERE st.id = p_student FOR UPDATE OF st;
  IF v_stored THEN
    outcome := 'replay';
    RETURN NEXT;
    RETURN;
  END IF;
  stored_fingerprint := NULL;
  UPDATE selections s SET status = 'dropped', dropped_at = p_now
    WHERE s.school_id = p_school AND s.student_id = p_student AND s.section_id = p_section AND s.round_id = p_round
    AND s.status = 'confirmed';
  IF NOT FOUND THEN
    IF p_key IS NOT NULL THEN
      INSERT INTO select_requests (guardian_id, idem_key, school_id, status, answer, created_at, fingerprint)
        VALUES (p_guardian, p_key, p_school, p_none_status, p_none_answer, p_now, p_fingerprint);
    END IF;
    outcome := 'none';
    status := p_none_status;
    answer := p_none_answer;
    RETURN NEXT;
    RETURN;
  END IF;
  SELECT w.id INTO v_wait FROM waitlist w WHERE w.section_id = p_section AND w.status = 'waiting' ORDER BY w.id LIMIT 1;
  IF FOUND THEN
    UPDATE waitlist w SET status = 'offered', offered_at = p_now, offer_expires_at = p_now + p_offer_ms WHERE w.id = v_wait;
  ELSE
    UPDATE sections x SET taken = x.taken - 1 WHERE x.id = p_section AND x.taken > 0;
  END IF;
  INSERT INTO audit_log (school_id, user_id, user_name, at, action, entity, entity_id, before_json, after_json,
                         client, request_id)
    VALUES (p_school, p_user_id, p_user_name, p_now, 'select_drop', 'selection', NULL, p_audit, NULL, p_client,
            p_request_id);
  IF p_key IS NOT NULL THEN
    INSERT INTO select_requests (guardian_id, idem_key, school_id, status, answer, created_at, fingerprint)
      VALUES (p_guardian, p_key, p_school, 200, p_answer, p_now, p_fingerprint);
  END IF;
  outcome := 'ok';
  status := 200;
  answer := p_answer;
  RETURN NEXT;
END $$;
