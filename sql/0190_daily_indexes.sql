-- Dismissal-peak indexes (issue 13 §7, profiled with EXPLAIN QUERY PLAN):
-- a guardian's status reads one child's marks of the day: (school, day, student) replaces
-- (school, day), whose every use it still serves as a prefix;
DROP INDEX attendance_marks_day;
CREATE INDEX attendance_marks_day ON attendance_marks(school_id, day, student_id);
-- a guardian's leave requests are found by their children, whatever the school (the old index
-- leads with school_id, so the guardian's list scanned the whole table).
CREATE INDEX leave_requests_by_student ON leave_requests(student_id, to_date);
