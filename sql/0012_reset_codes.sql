-- One-time reset codes (issue 10): a guardian whose children go to several schools gets their
-- password back only themselves. In production the code goes to the guardian's mobile by SMS; in
-- the demo the office prints it and hands it over in person. Only a BLAKE2b hash is stored; a code
-- works once, for kResetCodeMs, and a new code ends the older ones.
CREATE TABLE reset_codes (
  id {{PK}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  code_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT,
  created_by BIGINT,
  school_id BIGINT
);
CREATE INDEX reset_codes_user ON reset_codes(user_id, expires_at);
