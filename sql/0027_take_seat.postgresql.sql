-- PostgreSQL's take path (docs/ARCHITECTURE.md, "Taking a seat on PostgreSQL"): the server reads
-- what the rules need in one statement (select/store.h kTakeLoadPg), decides with the C++ rules,
-- then calls this function once. In one transaction and one round trip it serialises the child's
-- writes, answers a repeated idempotency key from what is stored, checks that the child's seats
-- are still those the rules saw ('stale' otherwise: the server reads and decides again), takes
-- the seat within capacity, and writes the selection (its slots guarded by seat_slots), the audit
-- row and the stored answer. The section's row lock is held only while this function runs.
CREATE FUNCTION kehou_take_seat(
  p_guardian BIGINT, p_key TEXT, p_school BIGINT, p_student BIGINT, p_round BIGINT, p_section BIGINT,
  p_held TEXT,            -- the child's confirmed section ids the rules saw, ascending, comma-separated
  p_now BIGINT, p_user_id BIGINT, p_user_name TEXT, p_client TEXT, p_request_id TEXT,
  p_body TEXT,            -- the success answer without selection_id and remaining (JSON object)
  p_audit TEXT,           -- the audit row's after_json
  p_full_status INTEGER, p_full_answer TEXT)  -- the stored answer when the section is full
RETURNS TABLE (outcome TEXT, selection_id BIGINT, remaining BIGINT, status INTEGER, answer TEXT)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_held TEXT;
  v_sel BIGINT;
  v_rem BIGINT;
  v_answer TEXT;
BEGIN
  PERFORM 1 FROM students WHERE id = p_student FOR UPDATE;
  IF p_key IS NOT NULL THEN
    SELECT r.status, r.answer INTO status, answer FROM select_requests r
      WHERE r.guardian_id = p_guardian AND r.idem_key = p_key;
    IF FOUND THEN
      outcome := 'replay';
      RETURN NEXT;
      RETURN;
    END IF;
  END IF;
  SELECT COALESCE(string_agg(s.section_id::text, ',' ORDER BY s.section_id), '') INTO v_held FROM selections s
    WHERE s.school_id = p_school AND s.student_id = p_student AND s.status = 'confirmed';
  IF v_held IS DISTINCT FROM p_held THEN
    outcome := 'stale';
    RETURN NEXT;
    RETURN;
  END IF;
  UPDATE sections x SET taken = x.taken + 1 WHERE x.id = p_section AND x.taken < x.capacity
    RETURNING x.capacity - x.taken INTO v_rem;
  IF NOT FOUND THEN
    IF p_key IS NOT NULL THEN
      INSERT INTO select_requests (guardian_id, idem_key, school_id, status, answer, created_at)
        VALUES (p_guardian, p_key, p_school, p_full_status, p_full_answer, p_now);
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
    INSERT INTO select_requests (guardian_id, idem_key, school_id, status, answer, created_at)
      VALUES (p_guardian, p_key, p_school, 200, v_answer, p_now);
  END IF;
  outcome := 'ok';
  selection_id := v_sel;
  remaining := v_rem;
  status := 200;
  answer := v_answer;
  RETURN NEXT;
END $$;
