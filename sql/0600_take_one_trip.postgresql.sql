-- Issue 10 §4, session 27: PostgreSQL's take in one round trip when the server already knows what
-- its rules need (docs/ARCHITECTURE.md note 15).
--
-- Until now every take read first (store::kTakeLoadPg: the child, the round, the section, the
-- child's seats; a statement and a transaction of its own) and then called this function, which
-- checked only that the child's seats were still those the rules saw. A server now keeps what the
-- rules decide with (select/take_cache.h: the round, the section with its course, the child, the
-- child's seats) and passes it here; this function reads the same facts under the child's lock and
-- takes the seat only when every one of them is what the server decided with. So a cached fact is
-- never trusted: at worst it costs a second trip.
--
-- The facts are compared as jsonb (equal values, whatever the spacing), each built here exactly as
-- kTakeLoadPg builds it (store.h, columns 29-30 and the held seats):
--   p_child       [id, school, grade number, name] of an active child of p_guardian
--   p_round_ctx   [school, mode, grades, opens_at, closes_at, max_per_child, max_ranks, term, rank_rule, allocated_at]
--   p_section_ctx [section, course, course name, course grades, slots, course status, section name, term]
--                 of a section offered in p_round
--   p_held        [[section, course, round, course name, slots], ...] the child's confirmed seats of
--                 the section's term, by seat id
-- Plans: the function runs with enable_seqscan off (its reads are all by key). PostgreSQL plans each
-- statement of a function anew for its first five runs in a backend and may then keep one generic
-- plan, costed on the table sizes of that moment: on a new round's first night `select_requests`
-- and `selections` start empty, a sequential scan is the cheapest plan of an empty table, and a
-- plan kept then scanned the whole table on every take as it grew, until autovacuum's ANALYZE
-- (session 27: an open loop at 800 takes/s went from a p99 of 25 ms to 1.9 s within 15 s).
-- kehou_drop_seat gets the same setting below.
-- Outcomes: 'replay' (the key's stored answer), 'context' (the child, the round or the section is
-- not what the server decided with: nothing written, read them again), 'stale' (the child's seats
-- changed: nothing written; column `held` has them now), 'full' (stored with the key), 'ok'.
DROP FUNCTION kehou_take_seat(BIGINT, TEXT, BIGINT, BIGINT, BIGINT, BIGINT, TEXT, BIGINT, BIGINT, TEXT, TEXT, TEXT,
                              TEXT, TEXT, INTEGER, TEXT, TEXT);
CREATE FUNCTION kehou_take_seat(
  p_guardian BIGINT, p_key TEXT, p_school BIGINT, p_student BIGINT, p_round BIGINT, p_section BIGINT,
  p_child TEXT, p_round_ctx TEXT, p_section_ctx TEXT, p_held TEXT,
  p_now BIGINT, p_user_id BIGINT, p_user_name TEXT, p_client TEXT, p_request_id TEXT,
  p_body TEXT,            -- the success answer without selection_id and remaining (JSON object)
  p_audit TEXT,           -- the audit row's after_json
  p_full_status INTEGER, p_full_answer TEXT,  -- the stored answer when the section is full
  p_fingerprint TEXT)     -- the request's fingerprint (select/rules.h RequestFingerprint), stored with the key
RETURNS TABLE (outcome TEXT, selection_id BIGINT, remaining BIGINT, status INTEGER, answer TEXT,
               stored_fingerprint TEXT, held TEXT)
LANGUAGE plpgsql SET enable_seqscan = off AS $$
#variable_conflict use_column
DECLARE
  v_stored BOOLEAN;
  v_child JSONB;
  v_round JSONB;
  v_section JSONB;
  v_term BIGINT;
  v_held JSONB;
  v_sel BIGINT;
  v_rem BIGINT;
  v_answer TEXT;
BEGIN
  -- The child's lock (docs/ARCHITECTURE.md note 13) with the key's stored answer, as before, and
  -- the child as the load reads it (the guardian's, active, with its grade).
  SELECT r.guardian_id IS NOT NULL, r.status, r.answer, r.fingerprint,
         jsonb_build_array(st.id, st.school_id, g.number, st.name)
    INTO v_stored, status, answer, stored_fingerprint, v_child
    FROM students st JOIN classes cl ON cl.id = st.class_id JOIN grades g ON g.id = cl.grade_id
    LEFT JOIN select_requests r ON r.guardian_id = p_guardian AND r.idem_key = p_key
    WHERE st.id = p_student AND st.active = 1
    AND EXISTS (SELECT 1 FROM student_guardians sg WHERE sg.guardian_id = p_guardian AND sg.student_id = p_student)
    FOR UPDATE OF st;
  IF v_stored THEN
    outcome := 'replay';
    RETURN NEXT;
    RETURN;
  END IF;
  status := NULL;
  answer := NULL;
  stored_fingerprint := NULL;
  SELECT jsonb_build_array(r.school_id, r.mode, r.grades, r.opens_at, r.closes_at, r.max_per_child, r.max_ranks,
                           COALESCE(r.term_id, 0), r.rank_rule, r.allocated_at),
         jsonb_build_array(x.id, x.course_id, c.name, c.grades, c.slots, c.status, x.name, t.term), t.term
    INTO v_round, v_section, v_term
    FROM select_rounds r JOIN round_sections rs ON rs.round_id = r.id AND rs.section_id = p_section
    JOIN sections x ON x.id = rs.section_id JOIN courses c ON c.id = x.course_id
    CROSS JOIN LATERAL (SELECT COALESCE(c.term_id, (SELECT cur.id FROM terms cur WHERE cur.school_id = x.school_id
                                                    AND cur.is_current = 1), 0) AS term) t
    WHERE r.id = p_round;
  IF v_child IS NULL OR v_round IS NULL OR v_child IS DISTINCT FROM p_child::jsonb
     OR v_round IS DISTINCT FROM p_round_ctx::jsonb OR v_section IS DISTINCT FROM p_section_ctx::jsonb
     OR (v_child->>1)::bigint IS DISTINCT FROM p_school OR (v_round->>0)::bigint IS DISTINCT FROM p_school THEN
    outcome := 'context';
    RETURN NEXT;
    RETURN;
  END IF;
  SELECT COALESCE(jsonb_agg(jsonb_build_array(s.section_id, sx.course_id, COALESCE(s.round_id, 0), sc.name, sc.slots)
                            ORDER BY s.id), '[]'::jsonb) INTO v_held
    FROM selections s JOIN sections sx ON sx.id = s.section_id JOIN courses sc ON sc.id = sx.course_id
    WHERE s.school_id = p_school AND s.student_id = p_student AND s.status = 'confirmed'
    AND COALESCE(sc.term_id, (SELECT cur.id FROM terms cur WHERE cur.school_id = s.school_id AND cur.is_current = 1), 0)
        = v_term;
  IF v_held IS DISTINCT FROM p_held::jsonb THEN
    outcome := 'stale';
    held := v_held::text;
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

ALTER FUNCTION kehou_drop_seat(BIGINT, TEXT, BIGINT, BIGINT, BIGINT, BIGINT, BIGINT, BIGINT, TEXT, TEXT, TEXT, TEXT,
                               TEXT, INTEGER, TEXT, TEXT, BIGINT) SET enable_seqscan = off;
