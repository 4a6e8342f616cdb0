-- Notices to one user about their own account (issue 10): a change another person made to it
-- (role, disabled, password reset, ...). GET /auth/me returns the recent ones, so the affected
-- user sees who changed what at their next login. Written in the same transaction as the change
-- and its audit row.
CREATE TABLE user_notices (
  id {{PK}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  school_id BIGINT,
  at BIGINT NOT NULL,
  kind TEXT NOT NULL,                  -- role_changed, disabled, enabled, password_reset, created, renamed
  message TEXT NOT NULL,               -- zh-CN, shown as is
  by_user_id BIGINT,
  by_name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX user_notices_user ON user_notices(user_id, at);
