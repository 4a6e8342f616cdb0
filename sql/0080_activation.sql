-- 0080 guardian account activation (issue 11): a guardian of an imported student activates their
-- own account with their mobile and a one-time code, sent by SMS (through the notification
-- outbox) or printed on an activation letter by the school. Only the code's hash is kept.
-- Portable SQL (SQLite 3.40 and PostgreSQL 15). {{PK}} is a 64-bit auto id primary key.
CREATE TABLE activation_codes (
  id {{PK}},
  guardian_id BIGINT NOT NULL REFERENCES guardians(id),
  school_id BIGINT NOT NULL REFERENCES schools(id),  -- the school whose outbox or letter carried it
  channel TEXT NOT NULL CHECK (channel IN ('sms','letter')),
  code_hash TEXT NOT NULL,
  created_by BIGINT,                                  -- users.id of the office that printed a letter
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE INDEX activation_codes_guardian ON activation_codes(guardian_id, created_at);
CREATE INDEX activation_codes_school ON activation_codes(school_id, channel, created_at);
