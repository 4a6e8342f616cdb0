-- 0131 payment reminders and the daily reconciliation against the provider's statement
-- (issue 14 §1-2). Dates 'YYYY-MM-DD' school-local, money integer fen.

-- One row per bill and day a reminder went out (at most one a day per bill: the unique key).
CREATE TABLE fee_reminders (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  bill_id BIGINT NOT NULL REFERENCES fee_bills(id),
  day TEXT NOT NULL,
  guardians INTEGER NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX fee_reminders_day ON fee_reminders(school_id, bill_id, day);

-- A statement day imported (the latest import of a day replaces the earlier result).
CREATE TABLE fee_reconciliations (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  day TEXT NOT NULL,
  channel TEXT NOT NULL DEFAULT 'wechat',
  rows_read INTEGER NOT NULL,
  matched INTEGER NOT NULL,
  amount_differs INTEGER NOT NULL,
  missing_in_ours INTEGER NOT NULL,
  missing_in_theirs INTEGER NOT NULL,
  statement_fen BIGINT NOT NULL,
  ours_fen BIGINT NOT NULL,
  imported_by BIGINT,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX fee_reconciliations_day ON fee_reconciliations(school_id, channel, day);

-- The lines of a reconciliation that are not plain matches, and the matches (kind matched).
CREATE TABLE fee_reconciliation_items (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  reconciliation_id BIGINT NOT NULL REFERENCES fee_reconciliations(id),
  kind TEXT NOT NULL CHECK (kind IN ('matched','amount_differs','missing_in_ours','missing_in_theirs')),
  transaction_id TEXT NOT NULL,
  out_trade_no TEXT NOT NULL DEFAULT '',
  bill_id BIGINT,
  ours_fen BIGINT,
  theirs_fen BIGINT,
  at_text TEXT NOT NULL DEFAULT ''
);
CREATE INDEX fee_reconciliation_items_rec ON fee_reconciliation_items(school_id, reconciliation_id, kind);
