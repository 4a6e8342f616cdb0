-- Safety (issue 13 §2, R-DAY-3): the three concerns (三个关注) of a session, recorded by its teacher.
-- A session is (section, day, band) as in attendance.

-- One row per session: who recorded the concerns and when, whether every child was picked up on time.
CREATE TABLE safety_concerns (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  section_id BIGINT NOT NULL REFERENCES sections(id),
  day TEXT NOT NULL,
  band TEXT NOT NULL,
  all_on_time INTEGER NOT NULL DEFAULT 1,
  note TEXT NOT NULL DEFAULT '',
  by_user_id BIGINT NOT NULL,
  by_name TEXT NOT NULL DEFAULT '',
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX safety_concerns_key ON safety_concerns(school_id, section_id, day, band);
CREATE INDEX safety_concerns_day ON safety_concerns(school_id, day);

-- The children a concern names: absent without reason (the follow-up, linked to the roll call's
-- mark) or not picked up on time (what happened).
CREATE TABLE safety_concern_items (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  concern_id BIGINT NOT NULL REFERENCES safety_concerns(id),
  student_id BIGINT NOT NULL REFERENCES students(id),
  kind TEXT NOT NULL CHECK (kind IN ('absent','late_pickup')),
  note TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX safety_concern_items_key ON safety_concern_items(school_id, concern_id, kind, student_id);

-- An unwell child: symptom, what was done (rest, school doctor, guardian called), the doctor's
-- acknowledgement. The guardians are told through the outbox in the same transaction.
CREATE TABLE safety_unwell (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  section_id BIGINT NOT NULL REFERENCES sections(id),
  day TEXT NOT NULL,
  band TEXT NOT NULL,
  student_id BIGINT NOT NULL REFERENCES students(id),
  symptom TEXT NOT NULL,
  actions TEXT NOT NULL DEFAULT '',   -- comma list: rest,doctor,guardian_called
  note TEXT NOT NULL DEFAULT '',
  reported_by BIGINT NOT NULL,
  reporter TEXT NOT NULL DEFAULT '',
  reported_at BIGINT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','seen')),
  doctor_note TEXT NOT NULL DEFAULT '',
  seen_by BIGINT,
  seen_at BIGINT
);
CREATE INDEX safety_unwell_day ON safety_unwell(school_id, day);
CREATE INDEX safety_unwell_status ON safety_unwell(school_id, status);
