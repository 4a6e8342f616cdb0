-- Dismissal and pickup (issue 13 §3, R-DAY-5/6): authorised adults, pickup cards, the gate's
-- handovers, arrival announcements, late escalation and the end-of-day close.

-- Proxies (代接人) with the guardians' written authorisation. Guardians come from student_guardians.
CREATE TABLE pickup_proxies (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  student_id BIGINT NOT NULL REFERENCES students(id),
  name TEXT NOT NULL,
  relation TEXT NOT NULL,
  id_last4 TEXT NOT NULL,                 -- the last four characters of the ID number only
  mobile TEXT NOT NULL DEFAULT '',
  valid_from TEXT NOT NULL,               -- 'YYYY-MM-DD', inclusive
  valid_to TEXT NOT NULL,                 -- inclusive
  photo TEXT NOT NULL DEFAULT '',         -- data URL (image), optional
  form_name TEXT NOT NULL DEFAULT '',     -- the signed authorisation form
  form_type TEXT NOT NULL DEFAULT '',
  form_data TEXT NOT NULL DEFAULT '',     -- base64
  revoked INTEGER NOT NULL DEFAULT 0,
  revoke_reason TEXT NOT NULL DEFAULT '',
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX pickup_proxies_student ON pickup_proxies(school_id, student_id);

-- Custody or court restrictions: this adult may not collect this child (hard refusal).
CREATE TABLE pickup_restrictions (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  student_id BIGINT NOT NULL REFERENCES students(id),
  adult_kind TEXT NOT NULL CHECK (adult_kind IN ('guardian','proxy')),
  adult_id BIGINT NOT NULL,
  reason TEXT NOT NULL,
  document TEXT NOT NULL DEFAULT '',      -- the court order's or agreement's reference
  active INTEGER NOT NULL DEFAULT 1,
  created_by BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX pickup_restrictions_student ON pickup_restrictions(school_id, student_id);

-- The guardian's written permission for the child to leave on their own.
CREATE TABLE pickup_self_leave (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  student_id BIGINT NOT NULL REFERENCES students(id),
  guardian_id BIGINT NOT NULL REFERENCES guardians(id),
  form_name TEXT NOT NULL,
  form_type TEXT NOT NULL DEFAULT '',
  form_data TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX pickup_self_leave_student ON pickup_self_leave(school_id, student_id);

-- Pickup cards (接送卡): one active card per child and adult; the token is the QR code's content.
CREATE TABLE pickup_cards (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  student_id BIGINT NOT NULL REFERENCES students(id),
  adult_kind TEXT NOT NULL CHECK (adult_kind IN ('guardian','proxy')),
  adult_id BIGINT NOT NULL,
  token TEXT NOT NULL,
  code TEXT NOT NULL,                     -- the token's first characters, printed large
  revoked INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE UNIQUE INDEX pickup_cards_token ON pickup_cards(token);
CREATE INDEX pickup_cards_code ON pickup_cards(school_id, code);
CREATE INDEX pickup_cards_student ON pickup_cards(school_id, student_id);

-- The guardian's batch choice: day '' is the child's default, a date that day only.
CREATE TABLE pickup_batch_choices (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  student_id BIGINT NOT NULL REFERENCES students(id),
  day TEXT NOT NULL,
  batch_id BIGINT NOT NULL REFERENCES dismissal_batches(id),
  by_user_id BIGINT,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX pickup_batch_choices_key ON pickup_batch_choices(school_id, student_id, day);

-- Handovers at the gate: one departure per child per day.
CREATE TABLE pickup_handovers (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  day TEXT NOT NULL,
  student_id BIGINT NOT NULL REFERENCES students(id),
  batch_id BIGINT,
  adult_kind TEXT NOT NULL CHECK (adult_kind IN ('guardian','proxy','self')),
  adult_id BIGINT,
  adult_name TEXT NOT NULL,
  relation TEXT NOT NULL DEFAULT '',
  card_id BIGINT,
  by_user_id BIGINT NOT NULL,
  by_name TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE UNIQUE INDEX pickup_handovers_key ON pickup_handovers(school_id, day, student_id);

-- Arrival announcements (我到了): the gate queue of the day, in order of arrival.
CREATE TABLE pickup_arrivals (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  day TEXT NOT NULL,
  student_id BIGINT NOT NULL REFERENCES students(id),
  batch_id BIGINT,
  adult_kind TEXT NOT NULL,
  adult_id BIGINT NOT NULL,
  adult_name TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE UNIQUE INDEX pickup_arrivals_key ON pickup_arrivals(school_id, day, student_id);

-- Late collection: one row per step reached (1 guardian, 2 class teacher + office, 3 leader).
CREATE TABLE pickup_escalations (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  day TEXT NOT NULL,
  student_id BIGINT NOT NULL REFERENCES students(id),
  step INTEGER NOT NULL,
  at BIGINT NOT NULL
);
CREATE UNIQUE INDEX pickup_escalations_key ON pickup_escalations(school_id, day, student_id, step);

-- A closed day (滞留学生 check passed).
CREATE TABLE pickup_day_closes (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  day TEXT NOT NULL,
  present INTEGER NOT NULL,
  closed_by BIGINT NOT NULL,
  closed_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX pickup_day_closes_key ON pickup_day_closes(school_id, day);
