-- Issue 10 §4, session 31: kehou_seat_writes (sql/0610) takes two more kinds of element, so that
-- the end of a selection night (when families drop and try again, and more of their takes are
-- refused) costs no more round trips a request than its start (docs/ARCHITECTURE.md note 15,
-- session 31):
-- - a drop decided on the server's facts (its cache: the child, the round) instead of a read: its
--   17 parameters are followed by [child facts, round facts] (JSON text, as a take's). Under the
--   child's lock the child must still be the guardian's, active, of the school, with those facts,
--   and the round must have those facts with the section still in it; else 'context' (nothing
--   written: the server reads and decides again). A drop without them is checked as before.
-- - a take the server refused on its facts (a clash, the limit, already held): its 20 parameters
--   are followed by [status, answer]. Its facts are compared exactly as a take's ('replay',
--   'context', 'stale' as before); when they hold, the refusal's answer is stored for its key
--   (nothing else written) and the outcome is 'refused'. Before, such a refusal read the facts again
--   and stored its answer in a commit of its own.
-- Everything else is 0610's, unchanged.
CREATE OR REPLACE FUNCTION kehou_seat_writes(p_writes TEXT)
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
  v_at INTEGER;
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
    -- A drop the server read for: the child's lock with the key's stored answer.
    IF d IS NOT NULL AND d ->> 17 IS NULL THEN
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
    -- A take, or a drop decided on the server's facts: the same lock, and the child as the load reads
    -- it (the guardian's, active, with its grade).
    t := COALESCE(d, t);  -- (a drop's guardian and key are in a take's places)
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
    -- The facts decided on: a take's child and round at 6 and 7 (its section at 8), a drop's at 17, 18.
    v_at := CASE WHEN d IS NULL THEN 6 ELSE 17 END;
    IF v_child IS NULL OR v_round IS NULL OR v_child IS DISTINCT FROM (t ->> v_at)::jsonb
       OR v_round IS DISTINCT FROM (t ->> (v_at + 1))::jsonb
       OR (d IS NULL AND v_section IS DISTINCT FROM (t ->> 8)::jsonb)
       OR (v_child ->> 1)::bigint IS DISTINCT FROM (t ->> 2)::bigint
       OR (v_round ->> 0)::bigint IS DISTINCT FROM (t ->> 2)::bigint THEN
      outcome := 'context';
      RETURN NEXT;
      CONTINUE;
    END IF;
    IF d IS NOT NULL THEN  -- a drop: its facts hold (its seats are not compared)
      v_go := v_go || v_place;
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
    -- A take finds its seat or is full (its answer at 17, 18); a refusal decided on facts that still
    -- hold writes nothing but its answer (at 20, 21).
    IF t ->> 20 IS NULL THEN
      UPDATE sections x SET taken = x.taken + 1 WHERE x.id = (t ->> 5)::bigint AND x.taken < x.capacity
        RETURNING x.capacity - x.taken INTO v_rem;
    END IF;
    IF t ->> 20 IS NOT NULL OR NOT FOUND THEN
      v_at := CASE WHEN t ->> 20 IS NULL THEN 17 ELSE 20 END;
      IF t ->> 1 IS NOT NULL THEN
        INSERT INTO select_requests (guardian_id, idem_key, school_id, status, answer, created_at, fingerprint)
          VALUES ((t ->> 0)::bigint, t ->> 1, (t ->> 2)::bigint, (t ->> v_at)::integer, t ->> (v_at + 1),
                  (t ->> 10)::bigint, t ->> 19);
      END IF;
      outcome := CASE WHEN v_at = 17 THEN 'full' ELSE 'refused' END;
      status := (t ->> v_at)::integer;
      answer := t ->> (v_at + 1);
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
