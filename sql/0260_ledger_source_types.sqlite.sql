-- Suspense steps get their own source types (issue 14 §2-3): a callback held in 2249 待查明款项
-- (suspense_in), matched to a bill (suspense_match) or sent back to the payer (suspense_refund),
-- each with source_id = fee_exceptions.id and source_ref = the callback's transaction id. Until now
-- they posted as income/expense documents because SQLite cannot widen a CHECK constraint in place.
-- SQLite's half: ledger_entries is rebuilt inside this migration's transaction. Its never-edit
-- triggers are dropped with the table and recreated (0121's text). Foreign keys stay on:
-- defer_foreign_keys lets the lines (and reversals) point at no row between the DROP and the copy
-- back; every row is back before COMMIT, when SQLite checks them. Old rows keep their ids.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE ledger_entries_copy AS SELECT * FROM ledger_entries;
DROP TABLE ledger_entries;
CREATE TABLE ledger_entries (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  term_id BIGINT NOT NULL REFERENCES terms(id),
  entry_date TEXT NOT NULL,
  source_type TEXT NOT NULL CHECK (source_type IN ('bill','payment','refund','pay_run','expense','income','reversal',
                                                   'suspense_in','suspense_match','suspense_refund')),
  source_id BIGINT NOT NULL,
  source_ref TEXT NOT NULL DEFAULT '',
  memo TEXT NOT NULL DEFAULT '',
  reverses_id BIGINT REFERENCES ledger_entries(id),
  total_fen BIGINT NOT NULL CHECK (total_fen > 0),
  created_by BIGINT,
  created_at BIGINT NOT NULL
);
INSERT INTO ledger_entries (id, school_id, term_id, entry_date, source_type, source_id, source_ref, memo, reverses_id,
                            total_fen, created_by, created_at)
  SELECT id, school_id, term_id, entry_date, source_type, source_id, source_ref, memo, reverses_id, total_fen,
         created_by, created_at FROM ledger_entries_copy ORDER BY id;
DROP TABLE ledger_entries_copy;
CREATE INDEX ledger_entries_term ON ledger_entries(school_id, term_id, entry_date);
CREATE INDEX ledger_entries_source ON ledger_entries(school_id, source_type, source_id);
CREATE UNIQUE INDEX ledger_entries_reversal ON ledger_entries(reverses_id);
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are never edited: post a reversal'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are never deleted: post a reversal'); END;
