-- Issue 10 §4, session 21: one index fewer on every seat's slot rows (docs/ARCHITECTURE.md note 15).
--
-- seat_slots_selection (selection_id) served only the guard's own deletes: a seat dropped (or
-- deleted) takes its slot rows with it, and a course moved to other slots re-slots its held seats.
-- Every take paid for it: one more B-tree insertion per slot row (1.26 a take on the demo), all
-- into the index's right-most leaf (ids ascend), ~85 bytes of WAL. Those deletes find the rows by
-- the key instead: a seat's slot rows are its child's rows (school, child) with its id, and a
-- child holds a handful of them. The rows, the unique key (the guard) and what the triggers do
-- are unchanged; SQLite keeps its index (0070_seat_slots_term.sqlite.sql).
DROP INDEX seat_slots_selection;

CREATE OR REPLACE FUNCTION kehou_seat_slots() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.status = 'confirmed' AND (TG_OP = 'DELETE' OR NEW.status <> 'confirmed') THEN
    DELETE FROM seat_slots WHERE school_id = OLD.school_id AND student_id = OLD.student_id AND selection_id = OLD.id;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.status = 'confirmed' AND (TG_OP = 'INSERT' OR OLD.status <> 'confirmed') THEN
    INSERT INTO seat_slots (school_id, student_id, term_id, slot, selection_id)
      SELECT NEW.school_id, NEW.student_id,
             COALESCE(c.term_id, (SELECT cur.id FROM terms cur WHERE cur.school_id = NEW.school_id AND cur.is_current = 1), 0),
             k.code, NEW.id FROM sections x JOIN courses c ON c.id = x.course_id
      JOIN slot_codes k ON strpos(',' || replace(c.slots, ' ', '') || ',', ',' || k.code || ',') > 0
      WHERE x.id = NEW.section_id;
  END IF;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION kehou_seat_slots_reslot() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM seat_slots ss USING selections s JOIN sections x ON x.id = s.section_id
    WHERE x.course_id = NEW.id AND s.status = 'confirmed'
    AND ss.school_id = s.school_id AND ss.student_id = s.student_id AND ss.selection_id = s.id;
  INSERT INTO seat_slots (school_id, student_id, term_id, slot, selection_id)
    SELECT s.school_id, s.student_id,
           COALESCE(NEW.term_id, (SELECT cur.id FROM terms cur WHERE cur.school_id = s.school_id AND cur.is_current = 1), 0),
           k.code, s.id FROM selections s JOIN sections x ON x.id = s.section_id
    JOIN slot_codes k ON strpos(',' || replace(NEW.slots, ' ', '') || ',', ',' || k.code || ',') > 0
    WHERE x.course_id = NEW.id AND s.status = 'confirmed' ORDER BY s.id
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
