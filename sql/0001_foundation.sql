-- 0001 foundation: areas, schools, terms, hours, classes, rooms, people, accounts, sessions, audit.
-- Portable SQL (SQLite 3.40 and PostgreSQL 15). {{PK}} is a 64-bit auto id primary key.
-- Times of day are 'HH:MM' text, dates 'YYYY-MM-DD' text (school-local), instants epoch ms.
-- Booleans are INTEGER 0/1. Money is integer fen.

CREATE TABLE areas (
  id {{PK}},
  kind TEXT NOT NULL CHECK (kind IN ('city','county')),
  name TEXT NOT NULL,
  parent_id BIGINT REFERENCES areas(id),
  office_close_time TEXT NOT NULL DEFAULT '17:00'  -- local office closing time (R-SET-2)
);

CREATE TABLE schools (
  id {{PK}},
  area_id BIGINT NOT NULL REFERENCES areas(id),
  name TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('primary','junior','nine_year')),
  type TEXT NOT NULL CHECK (type IN ('public','private','private_boarding')),
  address TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX schools_area ON schools(area_id);

CREATE TABLE terms (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  name TEXT NOT NULL,
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL,
  winter_from TEXT,            -- date from which the winter end times apply (within the term)
  summer_from TEXT,            -- date from which the summer end times apply
  excluded_weekdays TEXT NOT NULL DEFAULT '',  -- comma list of ISO weekdays 1..5 without service
  is_current INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX terms_school_name ON terms(school_id, name);

CREATE TABLE term_holidays (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  term_id BIGINT NOT NULL REFERENCES terms(id),
  name TEXT NOT NULL,
  start_date TEXT NOT NULL,
  end_date TEXT NOT NULL
);
CREATE INDEX term_holidays_term ON term_holidays(school_id, term_id);

-- Service hours (R-SET-2): bands per term; season 'all', 'winter' or 'summer'.
CREATE TABLE service_bands (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  term_id BIGINT NOT NULL REFERENCES terms(id),
  kind TEXT NOT NULL CHECK (kind IN ('morning','noon','after_school','evening')),
  season TEXT NOT NULL DEFAULT 'all' CHECK (season IN ('all','winter','summer')),
  name TEXT NOT NULL DEFAULT '',
  start_time TEXT NOT NULL,
  end_time TEXT NOT NULL
);
CREATE INDEX service_bands_term ON service_bands(school_id, term_id);

CREATE TABLE grades (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  number INTEGER NOT NULL CHECK (number BETWEEN 1 AND 9),
  name TEXT NOT NULL
);
CREATE UNIQUE INDEX grades_school_number ON grades(school_id, number);

CREATE TABLE staff (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  name TEXT NOT NULL,
  gender TEXT NOT NULL DEFAULT '' ,
  kind TEXT NOT NULL CHECK (kind IN ('in_school','retired','institution','volunteer','parent_volunteer')),
  subjects TEXT NOT NULL DEFAULT '',
  mobile TEXT NOT NULL,
  institution TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX staff_school_mobile ON staff(school_id, mobile);
CREATE INDEX staff_school_name ON staff(school_id, name);

CREATE TABLE classes (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  grade_id BIGINT NOT NULL REFERENCES grades(id),
  name TEXT NOT NULL,                 -- e.g. 三年级(2)班
  number INTEGER NOT NULL,            -- 2
  class_teacher_id BIGINT REFERENCES staff(id),
  room_id BIGINT
);
CREATE UNIQUE INDEX classes_school_grade_number ON classes(school_id, grade_id, number);

CREATE TABLE rooms (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('classroom','sports_ground','gym','function_room','library','lab')),
  capacity INTEGER NOT NULL CHECK (capacity > 0),
  equipment TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX rooms_school_name ON rooms(school_id, name);

CREATE TABLE students (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  student_no TEXT NOT NULL,
  name TEXT NOT NULL,
  gender TEXT NOT NULL CHECK (gender IN ('M','F')),
  class_id BIGINT NOT NULL REFERENCES classes(id),
  id_number TEXT NOT NULL DEFAULT '',     -- sensitive: masked except for roles that need it
  health_notes TEXT NOT NULL DEFAULT '',  -- sensitive
  left_behind INTEGER NOT NULL DEFAULT 0, -- special-care flags, sensitive
  low_income INTEGER NOT NULL DEFAULT 0,
  disability INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX students_school_no ON students(school_id, student_no);
CREATE INDEX students_school_class ON students(school_id, class_id, student_no);
CREATE INDEX students_school_name ON students(school_id, name);

-- A guardian is one person across schools, known by mobile.
CREATE TABLE guardians (
  id {{PK}},
  mobile TEXT NOT NULL,
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX guardians_mobile ON guardians(mobile);

CREATE TABLE student_guardians (
  school_id BIGINT NOT NULL REFERENCES schools(id),
  student_id BIGINT NOT NULL REFERENCES students(id),
  guardian_id BIGINT NOT NULL REFERENCES guardians(id),
  relation TEXT NOT NULL,              -- 父亲, 母亲, 祖父, ...
  is_primary INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (student_id, guardian_id)
);
CREATE INDEX student_guardians_guardian ON student_guardians(guardian_id);
CREATE INDEX student_guardians_school ON student_guardians(school_id, student_id);

CREATE TABLE users (
  id {{PK}},
  login TEXT NOT NULL,                 -- username, or a guardian's mobile
  password_hash TEXT NOT NULL,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  school_id BIGINT REFERENCES schools(id),   -- school roles
  area_id BIGINT REFERENCES areas(id),       -- county/city officers
  staff_id BIGINT REFERENCES staff(id),      -- teachers and other staff
  guardian_id BIGINT REFERENCES guardians(id),
  disabled INTEGER NOT NULL DEFAULT 0,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_login ON users(login);
CREATE INDEX users_school ON users(school_id, role);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,         -- hex of BLAKE2b(token); the token itself is never stored
  user_id BIGINT NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  client TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE audit_log (
  id {{PK}},
  school_id BIGINT,
  user_id BIGINT,
  user_name TEXT NOT NULL DEFAULT '',
  at BIGINT NOT NULL,
  action TEXT NOT NULL,                -- create, update, delete, import, login_failed, read_personal, ...
  entity TEXT NOT NULL,                -- student, staff, user, term, ...
  entity_id BIGINT,
  before_json TEXT,
  after_json TEXT,
  client TEXT NOT NULL DEFAULT '',
  request_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_school_at ON audit_log(school_id, at);
CREATE INDEX audit_entity ON audit_log(school_id, entity, entity_id);
