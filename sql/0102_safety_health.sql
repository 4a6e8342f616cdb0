-- Safety (issue 13 §4): health notes (allergies, special constitution) per child. Shown only to the
-- teachers of the child's sessions, the school doctor and the office (service-side check).
CREATE TABLE safety_health_notes (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  student_id BIGINT NOT NULL REFERENCES students(id),
  kind TEXT NOT NULL CHECK (kind IN ('allergy','constitution','medication','other')),
  detail TEXT NOT NULL,
  care TEXT NOT NULL DEFAULT '',      -- what to do
  active INTEGER NOT NULL DEFAULT 1,
  updated_by BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX safety_health_notes_student ON safety_health_notes(school_id, student_id);
