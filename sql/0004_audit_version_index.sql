-- 0004: the school's highest audit id is read as a data version (cached class lists); this
-- index makes MAX(id) per school one index probe.
CREATE INDEX audit_school_id ON audit_log(school_id, id);
