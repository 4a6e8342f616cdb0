-- PostgreSQL's half of the same-slot guard (0025): one trigger function keeps seat_slots in step
-- with selections. A second confirmed seat of one child in one slot fails with unique_violation
-- (23505), however the seat was written.
-- Existing seats first (a double seat made before the guard keeps only its first row).
INSERT INTO seat_slots (school_id, student_id, slot, selection_id)
  SELECT s.school_id, s.student_id, k.code, s.id FROM selections s
  JOIN sections x ON x.id = s.section_id JOIN courses c ON c.id = x.course_id
  JOIN slot_codes k ON strpos(',' || replace(c.slots, ' ', '') || ',', ',' || k.code || ',') > 0
  WHERE s.status = 'confirmed' ORDER BY s.id
  ON CONFLICT DO NOTHING;

CREATE FUNCTION kehou_seat_slots() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.status = 'confirmed' AND (TG_OP = 'DELETE' OR NEW.status <> 'confirmed') THEN
    DELETE FROM seat_slots WHERE selection_id = OLD.id;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.status = 'confirmed' AND (TG_OP = 'INSERT' OR OLD.status <> 'confirmed') THEN
    INSERT INTO seat_slots (school_id, student_id, slot, selection_id)
      SELECT NEW.school_id, NEW.student_id, k.code, NEW.id FROM sections x JOIN courses c ON c.id = x.course_id
      JOIN slot_codes k ON strpos(',' || replace(c.slots, ' ', '') || ',', ',' || k.code || ',') > 0
      WHERE x.id = NEW.section_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER seat_slots_sync AFTER INSERT OR UPDATE OF status OR DELETE ON selections
  FOR EACH ROW EXECUTE FUNCTION kehou_seat_slots();

-- A course moved to other slots: its held seats follow (never refusing the course's change; a
-- clash it creates is the office's to resolve, and the first seat keeps the slot).
CREATE FUNCTION kehou_seat_slots_reslot() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM seat_slots WHERE selection_id IN (SELECT s.id FROM selections s JOIN sections x ON x.id = s.section_id
    WHERE x.course_id = NEW.id AND s.status = 'confirmed');
  INSERT INTO seat_slots (school_id, student_id, slot, selection_id)
    SELECT s.school_id, s.student_id, k.code, s.id FROM selections s JOIN sections x ON x.id = s.section_id
    JOIN slot_codes k ON strpos(',' || replace(NEW.slots, ' ', '') || ',', ',' || k.code || ',') > 0
    WHERE x.course_id = NEW.id AND s.status = 'confirmed' ORDER BY s.id
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER seat_slots_reslot AFTER UPDATE OF slots ON courses
  FOR EACH ROW WHEN (OLD.slots IS DISTINCT FROM NEW.slots) EXECUTE FUNCTION kehou_seat_slots_reslot();
