-- Who read which list of children's or guardians' personal data (issue 10): one row per list
-- read (GET /students, /classes/:id/students, /guardians, /sections/:id/roster): who, which
-- list with which filters, how many rows, which fields came in full. Kept apart from audit_log,
-- whose highest id per school is the data version the class-list cache relies on (ARCHITECTURE
-- note 8). GET /audit?action=read_list shows these rows. Exports stay in audit_log ("export").
CREATE TABLE read_log (
  id {{PK}},
  school_id BIGINT,
  user_id BIGINT,
  user_name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL DEFAULT '',
  at BIGINT NOT NULL,
  list TEXT NOT NULL,                  -- students, class_students, guardians, section_roster
  query TEXT NOT NULL DEFAULT '',      -- the filters and page, e.g. "class_id=3&page=2"
  row_count INTEGER NOT NULL,
  full_fields TEXT NOT NULL DEFAULT '',  -- personal fields shown unmasked, e.g. "id_number,guardian_mobile"
  client TEXT NOT NULL DEFAULT '',
  request_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX read_log_school_at ON read_log(school_id, at);
