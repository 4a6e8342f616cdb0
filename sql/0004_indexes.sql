-- 0004 indexes: the school's highest audit id is read as a data version (cached class lists);
-- index makes MAX(id) per school one index probe.
CREATE INDEX audit_school_id ON audit_log(school_id, id);

-- One current term per school, even when two writes race on PostgreSQL.
CREATE UNIQUE INDEX terms_one_current ON terms(school_id) WHERE is_current = 1;
