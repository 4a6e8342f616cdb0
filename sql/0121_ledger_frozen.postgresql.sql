-- The ledger is never edited (issue 14 §3): entries and their lines are corrected only by a reversal
-- entry, and a published disclosure is a frozen snapshot (a correction shows on the next one). The
-- database refuses an UPDATE or DELETE of those rows, whoever writes them. PostgreSQL's half.
CREATE FUNCTION kehou_ledger_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'rows of % are never edited or deleted: post a reversal (a disclosure: correct on the next one)', TG_TABLE_NAME;
END $$;
CREATE TRIGGER ledger_entries_frozen BEFORE UPDATE OR DELETE ON ledger_entries
  FOR EACH ROW EXECUTE FUNCTION kehou_ledger_frozen();
CREATE TRIGGER ledger_lines_frozen BEFORE UPDATE OR DELETE ON ledger_lines
  FOR EACH ROW EXECUTE FUNCTION kehou_ledger_frozen();
CREATE TRIGGER ledger_disclosures_frozen BEFORE UPDATE OR DELETE ON ledger_disclosures
  FOR EACH ROW EXECUTE FUNCTION kehou_ledger_frozen();
