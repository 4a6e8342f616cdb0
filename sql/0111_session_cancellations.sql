-- Sessions the office cancels or changes for a day (issue 13 §4: weather, epidemic, pollution):
-- one row per affected session (section, day, band); the guardians are told through the outbox
-- in the same transaction (one message per guardian, whatever the number of their children).
CREATE TABLE attendance_cancellations (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  section_id BIGINT NOT NULL REFERENCES sections(id),
  day TEXT NOT NULL,
  band TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('cancel','change')),
  reason TEXT NOT NULL CHECK (reason IN ('weather','epidemic','pollution','other')),
  note TEXT NOT NULL,
  by_user_id BIGINT,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX attendance_cancellations_key ON attendance_cancellations(school_id, day, band, section_id);
