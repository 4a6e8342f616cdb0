-- Issue 10 §4, session 17: a take's foreign-key checks no longer lock the school's and the
-- round's rows (docs/ARCHITECTURE.md note 15).
--
-- Every INSERT into selections checked its four foreign keys with `SELECT 1 ... FOR KEY SHARE`.
-- The student's and the section's rows are already locked by the take itself (kehou_take_seat
-- locks the child FOR UPDATE and updates the section), so those checks take no new lock. But
-- every concurrent take of a school locked the same `schools` row and the same `select_rounds`
-- row: a MultiXact for each new set of lockers, a WAL record and a dirtied page for each lock
-- (pg_stat_statements on the bench's rush: 0.56 ms and 0.15 ms of 3.2 ms per seat's INSERT).
--
-- * school_id and student_id: one key (school_id, student_id) -> students(school_id, id) instead
--   of two. The check runs on the child's row, which the take already holds, and it says more than
--   before: a seat's child exists, the seat's school is the child's school, and that school exists
--   (students.school_id references schools).
-- * round_id: dropped. Rounds are never deleted and their ids never change (no code path or
--   migration deletes select_rounds rows), and every path that writes a seat has read its round
--   first (the take and the drop: store::kTakeLoadPg, the round of the child's school; the
--   allocation, the waiting list and the office's placement: the round they run in). A round
--   with seats is also held by its round_sections rows (they reference it).
-- section_id keeps its key. SQLite keeps all four (its checks lock nothing).
CREATE UNIQUE INDEX students_school_id ON students(school_id, id);
ALTER TABLE selections ADD CONSTRAINT selections_school_student_fkey
  FOREIGN KEY (school_id, student_id) REFERENCES students(school_id, id);
ALTER TABLE selections DROP CONSTRAINT selections_school_id_fkey;
ALTER TABLE selections DROP CONSTRAINT selections_round_id_fkey;
ALTER TABLE selections DROP CONSTRAINT selections_student_id_fkey;
