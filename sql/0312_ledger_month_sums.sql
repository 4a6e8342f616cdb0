-- The monthly disclosure reads sums, not lines (issue 14 §6: a month's page p99 < 50 ms once a paid
-- bill has 7 lines): per school, term, month of the entry date (YYYY-MM) and account, the debits and
-- credits of every line posted. ledger::Post, PostMany and Reverse add to it in the same transaction
-- as the lines they write (rows are only ever added to; the ledger is never edited), so it always
-- equals the lines (the property test checks the disclosure against them). Filled here from the
-- lines already posted.
CREATE TABLE ledger_month_sums (
  school_id BIGINT NOT NULL REFERENCES schools(id),
  term_id BIGINT NOT NULL REFERENCES terms(id),
  month TEXT NOT NULL,
  account_code TEXT NOT NULL REFERENCES ledger_accounts(code),
  debit_fen BIGINT NOT NULL,
  credit_fen BIGINT NOT NULL,
  PRIMARY KEY (school_id, term_id, month, account_code)
);
INSERT INTO ledger_month_sums (school_id, term_id, month, account_code, debit_fen, credit_fen)
  SELECT e.school_id, e.term_id, substr(e.entry_date, 1, 7), l.account_code, SUM(l.debit_fen), SUM(l.credit_fen)
  FROM ledger_lines l JOIN ledger_entries e ON e.id = l.entry_id AND e.school_id = l.school_id
  GROUP BY e.school_id, e.term_id, substr(e.entry_date, 1, 7), l.account_code;
