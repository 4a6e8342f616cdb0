-- One child, one seat per weekly time slot, whatever code path writes the seat (taking, the
-- waiting list's acceptance, the office's placement, the allocation, or a hand-written UPDATE):
-- seat_slots holds one row per slot (weekday:band) of every confirmed selection, and its key
-- (the child and the slot) refuses a second. The rows are kept by triggers on selections
-- (0026, one file per database); nothing in the application writes them.
CREATE TABLE slot_codes (code TEXT PRIMARY KEY);  -- every weekday:band a course may meet in
INSERT INTO slot_codes (code) VALUES ('1:morning'), ('1:noon'), ('1:after_school'), ('1:evening'), ('2:morning'), ('2:noon'), ('2:after_school'), ('2:evening'), ('3:morning'), ('3:noon'), ('3:after_school'), ('3:evening'), ('4:morning'), ('4:noon'), ('4:after_school'), ('4:evening'), ('5:morning'), ('5:noon'), ('5:after_school'), ('5:evening');
CREATE TABLE seat_slots (
  school_id BIGINT NOT NULL,
  student_id BIGINT NOT NULL,
  slot TEXT NOT NULL,
  selection_id BIGINT NOT NULL,
  PRIMARY KEY (school_id, student_id, slot)
);
CREATE INDEX seat_slots_selection ON seat_slots(selection_id);
