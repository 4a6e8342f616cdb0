-- 0002 registration (R-REG): demand surveys, agreements, applications with signatures and a
-- review chain, exits, looked-after children, dismissal batches.
-- Portable SQL (SQLite 3.40 and PostgreSQL 15). {{PK}} is a 64-bit auto id primary key.
-- Dates 'YYYY-MM-DD' (school-local), instants epoch ms, lists as comma text ('1,3,5').
-- Signatures and decisions are insert-only: the code has no UPDATE or DELETE for them.

-- 需求征询: a survey per term for chosen grades.
CREATE TABLE surveys (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  term_id BIGINT NOT NULL REFERENCES terms(id),
  title TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',          -- shown above the questions; the free-text prompt
  grades TEXT NOT NULL,                   -- grade numbers in scope, '1,2,3'
  bands TEXT NOT NULL,                    -- band kinds offered, 'morning,noon,after_school,evening'
  interests TEXT NOT NULL,                -- interest categories offered
  opens_on TEXT NOT NULL,                 -- answers accepted from this date ...
  closes_on TEXT NOT NULL,                -- ... to this date, inclusive
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX surveys_school_term ON surveys(school_id, term_id);

-- One answer per child per survey, editable while the survey is open.
CREATE TABLE survey_answers (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  survey_id BIGINT NOT NULL REFERENCES surveys(id),
  student_id BIGINT NOT NULL REFERENCES students(id),
  wants_service INTEGER NOT NULL,         -- 0/1: the family wants after-school service at all
  days TEXT NOT NULL DEFAULT '',          -- ISO weekdays '1,2,5'
  bands TEXT NOT NULL DEFAULT '',
  interests TEXT NOT NULL DEFAULT '',
  free_text TEXT NOT NULL DEFAULT '',
  guardian_id BIGINT REFERENCES guardians(id),  -- who answered last
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX survey_answers_one ON survey_answers(school_id, survey_id, student_id);

-- 放学批次: the school's list of dismissal batches a family chooses from.
CREATE TABLE dismissal_batches (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  name TEXT NOT NULL,
  leave_time TEXT NOT NULL,               -- 'HH:MM'
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX dismissal_batches_name ON dismissal_batches(school_id, name);

-- 托管协议: versioned texts; exactly one current version per school and term.
CREATE TABLE agreements (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  term_id BIGINT NOT NULL REFERENCES terms(id),
  version INTEGER NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,                     -- never changed once created (signatures hash it)
  body_hash TEXT NOT NULL,                -- hex BLAKE2b-256 of body
  is_current INTEGER NOT NULL DEFAULT 0,
  created_by BIGINT,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX agreements_version ON agreements(school_id, term_id, version);
CREATE UNIQUE INDEX agreements_current ON agreements(school_id, term_id) WHERE is_current = 1;

-- 线上报名: one application per child and term, shared by the child's guardians.
CREATE TABLE applications (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  term_id BIGINT NOT NULL REFERENCES terms(id),
  student_id BIGINT NOT NULL REFERENCES students(id),
  status TEXT NOT NULL CHECK (status IN ('draft','submitted','class_approved','approved','returned','rejected')),
  version INTEGER NOT NULL DEFAULT 1,     -- bumped by every edit; a signature binds one version
  days TEXT NOT NULL,
  bands TEXT NOT NULL,
  pickup_mode TEXT NOT NULL CHECK (pickup_mode IN ('self','guardian','proxy')),
  pickup_guardian_id BIGINT REFERENCES guardians(id),
  proxy_name TEXT NOT NULL DEFAULT '',
  proxy_mobile TEXT NOT NULL DEFAULT '',
  dismissal_batch_id BIGINT REFERENCES dismissal_batches(id),
  note TEXT NOT NULL DEFAULT '',
  created_by BIGINT,
  updated_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  submitted_at BIGINT
);
CREATE UNIQUE INDEX applications_one ON applications(school_id, term_id, student_id);
CREATE INDEX applications_status ON applications(school_id, term_id, status);

-- The guardian's signature of the agreement for one version of the application. Insert-only.
CREATE TABLE application_signatures (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  application_id BIGINT NOT NULL REFERENCES applications(id),
  application_version INTEGER NOT NULL,
  agreement_id BIGINT NOT NULL REFERENCES agreements(id),
  agreement_version INTEGER NOT NULL,
  text_hash TEXT NOT NULL,                -- hex BLAKE2b-256 of the exact text signed
  form_json TEXT NOT NULL,                -- the application as it stood when signed
  user_id BIGINT,
  guardian_id BIGINT REFERENCES guardians(id),
  signer_name TEXT NOT NULL,
  device TEXT NOT NULL DEFAULT '',        -- User-Agent
  client TEXT NOT NULL DEFAULT '',        -- client address
  signed_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX application_signatures_one ON application_signatures(school_id, application_id, application_version);

-- Every step of the review chain, with who, when and why. Insert-only.
CREATE TABLE application_decisions (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  application_id BIGINT NOT NULL REFERENCES applications(id),
  application_version INTEGER NOT NULL,
  action TEXT NOT NULL,                   -- submit, class_approve, class_return, approve, return, reject
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  user_id BIGINT,
  user_name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL DEFAULT '',
  at BIGINT NOT NULL
);
CREATE INDEX application_decisions_app ON application_decisions(school_id, application_id, id);

-- 准出: the end of a child's service, from an effective date (the first day without service).
CREATE TABLE exits (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  term_id BIGINT NOT NULL REFERENCES terms(id),
  student_id BIGINT NOT NULL REFERENCES students(id),
  application_id BIGINT NOT NULL REFERENCES applications(id),
  effective_date TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  user_id BIGINT,
  user_name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX exits_application ON exits(school_id, application_id);
CREATE INDEX exits_term ON exits(school_id, term_id, effective_date);

-- R-REG-5: children not enrolled but staying at school for special reasons.
CREATE TABLE looked_after (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  term_id BIGINT NOT NULL REFERENCES terms(id),
  student_id BIGINT NOT NULL REFERENCES students(id),
  reason TEXT NOT NULL,
  start_date TEXT NOT NULL,
  end_date TEXT,                          -- last day, inclusive; NULL while open-ended
  user_id BIGINT,
  user_name TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX looked_after_term ON looked_after(school_id, term_id, student_id);
