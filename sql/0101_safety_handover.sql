-- Safety (issue 13 §2, R-DAY-4): shift handover (交接班) from one staff member to another: which
-- children, where, anything to watch; signed by the giver (their session) and acknowledged by the
-- receiver (their own authenticated confirmation, with the time).
CREATE TABLE safety_handovers (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  from_user_id BIGINT NOT NULL,
  from_name TEXT NOT NULL,
  to_user_id BIGINT NOT NULL,
  to_name TEXT NOT NULL,
  section_id BIGINT REFERENCES sections(id),
  day TEXT NOT NULL,
  place TEXT NOT NULL,
  student_ids TEXT NOT NULL,          -- JSON array of the children handed over
  watch TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','acknowledged')),
  ack_at BIGINT,
  ack_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX safety_handovers_day ON safety_handovers(school_id, day);
CREATE INDEX safety_handovers_to ON safety_handovers(school_id, to_user_id, status);
