-- Issue 9: the same-slot guard (0025/0026) keyed a child's slot without the term, so a confirmed
-- seat of a past term refused a seat in the same weekday and band of a new term. seat_slots is
-- rebuilt with the seat's term in its key: the course's term, or for a course without one the
-- school's current term when the seat is written (0 if none), as select/store.h KEHOU_SEAT_TERM
-- reads it. SQLite's half; 0070_seat_slots_term.postgresql.sql is PostgreSQL's.
DROP TRIGGER seat_slots_on_insert;
DROP TRIGGER seat_slots_on_confirm;
DROP TRIGGER seat_slots_on_release;
DROP TRIGGER seat_slots_on_delete;
DROP TRIGGER seat_slots_on_reslot;
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
INSERT OR IGNORE INTO seat_slots (school_id, student_id, term_id, slot, selection_id)
  SELECT s.school_id, s.student_id,
         COALESCE(c.term_id, (SELECT cur.id FROM terms cur WHERE cur.school_id = s.school_id AND cur.is_current = 1), 0),
         k.code, s.id FROM selections s
  JOIN sections x ON x.id = s.section_id JOIN courses c ON c.id = x.course_id
  JOIN slot_codes k ON instr(',' || replace(c.slots, ' ', '') || ',', ',' || k.code || ',') > 0
  WHERE s.status = 'confirmed' ORDER BY s.id;

CREATE TRIGGER seat_slots_on_insert AFTER INSERT ON selections WHEN NEW.status = 'confirmed'
BEGIN
  INSERT INTO seat_slots (school_id, student_id, term_id, slot, selection_id)
    SELECT NEW.school_id, NEW.student_id,
           COALESCE(c.term_id, (SELECT cur.id FROM terms cur WHERE cur.school_id = NEW.school_id AND cur.is_current = 1), 0),
           k.code, NEW.id FROM sections x JOIN courses c ON c.id = x.course_id
    JOIN slot_codes k ON instr(',' || replace(c.slots, ' ', '') || ',', ',' || k.code || ',') > 0
    WHERE x.id = NEW.section_id;
END;

CREATE TRIGGER seat_slots_on_confirm AFTER UPDATE OF status ON selections
  WHEN OLD.status <> 'confirmed' AND NEW.status = 'confirmed'
BEGIN
  INSERT INTO seat_slots (school_id, student_id, term_id, slot, selection_id)
    SELECT NEW.school_id, NEW.student_id,
           COALESCE(c.term_id, (SELECT cur.id FROM terms cur WHERE cur.school_id = NEW.school_id AND cur.is_current = 1), 0),
           k.code, NEW.id FROM sections x JOIN courses c ON c.id = x.course_id
    JOIN slot_codes k ON instr(',' || replace(c.slots, ' ', '') || ',', ',' || k.code || ',') > 0
    WHERE x.id = NEW.section_id;
END;

CREATE TRIGGER seat_slots_on_release AFTER UPDATE OF status ON selections
  WHEN OLD.status = 'confirmed' AND NEW.status <> 'confirmed'
BEGIN
  DELETE FROM seat_slots WHERE selection_id = OLD.id;
END;

CREATE TRIGGER seat_slots_on_delete AFTER DELETE ON selections WHEN OLD.status = 'confirmed'
BEGIN
  DELETE FROM seat_slots WHERE selection_id = OLD.id;
END;

-- A course moved to other slots or to another term: its held seats follow (never refusing the
-- course's change; a clash it creates is the office's to resolve, and the first seat keeps the slot).
CREATE TRIGGER seat_slots_on_reslot AFTER UPDATE OF slots, term_id ON courses
BEGIN
  DELETE FROM seat_slots WHERE selection_id IN (SELECT s.id FROM selections s JOIN sections x ON x.id = s.section_id
    WHERE x.course_id = NEW.id AND s.status = 'confirmed');
  INSERT OR IGNORE INTO seat_slots (school_id, student_id, term_id, slot, selection_id)
    SELECT s.school_id, s.student_id,
           COALESCE(NEW.term_id, (SELECT cur.id FROM terms cur WHERE cur.school_id = s.school_id AND cur.is_current = 1), 0),
           k.code, s.id FROM selections s JOIN sections x ON x.id = s.section_id
    JOIN slot_codes k ON instr(',' || replace(NEW.slots, ' ', '') || ',', ',' || k.code || ',') > 0
    WHERE x.course_id = NEW.id AND s.status = 'confirmed';
END;
