-- The day (school-local, UTC+8 as core/time.h) and instant of the reclassification of 0311; dropped there.
CREATE TABLE ledger_reclass_clock (day TEXT NOT NULL, at_ms BIGINT NOT NULL);
INSERT INTO ledger_reclass_clock (day, at_ms)
  VALUES (to_char((now() AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD'), (extract(epoch FROM now()) * 1000)::bigint);
