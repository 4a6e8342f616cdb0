-- Safety records (issue 13 §4, R-DAY-7/8): insurance per term, the daily site check, patrols,
-- incidents, emergency plans and drills, the visitor register.

-- Insurance per term: school liability (校方责任险) or student accident (学生意外险). An accident
-- policy covers every enrolled child (covers_all) or the children listed.
CREATE TABLE safety_insurance (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  term_id BIGINT NOT NULL REFERENCES terms(id),
  kind TEXT NOT NULL CHECK (kind IN ('liability','accident')),
  policy_no TEXT NOT NULL,
  insurer TEXT NOT NULL,
  from_date TEXT NOT NULL,
  to_date TEXT NOT NULL,
  covers_all INTEGER NOT NULL DEFAULT 0,
  student_ids TEXT NOT NULL DEFAULT '[]',
  note TEXT NOT NULL DEFAULT '',
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX safety_insurance_term ON safety_insurance(school_id, term_id);

-- The daily site check before the service: one per school day (a second check replaces the first).
CREATE TABLE safety_site_checks (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  day TEXT NOT NULL,
  doors TEXT NOT NULL CHECK (doors IN ('ok','issue')),
  windows TEXT NOT NULL CHECK (windows IN ('ok','issue')),
  equipment TEXT NOT NULL CHECK (equipment IN ('ok','issue')),
  wiring TEXT NOT NULL CHECK (wiring IN ('ok','issue')),
  note TEXT NOT NULL DEFAULT '',
  photo TEXT NOT NULL DEFAULT '',     -- optional data:image/... URL
  by_user_id BIGINT NOT NULL,
  by_name TEXT NOT NULL DEFAULT '',
  checked_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX safety_site_checks_day ON safety_site_checks(school_id, day);

-- Hourly patrols: where, what was found, the follow-up and when it was done.
CREATE TABLE safety_patrols (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  day TEXT NOT NULL,
  at_ms BIGINT NOT NULL,
  area TEXT NOT NULL,
  ok INTEGER NOT NULL DEFAULT 1,
  findings TEXT NOT NULL DEFAULT '',
  follow_up TEXT NOT NULL DEFAULT '',
  follow_up_done_at BIGINT,
  by_user_id BIGINT NOT NULL,
  by_name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX safety_patrols_day ON safety_patrols(school_id, day);

-- Incidents, from a minor injury to a serious event; the guardians are told through the outbox.
CREATE TABLE safety_incidents (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  day TEXT NOT NULL,
  at_ms BIGINT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('minor','moderate','serious')),
  student_id BIGINT REFERENCES students(id),
  place TEXT NOT NULL,
  description TEXT NOT NULL,
  actions TEXT NOT NULL DEFAULT '',
  guardian_notified INTEGER NOT NULL DEFAULT 0,
  by_user_id BIGINT NOT NULL,
  by_name TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX safety_incidents_day ON safety_incidents(school_id, day);

-- Emergency plans (应急预案) and the drills (演练) held per term.
CREATE TABLE safety_plans (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  title TEXT NOT NULL,
  kind TEXT NOT NULL,                 -- fire, earthquake, intruder, ...
  body TEXT NOT NULL DEFAULT '',
  updated_by BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX safety_plans_school ON safety_plans(school_id);
CREATE TABLE safety_drills (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  term_id BIGINT NOT NULL REFERENCES terms(id),
  plan_id BIGINT REFERENCES safety_plans(id),
  day TEXT NOT NULL,
  kind TEXT NOT NULL,
  participants INTEGER NOT NULL DEFAULT 0,
  minutes INTEGER NOT NULL DEFAULT 0,
  record TEXT NOT NULL DEFAULT '',
  by_user_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX safety_drills_term ON safety_drills(school_id, term_id);

-- The visitor / gate register kept by the guard.
CREATE TABLE safety_visitors (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  day TEXT NOT NULL,
  name TEXT NOT NULL,
  id_last4 TEXT NOT NULL DEFAULT '',
  mobile TEXT NOT NULL DEFAULT '',
  purpose TEXT NOT NULL,
  host TEXT NOT NULL DEFAULT '',
  in_at BIGINT NOT NULL,
  out_at BIGINT,
  by_user_id BIGINT NOT NULL
);
CREATE INDEX safety_visitors_day ON safety_visitors(school_id, day);
