-- SQLite's half of the same-slot guard (0025): triggers keep seat_slots in step with selections.
-- A second confirmed seat of one child in one slot fails the INSERT/UPDATE with a UNIQUE error.
-- Existing seats first (a double seat made before the guard keeps only its first row).
INSERT OR IGNORE INTO seat_slots (school_id, student_id, slot, selection_id)
  SELECT s.school_id, s.student_id, k.code, s.id FROM selections s
  JOIN sections x ON x.id = s.section_id JOIN courses c ON c.id = x.course_id
  JOIN slot_codes k ON instr(',' || replace(c.slots, ' ', '') || ',', ',' || k.code || ',') > 0
  WHERE s.status = 'confirmed' ORDER BY s.id;

CREATE TRIGGER seat_slots_on_insert AFTER INSERT ON selections WHEN NEW.status = 'confirmed'
BEGIN
  INSERT INTO seat_slots (school_id, student_id, slot, selection_id)
    SELECT NEW.school_id, NEW.student_id, k.code, NEW.id FROM sections x JOIN courses c ON c.id = x.course_id
    JOIN slot_codes k ON instr(',' || replace(c.slots, ' ', '') || ',', ',' || k.code || ',') > 0
    WHERE x.id = NEW.section_id;
END;

CREATE TRIGGER seat_slots_on_confirm AFTER UPDATE OF status ON selections
  WHEN OLD.status <> 'confirmed' AND NEW.status = 'confirmed'
BEGIN
  INSERT INTO seat_slots (school_id, student_id, slot, selection_id)
    SELECT NEW.school_id, NEW.student_id, k.code, NEW.id FROM sections x JOIN courses c ON c.id = x.course_id
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

-- A course moved to other slots: its held seats follow (never refusing the course's change; a
-- clash it creates is the office's to resolve, and the first seat keeps the slot).
CREATE TRIGGER seat_slots_on_reslot AFTER UPDATE OF slots ON courses
BEGIN
  DELETE FROM seat_slots WHERE selection_id IN (SELECT s.id FROM selections s JOIN sections x ON x.id = s.section_id
    WHERE x.course_id = NEW.id AND s.status = 'confirmed');
  INSERT OR IGNORE INTO seat_slots (school_id, student_id, slot, selection_id)
    SELECT s.school_id, s.student_id, k.code, s.id FROM selections s JOIN sections x ON x.id = s.section_id
    JOIN slot_codes k ON instr(',' || replace(NEW.slots, ' ', '') || ',', ',' || k.code || ',') > 0
    WHERE x.course_id = NEW.id AND s.status = 'confirmed';
END;
