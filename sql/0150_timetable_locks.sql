-- 0150 timetable locks: placements the office pinned on the grid (课表). A locked session keeps its
-- weekday, band and room when the term is solved again (the solver's locked_slot/locked_room);
-- a move of a locked session is refused until it is unlocked. One row per locked session.
-- Portable SQL (SQLite 3.40 and PostgreSQL 15). {{PK}} is a 64-bit auto id primary key.
CREATE TABLE timetable_locks (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  term_id BIGINT NOT NULL REFERENCES terms(id),
  section_id BIGINT NOT NULL REFERENCES sections(id),
  session_no INTEGER NOT NULL CHECK (session_no >= 1),
  locked_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX timetable_locks_session ON timetable_locks(school_id, term_id, section_id, session_no);
