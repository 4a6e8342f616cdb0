-- Issue 10 §4 (session 12): the revocation log behind the session cache (see the PostgreSQL half,
-- 0240_session_revocations.postgresql.sql). SQLite commits one writer at a time, so ids
-- (AUTOINCREMENT: never reused, even after old rows are pruned) are in commit order and a server
-- reads the rows after the last id it saw; this is how a `kehou user disable` run from the command
-- line reaches a running server.
CREATE TABLE session_revocations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  xid BIGINT NOT NULL DEFAULT 0,
  at BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  token_hash TEXT
);
CREATE INDEX session_revocations_at ON session_revocations(at);

CREATE TRIGGER sessions_revoke_update AFTER UPDATE ON sessions
BEGIN
  INSERT INTO session_revocations (at, user_id, token_hash)
    VALUES (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), OLD.user_id, OLD.token_hash);
  DELETE FROM session_revocations WHERE at < CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) - 86400000;
END;
CREATE TRIGGER sessions_revoke_delete AFTER DELETE ON sessions
BEGIN
  INSERT INTO session_revocations (at, user_id, token_hash)
    VALUES (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), OLD.user_id, OLD.token_hash);
  DELETE FROM session_revocations WHERE at < CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) - 86400000;
END;
CREATE TRIGGER users_revoke_update AFTER UPDATE ON users
BEGIN
  INSERT INTO session_revocations (at, user_id, token_hash)
    VALUES (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), OLD.id, NULL);
END;
CREATE TRIGGER users_revoke_delete AFTER DELETE ON users
BEGIN
  INSERT INTO session_revocations (at, user_id, token_hash)
    VALUES (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), OLD.id, NULL);
END;
