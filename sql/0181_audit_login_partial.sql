-- Issue 10 §4: audit_user_action_at (0072) served one lookup only, the users page's latest login
-- (auth LastLoginsQuery: WHERE action = 'login' AND user_id IN (...)), yet every audited write
-- (a selection night's takes and drops) paid an insert into it. Now partial on the login rows,
-- with the same name and the same plan for that lookup on both databases; other rows skip it.
DROP INDEX audit_user_action_at;
CREATE INDEX audit_user_action_at ON audit_log(user_id, at) WHERE action = 'login';
