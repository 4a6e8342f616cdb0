-- The day (school-local, UTC+8 as core/time.h) and instant of the reclassification of 0311; dropped there.
CREATE TABLE ledger_reclass_clock (day TEXT NOT NULL, at_ms BIGINT NOT NULL);
INSERT INTO ledger_reclass_clock (day, at_ms)
  VALUES (date('now', '+8 hours'), CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
