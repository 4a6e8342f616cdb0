-- 0140 timetable duties (issue 12 §3-5): the AB backup of each placed session, the basic-service
-- groups (the "1" of 1+X) with their members, room and supervising teacher, the school's setting
-- for noon care, and substitutions (R-STF-4). Portable SQL (SQLite 3.40 and PostgreSQL 15).
ALTER TABLE timetable_placements ADD COLUMN backup_staff_id BIGINT REFERENCES staff(id);

-- Whether the school offers noon care (午间看护: meal and nap supervision) and evening study
-- supervision as basic service; without a row, after-school only.
CREATE TABLE timetable_settings (
  school_id BIGINT PRIMARY KEY REFERENCES schools(id),
  noon_care INTEGER NOT NULL DEFAULT 0,
  evening_study INTEGER NOT NULL DEFAULT 0,
  updated_at BIGINT NOT NULL
);

-- A basic-service group of one weekday and band: a class's children (class_id), or a mixed group
-- of one grade; at most 45 (timetable::kMaxGroupSize). Its room and supervisor come from the
-- solved timetable.
CREATE TABLE timetable_groups (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  term_id BIGINT NOT NULL REFERENCES terms(id),
  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 5),
  band TEXT NOT NULL CHECK (band IN ('morning','noon','after_school','evening')),
  name TEXT NOT NULL,
  grade INTEGER NOT NULL,
  class_id BIGINT REFERENCES classes(id),
  size INTEGER NOT NULL CHECK (size BETWEEN 1 AND 45),
  play_reading INTEGER NOT NULL DEFAULT 0,   -- grades 1-2: play and reading first
  room_id BIGINT REFERENCES rooms(id),
  supervisor_staff_id BIGINT REFERENCES staff(id),
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX timetable_groups_key ON timetable_groups(school_id, term_id, weekday, band, name);
CREATE TABLE timetable_group_members (
  school_id BIGINT NOT NULL REFERENCES schools(id),
  group_id BIGINT NOT NULL REFERENCES timetable_groups(id),
  student_id BIGINT NOT NULL REFERENCES students(id),
  PRIMARY KEY (group_id, student_id)
);
CREATE INDEX timetable_group_members_student ON timetable_group_members(school_id, student_id);

-- A teacher's reported absence for one session (section, date, band), and who teaches instead:
-- the section's AB backup, or a teacher the office picks. Pay follows substitute_staff_id.
CREATE TABLE timetable_substitutions (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  term_id BIGINT NOT NULL REFERENCES terms(id),
  section_id BIGINT NOT NULL REFERENCES sections(id),
  day TEXT NOT NULL,
  band TEXT NOT NULL,
  absent_staff_id BIGINT NOT NULL REFERENCES staff(id),
  substitute_staff_id BIGINT REFERENCES staff(id),
  source TEXT NOT NULL CHECK (source IN ('backup','office','none')),
  status TEXT NOT NULL CHECK (status IN ('open','assigned','cancelled')),
  reason TEXT NOT NULL DEFAULT '',
  reported_by BIGINT,
  reported_at BIGINT NOT NULL,
  assigned_by BIGINT,
  assigned_at BIGINT
);
CREATE UNIQUE INDEX timetable_substitutions_session ON timetable_substitutions(school_id, section_id, day, band);
CREATE INDEX timetable_substitutions_day ON timetable_substitutions(school_id, day);
