-- Issue 9: the users page's 最近登录 (auth ListUsers) reads the latest 'login' audit row of each
-- listed account: SELECT user_id, MAX(at) FROM audit_log WHERE action = 'login' AND user_id IN (...)
-- GROUP BY user_id. Without an index on user_id it scanned the school's whole audit log per page.
-- (user_id, action, at) answers each account with one index probe and covers MAX(at) (SQLite:
-- SEARCH audit_log USING COVERING INDEX; PostgreSQL: an index scan on it), both databases.
CREATE INDEX audit_user_action_at ON audit_log(user_id, action, at);
