-- The school's pickup settings (issue 13 §3): the late-collection escalation steps, in minutes
-- after a batch's end (guardians, then class teacher and office, then leaders; increasing).
-- No row: the defaults of pickup/rules.h (10, 20, 40).
CREATE TABLE pickup_settings (
  school_id BIGINT PRIMARY KEY REFERENCES schools(id),
  late_guardian_minutes INTEGER NOT NULL,
  late_office_minutes INTEGER NOT NULL,
  late_leader_minutes INTEGER NOT NULL,
  updated_by BIGINT,
  updated_at BIGINT NOT NULL
);
