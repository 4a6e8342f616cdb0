-- 0060 timetable: the solved weekly timetable of a term, one row per session of a section
-- (weekday, band, room, teacher). Written whole by `kehou timetable solve --db --term` (delete
-- the term's rows, insert the new ones, one audit row, one transaction); read back as the
-- previous solution when the term is solved again, so a re-solve moves as little as possible.
-- Portable SQL (SQLite 3.40 and PostgreSQL 15). {{PK}} is a 64-bit auto id primary key.
CREATE TABLE timetable_placements (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  term_id BIGINT NOT NULL REFERENCES terms(id),
  section_id BIGINT NOT NULL REFERENCES sections(id),
  session_no INTEGER NOT NULL CHECK (session_no >= 1),
  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 5),
  band TEXT NOT NULL CHECK (band IN ('morning','noon','after_school','evening')),
  room_id BIGINT REFERENCES rooms(id),
  teacher_staff_id BIGINT REFERENCES staff(id),
  solved_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX timetable_placements_session ON timetable_placements(school_id, term_id, section_id, session_no);
CREATE INDEX timetable_placements_slot ON timetable_placements(school_id, term_id, weekday, band);
