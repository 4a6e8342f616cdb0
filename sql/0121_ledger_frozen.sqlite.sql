-- The ledger is never edited (issue 14 §3): entries and their lines are corrected only by a reversal
-- entry, and a published disclosure is a frozen snapshot (a correction shows on the next one). The
-- database refuses an UPDATE or DELETE of those rows, whoever writes them. SQLite's half.
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are never edited: post a reversal'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN SELECT RAISE(ABORT, 'ledger entries are never deleted: post a reversal'); END;
CREATE TRIGGER ledger_lines_no_update BEFORE UPDATE ON ledger_lines
BEGIN SELECT RAISE(ABORT, 'ledger lines are never edited: post a reversal'); END;
CREATE TRIGGER ledger_lines_no_delete BEFORE DELETE ON ledger_lines
BEGIN SELECT RAISE(ABORT, 'ledger lines are never deleted: post a reversal'); END;
CREATE TRIGGER ledger_disclosures_no_update BEFORE UPDATE ON ledger_disclosures
BEGIN SELECT RAISE(ABORT, 'a published disclosure is frozen: corrections go on the next one'); END;
CREATE TRIGGER ledger_disclosures_no_delete BEFORE DELETE ON ledger_disclosures
BEGIN SELECT RAISE(ABORT, 'a published disclosure is frozen: corrections go on the next one'); END;
