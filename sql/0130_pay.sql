-- 0130 teacher pay (issue 14 §4, R-FEE-6): monthly pay runs per school from the sessions actually
-- taught, the contract's hourly rate and the evaluation factor; institution invoices for their
-- staff's sessions. Money integer fen, months 'YYYY-MM', factors in permille (1000 = 1.0).

-- The school's pay settings: which named rule turns a quality score into the evaluation factor.
CREATE TABLE pay_settings (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  factor_rule TEXT NOT NULL DEFAULT 'flat',
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX pay_settings_school ON pay_settings(school_id);

-- Quality survey scores (0-100) of a teacher for a month, as the leadership records them.
CREATE TABLE pay_scores (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  staff_id BIGINT NOT NULL REFERENCES staff(id),
  month TEXT NOT NULL,
  score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
  source TEXT NOT NULL DEFAULT '',
  recorded_by BIGINT,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX pay_scores_key ON pay_scores(school_id, staff_id, month);

-- One run per school and month: a draft is recomputed on a re-run; approved runs are frozen.
CREATE TABLE pay_runs (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  month TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','approved')),
  factor_rule TEXT NOT NULL,
  slips_fen BIGINT NOT NULL DEFAULT 0,
  invoices_fen BIGINT NOT NULL DEFAULT 0,
  sessions INTEGER NOT NULL DEFAULT 0,
  unassigned INTEGER NOT NULL DEFAULT 0,     -- taught sessions with nobody to pay (no teacher/rate)
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  computed_at BIGINT NOT NULL,
  approved_by BIGINT,
  approver_name TEXT NOT NULL DEFAULT '',
  approved_at BIGINT
);
CREATE UNIQUE INDEX pay_runs_month ON pay_runs(school_id, month);

-- A teacher's slip in a run (school's own staff).
CREATE TABLE pay_slips (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  run_id BIGINT NOT NULL REFERENCES pay_runs(id),
  staff_id BIGINT NOT NULL REFERENCES staff(id),
  staff_name TEXT NOT NULL,
  sessions INTEGER NOT NULL,
  minutes INTEGER NOT NULL,
  rate_fen BIGINT NOT NULL,
  score INTEGER,
  factor_permille INTEGER NOT NULL,
  base_fen BIGINT NOT NULL,
  amount_fen BIGINT NOT NULL
);
CREATE UNIQUE INDEX pay_slips_key ON pay_slips(school_id, run_id, staff_id);
CREATE INDEX pay_slips_staff ON pay_slips(school_id, staff_id);

-- The sessions behind a slip or an invoice (one row per session and person).
CREATE TABLE pay_lines (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  run_id BIGINT NOT NULL REFERENCES pay_runs(id),
  staff_id BIGINT NOT NULL,
  institution_id BIGINT,
  section_id BIGINT NOT NULL,
  day TEXT NOT NULL,
  band TEXT NOT NULL,
  course TEXT NOT NULL,
  minutes INTEGER NOT NULL
);
CREATE INDEX pay_lines_run ON pay_lines(school_id, run_id, staff_id);

-- An external institution's invoice for its staff's sessions in the month.
CREATE TABLE pay_invoices (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  run_id BIGINT NOT NULL REFERENCES pay_runs(id),
  institution_id BIGINT NOT NULL REFERENCES institutions(id),
  institution_name TEXT NOT NULL,
  people INTEGER NOT NULL,
  sessions INTEGER NOT NULL,
  minutes INTEGER NOT NULL,
  amount_fen BIGINT NOT NULL
);
CREATE UNIQUE INDEX pay_invoices_key ON pay_invoices(school_id, run_id, institution_id);
