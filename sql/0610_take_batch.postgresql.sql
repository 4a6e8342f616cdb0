-- Issue 10 §4, session 29: the takes and drops that wait at the same time in one call, one
-- transaction and one commit (docs/ARCHITECTURE.md note 15, session 29).
--
-- Since sql/0600 a take is one call of kehou_take_seat when the server knows its facts; at the rush's
-- rates each call is its own transaction, so a take paid a commit (its WAL flush and the wake-ups
-- around it), a protocol message and the function's entry as well as its own reads and writes,
-- and under a burst every backend was runnable at once (session 28: a take then cost about twice
-- its CPU). A server now hands the takes that wait at the same time to one thread
-- (select/take_group.h), which writes them here, and the drops with them (a drop was a read and a
-- call of kehou_drop_seat, each its own commit: at the end of a night, when families drop and try
-- other sections, the drops' commits queued for the WAL). Each take is decided exactly as
-- kehou_take_seat decided it (its facts compared under its child's lock; outcomes 'replay',
-- 'context', 'stale', 'full', 'ok', with the same answers) and each drop as kehou_drop_seat did
-- ('replay', 'none', 'ok'), so this function replaces both.
--
-- Lock order, so that two such calls at once never wait for each other in a circle: first every
-- child of the call is locked and checked, in child id order (nothing written yet); then the seats
-- are written, in section id order. A call waits for a child only while it holds children alone,
-- and for a section only while every child it needs is already its own.
-- One write per child a call: a second write of a child already in the call answers 'again' (nothing
-- written; the server sends it in a later call, where it sees the first's seat).
--
-- p_writes: a JSON array; a take is the array of kehou_take_seat's 20 parameters in its order:
--   [guardian, key, school, student, round, section, child facts, round facts, section facts, held,
--    now, user_id, user_name, client, request_id, body, audit, full_status, full_answer, fingerprint]
-- (the facts and held as JSON text, compared as jsonb); a drop is {"drop": [kehou_drop_seat's 17
-- parameters in its order]}:
--   [guardian, key, school, student, round, section, now, user_id, user_name, client, request_id,
--    audit (before_json), answer, none_status, none_answer, fingerprint, offer_ms]
-- Returns one row a write, `place` its 0-based place in p_writes (a drop: outcome, status, answer,
-- stored_fingerprint).
DROP FUNCTION kehou_take_seat(BIGINT, TEXT, BIGINT, BIGINT, BIGINT, BIGINT, TEXT, TEXT, TEXT, TEXT, BIGINT, BIGINT,
                              TEXT, TEXT, TEXT, TEXT, TEXT, INTEGER, TEXT, TEXT);
DROP FUNCTION kehou_drop_seat(BIGINT, TEXT, BIGINT, BIGINT, BIGINT, BIGINT, BIGINT, BIGINT, TEXT, TEXT, TEXT, TEXT,
                              TEXT, INTEGER, TEXT, TEXT, BIGINT);
CREATE FUNCTION kehou_seat_writes(p_writes TEXT)
RETURNS TABLE (outcome TEXT, selection_id BIGINT, remaining BIGINT, status INTEGER, answer TEXT,
               stored_fingerprint TEXT, held TEXT, place INTEGER)
LANGUAGE plpgsql SET enable_seqscan = off AS $$
#variable_conflict use_column
DECLARE
  t JSONB;
  d JSONB;
  v_wait BIGINT;
  v_place INTEGER;
  v_student BIGINT;
  v_prev BIGINT;
  v_go INTEGER[] := '{}';
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
  -- The children, each locked (docs/ARCHITECTURE.md note 13) and its facts compared, in id order.
  FOR t, v_place, v_student IN
    SELECT e.value, (e.ordinality - 1)::integer, (COALESCE(e.value -> 'drop', e.value) ->> 3)::bigint
      FROM jsonb_array_elements(p_writes::jsonb) WITH ORDINALITY e ORDER BY 3, 2
  LOOP
    outcome := NULL; selection_id := NULL; remaining := NULL; status := NULL; answer := NULL;
    stored_fingerprint := NULL; held := NULL; place := v_place;
    IF v_student IS NOT DISTINCT FROM v_prev THEN
      outcome := 'again';
      RETURN NEXT;
      CONTINUE;
    END IF;
    v_prev := v_student;
    d := t -> 'drop';
    IF d IS NOT NULL THEN  -- a drop: the child's lock with the key's stored answer
      SELECT r.guardian_id IS NOT NULL, r.status, r.answer, r.fingerprint
        INTO v_stored, status, answer, stored_fingerprint
        FROM students st LEFT JOIN select_requests r ON r.guardian_id = (d ->> 0)::bigint AND r.idem_key = d ->> 1
        WHERE st.id = v_student FOR UPDATE OF st;
      IF v_stored THEN
        outcome := 'replay';
        RETURN NEXT;
      ELSE
        v_go := v_go || v_place;
      END IF;
      CONTINUE;
    END IF;
    -- A take: the child's lock with the key's stored answer, and the child as the load reads it (the
    -- guardian's, active, with its grade).
    SELECT r.guardian_id IS NOT NULL, r.status, r.answer, r.fingerprint,
           jsonb_build_array(st.id, st.school_id, g.number, st.name)
      INTO v_stored, status, answer, stored_fingerprint, v_child
      FROM students st JOIN classes cl ON cl.id = st.class_id JOIN grades g ON g.id = cl.grade_id
      LEFT JOIN select_requests r ON r.guardian_id = (t ->> 0)::bigint AND r.idem_key = t ->> 1
      WHERE st.id = v_student AND st.active = 1
      AND EXISTS (SELECT 1 FROM student_guardians sg WHERE sg.guardian_id = (t ->> 0)::bigint
                  AND sg.student_id = v_student)
      FOR UPDATE OF st;
    IF v_stored THEN
      outcome := 'replay';
      RETURN NEXT;
      CONTINUE;
    END IF;
    status := NULL;
    answer := NULL;
    stored_fingerprint := NULL;
    SELECT jsonb_build_array(r.school_id, r.mode, r.grades, r.opens_at, r.closes_at, r.max_per_child, r.max_ranks,
                             COALESCE(r.term_id, 0), r.rank_rule, r.allocated_at),
           jsonb_build_array(x.id, x.course_id, c.name, c.grades, c.slots, c.status, x.name, tm.term), tm.term
      INTO v_round, v_section, v_term
      FROM select_rounds r JOIN round_sections rs ON rs.round_id = r.id AND rs.section_id = (t ->> 5)::bigint
      JOIN sections x ON x.id = rs.section_id JOIN courses c ON c.id = x.course_id
      CROSS JOIN LATERAL (SELECT COALESCE(c.term_id, (SELECT cur.id FROM terms cur WHERE cur.school_id = x.school_id
                                                      AND cur.is_current = 1), 0) AS term) tm
      WHERE r.id = (t ->> 4)::bigint;
    IF v_child IS NULL OR v_round IS NULL OR v_child IS DISTINCT FROM (t ->> 6)::jsonb
       OR v_round IS DISTINCT FROM (t ->> 7)::jsonb OR v_section IS DISTINCT FROM (t ->> 8)::jsonb
       OR (v_child ->> 1)::bigint IS DISTINCT FROM (t ->> 2)::bigint
       OR (v_round ->> 0)::bigint IS DISTINCT FROM (t ->> 2)::bigint THEN
      outcome := 'context';
      RETURN NEXT;
      CONTINUE;
    END IF;
    SELECT COALESCE(jsonb_agg(jsonb_build_array(s.section_id, sx.course_id, COALESCE(s.round_id, 0), sc.name, sc.slots)
                              ORDER BY s.id), '[]'::jsonb) INTO v_held
      FROM selections s JOIN sections sx ON sx.id = s.section_id JOIN courses sc ON sc.id = sx.course_id
      WHERE s.school_id = (t ->> 2)::bigint AND s.student_id = v_student AND s.status = 'confirmed'
      AND COALESCE(sc.term_id, (SELECT cur.id FROM terms cur WHERE cur.school_id = s.school_id AND cur.is_current = 1), 0)
          = v_term;
    IF v_held IS DISTINCT FROM (t ->> 9)::jsonb THEN
      outcome := 'stale';
      held := v_held::text;
      RETURN NEXT;
      CONTINUE;
    END IF;
    v_go := v_go || v_place;
  END LOOP;
  -- The seats, in section order (each child is this call's own until it commits).
  FOR t, v_place IN
    SELECT e.value, (e.ordinality - 1)::integer FROM jsonb_array_elements(p_writes::jsonb) WITH ORDINALITY e
      WHERE (e.ordinality - 1)::integer = ANY (v_go) ORDER BY (COALESCE(e.value -> 'drop', e.value) ->> 5)::bigint, 2
  LOOP
    outcome := NULL; selection_id := NULL; remaining := NULL; status := NULL; answer := NULL;
    stored_fingerprint := NULL; held := NULL; place := v_place;
    d := t -> 'drop';
    IF d IS NOT NULL THEN  -- a drop, as kehou_drop_seat (sql/0180) wrote it
      UPDATE selections s SET status = 'dropped', dropped_at = (d ->> 6)::bigint
        WHERE s.school_id = (d ->> 2)::bigint AND s.student_id = (d ->> 3)::bigint AND s.section_id = (d ->> 5)::bigint
        AND s.round_id = (d ->> 4)::bigint AND s.status = 'confirmed';
      IF NOT FOUND THEN
        IF d ->> 1 IS NOT NULL THEN
          INSERT INTO select_requests (guardian_id, idem_key, school_id, status, answer, created_at, fingerprint)
            VALUES ((d ->> 0)::bigint, d ->> 1, (d ->> 2)::bigint, (d ->> 13)::integer, d ->> 14, (d ->> 6)::bigint,
                    d ->> 15);
        END IF;
        outcome := 'none';
        status := (d ->> 13)::integer;
        answer := d ->> 14;
        RETURN NEXT;
        CONTINUE;
      END IF;
      SELECT w.id INTO v_wait FROM waitlist w WHERE w.section_id = (d ->> 5)::bigint AND w.status = 'waiting'
        ORDER BY w.id LIMIT 1;
      IF FOUND THEN
        UPDATE waitlist w SET status = 'offered', offered_at = (d ->> 6)::bigint,
                              offer_expires_at = (d ->> 6)::bigint + (d ->> 16)::bigint
          WHERE w.id = v_wait;
      ELSE
        UPDATE sections x SET taken = x.taken - 1 WHERE x.id = (d ->> 5)::bigint AND x.taken > 0;
      END IF;
      INSERT INTO audit_log (school_id, user_id, user_name, at, action, entity, entity_id, before_json, after_json,
                             client, request_id)
        VALUES ((d ->> 2)::bigint, (d ->> 7)::bigint, d ->> 8, (d ->> 6)::bigint, 'select_drop', 'selection', NULL,
                d ->> 11, NULL, d ->> 9, d ->> 10);
      IF d ->> 1 IS NOT NULL THEN
        INSERT INTO select_requests (guardian_id, idem_key, school_id, status, answer, created_at, fingerprint)
          VALUES ((d ->> 0)::bigint, d ->> 1, (d ->> 2)::bigint, 200, d ->> 12, (d ->> 6)::bigint, d ->> 15);
      END IF;
      outcome := 'ok';
      status := 200;
      answer := d ->> 12;
      RETURN NEXT;
      CONTINUE;
    END IF;
    UPDATE sections x SET taken = x.taken + 1 WHERE x.id = (t ->> 5)::bigint AND x.taken < x.capacity
      RETURNING x.capacity - x.taken INTO v_rem;
    IF NOT FOUND THEN
      IF t ->> 1 IS NOT NULL THEN
        INSERT INTO select_requests (guardian_id, idem_key, school_id, status, answer, created_at, fingerprint)
          VALUES ((t ->> 0)::bigint, t ->> 1, (t ->> 2)::bigint, (t ->> 17)::integer, t ->> 18, (t ->> 10)::bigint,
                  t ->> 19);
      END IF;
      outcome := 'full';
      status := (t ->> 17)::integer;
      answer := t ->> 18;
      RETURN NEXT;
      CONTINUE;
    END IF;
    INSERT INTO selections (school_id, round_id, section_id, student_id, status, source, by_user_id, created_at)
      VALUES ((t ->> 2)::bigint, (t ->> 4)::bigint, (t ->> 5)::bigint, (t ->> 3)::bigint, 'confirmed', 'fcfs',
              (t ->> 11)::bigint, (t ->> 10)::bigint)
      RETURNING id INTO v_sel;
    INSERT INTO audit_log (school_id, user_id, user_name, at, action, entity, entity_id, before_json, after_json,
                           client, request_id)
      VALUES ((t ->> 2)::bigint, (t ->> 11)::bigint, t ->> 12, (t ->> 10)::bigint, 'select_take', 'selection', v_sel,
              NULL, t ->> 16, t ->> 13, t ->> 14);
    v_answer := json_build_object('ok', true, 'body',
                                  (t ->> 15)::jsonb || jsonb_build_object('selection_id', v_sel, 'remaining', v_rem))::text;
    IF t ->> 1 IS NOT NULL THEN
      INSERT INTO select_requests (guardian_id, idem_key, school_id, status, answer, created_at, fingerprint)
        VALUES ((t ->> 0)::bigint, t ->> 1, (t ->> 2)::bigint, 200, v_answer, (t ->> 10)::bigint, t ->> 19);
    END IF;
    outcome := 'ok';
    selection_id := v_sel;
    remaining := v_rem;
    status := 200;
    answer := v_answer;
    RETURN NEXT;
  END LOOP;
END $$;
