-- 0003 catalog and selection: the 1+X extension courses, their sections (at most 45 children,
-- the CHECK is the last line of defence behind the rules), selection rounds (first come first
-- served, or preferences then allocation), seats, idempotent requests, preferences, allocation
-- results with their explanation, and waiting lists.
-- Portable SQL (SQLite 3.40 and PostgreSQL 15). {{PK}} is a 64-bit auto id primary key.
-- Instants are epoch ms (server time). Booleans INTEGER 0/1. Money integer fen.

CREATE TABLE courses (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  term_id BIGINT REFERENCES terms(id),
  name TEXT NOT NULL,
  category TEXT NOT NULL CHECK (category IN ('science','sports','arts','labour','reading','film','interest','club')),
  description TEXT NOT NULL DEFAULT '',
  grades TEXT NOT NULL,                       -- comma list of grade numbers, e.g. '3,4,5'
  capacity INTEGER NOT NULL CHECK (capacity > 0),  -- the course's planned total seats
  venue_kind TEXT NOT NULL DEFAULT 'classroom'
    CHECK (venue_kind IN ('classroom','sports_ground','gym','function_room','library','lab')),
  teacher_staff_id BIGINT REFERENCES staff(id),
  institution TEXT NOT NULL DEFAULT '',       -- an outside institution instead of (or with) a teacher
  sessions_per_week INTEGER NOT NULL DEFAULT 1 CHECK (sessions_per_week BETWEEN 1 AND 10),
  slots TEXT NOT NULL,                        -- 'weekday:band' list, e.g. '2:after_school,4:after_school'
  fee_fen BIGINT NOT NULL DEFAULT 0 CHECK (fee_fen >= 0),
  subject_qa INTEGER NOT NULL DEFAULT 0,      -- subject-type: Q&A only, never new lessons
  status TEXT NOT NULL DEFAULT 'approved' CHECK (status IN ('draft','submitted','reviewed','approved','rejected','closed')),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX courses_school ON courses(school_id, term_id, category);

CREATE TABLE sections (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  course_id BIGINT NOT NULL REFERENCES courses(id),
  name TEXT NOT NULL,
  formation TEXT NOT NULL DEFAULT 'mixed' CHECK (formation IN ('class','mixed','school')),
  class_id BIGINT REFERENCES classes(id),     -- formation 'class': the administrative class
  room_id BIGINT REFERENCES rooms(id),
  teacher_staff_id BIGINT REFERENCES staff(id),
  capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 45),
  taken INTEGER NOT NULL DEFAULT 0 CHECK (taken >= 0 AND taken <= capacity),
  created_at BIGINT NOT NULL
);
CREATE INDEX sections_school_course ON sections(school_id, course_id);

CREATE TABLE select_rounds (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  term_id BIGINT REFERENCES terms(id),
  name TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('fcfs','preference')),
  grades TEXT NOT NULL,                       -- comma list of grade numbers
  opens_at BIGINT NOT NULL,
  closes_at BIGINT NOT NULL,
  max_per_child INTEGER NOT NULL CHECK (max_per_child BETWEEN 1 AND 10),
  max_ranks INTEGER NOT NULL DEFAULT 5,       -- preference rounds: how many a family may rank
  seed_hash TEXT NOT NULL DEFAULT '',         -- SHA-256/BLAKE2b hex of the lottery seed, published
  seed TEXT,                                  -- revealed after the allocation
  seed_secret TEXT NOT NULL DEFAULT '',       -- kept until the reveal
  allocated_at BIGINT,
  previous_round_id BIGINT REFERENCES select_rounds(id),  -- a second round for remaining seats
  created_by BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX select_rounds_school ON select_rounds(school_id, opens_at);

CREATE TABLE round_sections (
  school_id BIGINT NOT NULL REFERENCES schools(id),
  round_id BIGINT NOT NULL REFERENCES select_rounds(id),
  section_id BIGINT NOT NULL REFERENCES sections(id),
  PRIMARY KEY (round_id, section_id)
);

-- A seat: one child in one section. Active while status = 'confirmed'.
CREATE TABLE selections (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  round_id BIGINT REFERENCES select_rounds(id),
  section_id BIGINT NOT NULL REFERENCES sections(id),
  student_id BIGINT NOT NULL REFERENCES students(id),
  status TEXT NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed','dropped')),
  source TEXT NOT NULL CHECK (source IN ('fcfs','allocation','waitlist','manual')),
  by_user_id BIGINT,
  created_at BIGINT NOT NULL,
  dropped_at BIGINT
);
CREATE UNIQUE INDEX selections_one_seat ON selections(student_id, section_id) WHERE status = 'confirmed';
CREATE INDEX selections_student ON selections(school_id, student_id, status);
CREATE INDEX selections_section ON selections(section_id, status);

-- Idempotent selection requests: the client's key and the answer it got, per guardian.
CREATE TABLE select_requests (
  guardian_id BIGINT NOT NULL,
  idem_key TEXT NOT NULL,
  school_id BIGINT NOT NULL,
  status INTEGER NOT NULL,                    -- HTTP status of the answer
  answer TEXT NOT NULL,                       -- the JSON answer
  created_at BIGINT NOT NULL,
  PRIMARY KEY (guardian_id, idem_key)
);

-- Preference rounds: a child's ranked sections (rank 1 = first choice).
CREATE TABLE select_preferences (
  school_id BIGINT NOT NULL REFERENCES schools(id),
  round_id BIGINT NOT NULL REFERENCES select_rounds(id),
  student_id BIGINT NOT NULL REFERENCES students(id),
  rank INTEGER NOT NULL CHECK (rank >= 1),
  section_id BIGINT NOT NULL REFERENCES sections(id),
  by_user_id BIGINT,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (round_id, student_id, rank)
);

-- The allocation's outcome per child and ranked section, with what explains it.
CREATE TABLE select_results (
  school_id BIGINT NOT NULL REFERENCES schools(id),
  round_id BIGINT NOT NULL REFERENCES select_rounds(id),
  student_id BIGINT NOT NULL REFERENCES students(id),
  section_id BIGINT NOT NULL REFERENCES sections(id),
  rank INTEGER NOT NULL,
  placed INTEGER NOT NULL,
  lottery BIGINT NOT NULL,                    -- the child's lottery number (lower wins ties)
  priority INTEGER NOT NULL DEFAULT 0,        -- 1 if a priority group applied
  reason TEXT NOT NULL,                       -- JSON explanation
  PRIMARY KEY (round_id, student_id, section_id)
);

-- Waiting lists per section, in order; an offer expires after a window.
CREATE TABLE waitlist (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  section_id BIGINT NOT NULL REFERENCES sections(id),
  round_id BIGINT REFERENCES select_rounds(id),
  student_id BIGINT NOT NULL REFERENCES students(id),
  status TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting','offered','accepted','declined','expired','cancelled')),
  created_at BIGINT NOT NULL,
  offered_at BIGINT,
  offer_expires_at BIGINT,
  decided_at BIGINT
);
CREATE UNIQUE INDEX waitlist_one ON waitlist(section_id, student_id) WHERE status IN ('waiting','offered');
CREATE INDEX waitlist_section ON waitlist(section_id, status, id);
