-- Double-entry ledger (issue 14 §3, R-FEE-4): the chart of accounts, journal entries from a source
-- document (bill, payment, refund, pay run, expense, income) and their lines. Money is integer fen.
-- Entries are never edited: a mistake is undone by a reversal entry that references the original
-- (reverses_id, at most one reversal per entry). The ledger service checks every entry balances.

-- The chart of accounts (one for every school; ledger::kAcct* name the codes). kind decides the
-- normal side (asset/expense: debit; liability/income: credit); line is the budget and disclosure
-- line the account adds to ('' for balance-sheet accounts).
CREATE TABLE ledger_accounts (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('asset','liability','income','expense')),
  line TEXT NOT NULL DEFAULT '',
  sort INTEGER NOT NULL
);
INSERT INTO ledger_accounts (code, name, name_en, kind, line, sort) VALUES
  ('1001', '库存现金', 'Cash on hand', 'asset', '', 10),
  ('1002', '银行存款', 'Bank', 'asset', '', 20),
  ('1012', '微信支付待清算', 'WeChat Pay clearing', 'asset', '', 30),
  ('1013', '支付宝待清算', 'Alipay clearing', 'asset', '', 40),
  ('1122', '应收课后服务费', 'Fees receivable', 'asset', '', 50),
  ('2202', '应付机构服务费', 'Payable to institutions', 'liability', '', 60),
  ('2211', '应付教师课后服务补助', 'Teacher pay payable', 'liability', '', 70),
  ('2241', '应付退费', 'Refunds payable', 'liability', '', 80),
  ('4101', '课后服务费收入', 'Service fee income', 'income', 'fee_income', 110),
  ('4102', '材料费收入', 'Materials fee income', 'income', 'materials_income', 120),
  ('4108', '减免', 'Exemptions and reductions', 'income', 'reductions', 130),
  ('4109', '退费', 'Refunds', 'income', 'refunds', 140),
  ('4201', '财政补助收入', 'Government subsidies', 'income', 'subsidy', 150),
  ('5101', '教师课后服务补助', 'Teacher subsidies and pay', 'expense', 'teacher_pay', 210),
  ('5102', '材料支出', 'Materials', 'expense', 'materials', 220),
  ('5103', '场地维护', 'Venue upkeep', 'expense', 'venue', 230),
  ('5104', '机构服务费', 'Institution payments', 'expense', 'institutions', 240),
  ('5199', '其他支出', 'Other expenses', 'expense', 'other', 250);

-- A journal entry: dated (school-local YYYY-MM-DD), in a term, from one source document.
-- source_type/source_id name the document (fee_bills, fee_payments, fee_refunds, a pay run, an
-- expense of ledger_documents); source_ref is its outside reference (invoice number, transaction id).
CREATE TABLE ledger_entries (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  term_id BIGINT NOT NULL REFERENCES terms(id),
  entry_date TEXT NOT NULL,
  source_type TEXT NOT NULL CHECK (source_type IN ('bill','payment','refund','pay_run','expense','income','reversal')),
  source_id BIGINT NOT NULL,
  source_ref TEXT NOT NULL DEFAULT '',
  memo TEXT NOT NULL DEFAULT '',
  reverses_id BIGINT REFERENCES ledger_entries(id),
  total_fen BIGINT NOT NULL CHECK (total_fen > 0),
  created_by BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX ledger_entries_term ON ledger_entries(school_id, term_id, entry_date);
CREATE INDEX ledger_entries_source ON ledger_entries(school_id, source_type, source_id);
CREATE UNIQUE INDEX ledger_entries_reversal ON ledger_entries(reverses_id);

CREATE TABLE ledger_lines (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  entry_id BIGINT NOT NULL REFERENCES ledger_entries(id),
  account_code TEXT NOT NULL REFERENCES ledger_accounts(code),
  debit_fen BIGINT NOT NULL CHECK (debit_fen >= 0),
  credit_fen BIGINT NOT NULL CHECK (credit_fen >= 0),
  CHECK ((debit_fen > 0 AND credit_fen = 0) OR (debit_fen = 0 AND credit_fen > 0))
);
CREATE INDEX ledger_lines_entry ON ledger_lines(school_id, entry_id);
CREATE INDEX ledger_lines_account ON ledger_lines(school_id, account_code);

-- Documents the office enters by hand: an expense (with its invoice number) or an income such as a
-- government subsidy; each posts one entry (source_type expense/income, source_id this id).
CREATE TABLE ledger_documents (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  term_id BIGINT NOT NULL REFERENCES terms(id),
  kind TEXT NOT NULL CHECK (kind IN ('expense','income')),
  doc_date TEXT NOT NULL,
  account_code TEXT NOT NULL REFERENCES ledger_accounts(code),
  via_code TEXT NOT NULL REFERENCES ledger_accounts(code),
  amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
  invoice_no TEXT NOT NULL,
  payee TEXT NOT NULL DEFAULT '',
  memo TEXT NOT NULL DEFAULT '',
  created_by BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX ledger_documents_term ON ledger_documents(school_id, term_id);

-- The budget per term by line (R-FEE-5).
CREATE TABLE ledger_budgets (
  school_id BIGINT NOT NULL REFERENCES schools(id),
  term_id BIGINT NOT NULL REFERENCES terms(id),
  line TEXT NOT NULL,
  amount_fen BIGINT NOT NULL CHECK (amount_fen >= 0),
  updated_by BIGINT,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (school_id, term_id, line)
);

-- Final accounts (决算) of a term: prepared by the office (a snapshot of budget and actual by line),
-- approved by the leadership; once approved the term is closed and takes no more entries.
CREATE TABLE ledger_final_accounts (
  school_id BIGINT NOT NULL REFERENCES schools(id),
  term_id BIGINT NOT NULL REFERENCES terms(id),
  status TEXT NOT NULL CHECK (status IN ('prepared','approved')),
  snapshot TEXT NOT NULL,
  prepared_by BIGINT,
  prepared_at BIGINT NOT NULL,
  approved_by BIGINT,
  approver_name TEXT NOT NULL DEFAULT '',
  approved_at BIGINT,
  PRIMARY KEY (school_id, term_id)
);

-- Monthly public disclosures (公示): a frozen snapshot once published. cutoff_entry_id is the last
-- entry it includes; an entry dated in an already disclosed month but posted later shows as a
-- correction on the next disclosure.
CREATE TABLE ledger_disclosures (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  term_id BIGINT NOT NULL REFERENCES terms(id),
  month TEXT NOT NULL,
  cutoff_entry_id BIGINT NOT NULL,
  snapshot TEXT NOT NULL,
  published_by BIGINT,
  published_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ledger_disclosures_month ON ledger_disclosures(school_id, term_id, month);
