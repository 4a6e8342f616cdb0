-- Issue 9: the same-slot guard (0025/0026) keyed a child's slot without the term, so a confirmed
-- seat of a past term refused a seat in the same weekday and band of a new term. seat_slots is
-- rebuilt with the seat's term in its key: the course's term, or for a course without one the
-- school's current term when the seat is written (0 if none), as select/store.h KEHOU_SEAT_TERM
-- reads it. PostgreSQL's half; 0070_seat_slots_term.sqlite.sql is SQLite's.
DROP TABLE seat_slots;
CREATE TABLE seat_slots (
  school_id BIGINT NOT NULL,
  student_id BIGINT NOT NULL,
  term_id BIGINT NOT NULL,
  slot TEXT NOT NULL,
  selection_id BIGINT NOT NULL,
  PRIMARY KEY (school_id, student_id, term_id, slot)
);
CREATE INDEX seat_slots_selection ON seat_slots(selection_id);

-- Existing seats (a double seat of one term keeps only its first row, as in 0026).
INSERT INTO seat_slots (school_id, student_id, term_id, slot, selection_id)
  SELECT s.school_id, s.student_id,
         COALESCE(c.term_id, (SELECT cur.id FROM terms cur WHERE cur.school_id = s.school_id AND cur.is_current = 1), 0),
         k.code, s.id FROM selections s
  JOIN sections x ON x.id = s.section_id JOIN courses c ON c.id = x.course_id
  JOIN slot_codes k ON strpos(',' || replace(c.slots, ' ', '') || ',', ',' || k.code || ',') > 0
  WHERE s.status = 'confirmed' ORDER BY s.id
  ON CONFLICT DO NOTHING;

-- The trigger (0026's seat_slots_sync) keeps calling this function by name.
CREATE OR REPLACE FUNCTION kehou_seat_slots() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.status = 'confirmed' AND (TG_OP = 'DELETE' OR NEW.status <> 'confirmed') THEN
    DELETE FROM seat_slots WHERE selection_id = OLD.id;
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

-- A course moved to other slots or to another term: its held seats follow (never refusing the
-- course's change; a clash it creates is the office's to resolve, and the first seat keeps the slot).
CREATE OR REPLACE FUNCTION kehou_seat_slots_reslot() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM seat_slots WHERE selection_id IN (SELECT s.id FROM selections s JOIN sections x ON x.id = s.section_id
    WHERE x.course_id = NEW.id AND s.status = 'confirmed');
  INSERT INTO seat_slots (school_id, student_id, term_id, slot, selection_id)
    SELECT s.school_id, s.student_id,
           COALESCE(NEW.term_id, (SELECT cur.id FROM terms cur WHERE cur.school_id = s.school_id AND cur.is_current = 1), 0),
           k.code, s.id FROM selections s JOIN sections x ON x.id = s.section_id
    JOIN slot_codes k ON strpos(',' || replace(NEW.slots, ' ', '') || ',', ',' || k.code || ',') > 0
    WHERE x.course_id = NEW.id AND s.status = 'confirmed' ORDER BY s.id
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
DROP TRIGGER seat_slots_reslot ON courses;
CREATE TRIGGER seat_slots_reslot AFTER UPDATE OF slots, term_id ON courses
  FOR EACH ROW WHEN (OLD.slots IS DISTINCT FROM NEW.slots OR OLD.term_id IS DISTINCT FROM NEW.term_id)
  EXECUTE FUNCTION kehou_seat_slots_reslot();
