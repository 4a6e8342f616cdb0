-- Attendance (issue 13 §1, R-DAY-1/2) and the notification outbox (§6).
-- A session is (section, date, band): the section's weekly slot on a teaching day of the term.

-- One row per child per session: the roll call's mark (present, late, absent, leave).
CREATE TABLE attendance_marks (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  section_id BIGINT NOT NULL REFERENCES sections(id),
  day TEXT NOT NULL,                 -- 'YYYY-MM-DD' school-local
  band TEXT NOT NULL,                -- morning|noon|after_school|evening
  student_id BIGINT NOT NULL REFERENCES students(id),
  status TEXT NOT NULL CHECK (status IN ('present','late','absent','leave')),
  by_user_id BIGINT,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX attendance_marks_key ON attendance_marks(school_id, section_id, day, band, student_id);
CREATE INDEX attendance_marks_day ON attendance_marks(school_id, day);

-- Card readers and gate devices: their own key (only its hash is stored), managed by the office.
CREATE TABLE attendance_devices (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT
);
CREATE INDEX attendance_devices_school ON attendance_devices(school_id);

-- Campus cards: card number -> child.
CREATE TABLE attendance_cards (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  card_no TEXT NOT NULL,
  student_id BIGINT NOT NULL REFERENCES students(id),
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX attendance_cards_no ON attendance_cards(school_id, card_no);

-- Swipes as received. (school, device, uid) is unique: a resent swipe is stored once.
CREATE TABLE attendance_swipes (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  device_id BIGINT NOT NULL REFERENCES attendance_devices(id),
  uid TEXT NOT NULL,
  card_no TEXT NOT NULL,
  student_id BIGINT REFERENCES students(id),  -- NULL: unknown card
  at_ms BIGINT NOT NULL,                      -- the device's time of the swipe
  day TEXT NOT NULL,                          -- school-local date of at_ms
  received_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX attendance_swipes_uid ON attendance_swipes(school_id, device_id, uid);
CREATE INDEX attendance_swipes_day ON attendance_swipes(school_id, day, student_id);

-- Leave requests from guardians (R-DAY-2). sections: comma list of section ids, '' = every session.
CREATE TABLE leave_requests (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  student_id BIGINT NOT NULL REFERENCES students(id),
  guardian_id BIGINT NOT NULL REFERENCES guardians(id),
  from_date TEXT NOT NULL,
  to_date TEXT NOT NULL,
  sections TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','cancelled')),
  created_at BIGINT NOT NULL
);
CREATE INDEX leave_requests_student ON leave_requests(school_id, student_id, from_date);

-- Absent without leave: one alert per child per session, on the office's live board until resolved.
CREATE TABLE absence_alerts (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  section_id BIGINT NOT NULL REFERENCES sections(id),
  day TEXT NOT NULL,
  band TEXT NOT NULL,
  student_id BIGINT NOT NULL REFERENCES students(id),
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','resolved')),
  note TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  resolved_by BIGINT,
  resolved_at BIGINT
);
CREATE UNIQUE INDEX absence_alerts_key ON absence_alerts(school_id, section_id, day, band, student_id);
CREATE INDEX absence_alerts_open ON absence_alerts(school_id, status);

-- Notification outbox (issue 13 §6): written in the event's transaction; event_key unique so
-- nothing is queued (or sent) twice for one event and recipient.
CREATE TABLE notify_outbox (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  event_key TEXT NOT NULL,
  channel TEXT NOT NULL DEFAULT 'in_app',
  recipient_kind TEXT NOT NULL CHECK (recipient_kind IN ('guardian','staff')),
  recipient_id BIGINT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  sent_at BIGINT
);
CREATE UNIQUE INDEX notify_outbox_event ON notify_outbox(school_id, event_key, recipient_kind, recipient_id);
CREATE INDEX notify_outbox_pending ON notify_outbox(status, id);
