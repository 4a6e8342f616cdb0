-- Fees and bills (issue 14 §1-2, R-FEE-1..3). Money is integer fen everywhere.

-- The school's fee settings: the teaching weeks in which payment is open (policy 001 五(四)2:
-- weeks 3-4 of the term; fees::kPayFromWeek / kPayToWeek are the defaults when there is no row).
CREATE TABLE fee_settings (
  school_id BIGINT PRIMARY KEY REFERENCES schools(id),
  pay_from_week INTEGER NOT NULL CHECK (pay_from_week BETWEEN 1 AND 30),
  pay_to_week INTEGER NOT NULL CHECK (pay_to_week BETWEEN 1 AND 30),
  updated_at BIGINT NOT NULL
);

-- Fee standards set by the price authority, per school and term: the basic service fee, each
-- extension course's own fee, materials. course_key is the course id for kind 'course', else 0
-- (so one basic and one materials standard per term).
CREATE TABLE fee_standards (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  term_id BIGINT NOT NULL REFERENCES terms(id),
  kind TEXT NOT NULL CHECK (kind IN ('basic','course','materials')),
  course_key BIGINT NOT NULL DEFAULT 0,
  name TEXT NOT NULL,
  amount_fen BIGINT NOT NULL CHECK (amount_fen >= 0),
  doc_ref TEXT NOT NULL,                 -- the price authority's document, e.g. 青价费〔2026〕12号
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX fee_standards_one ON fee_standards(school_id, term_id, kind, course_key);

-- One bill per child per term (the billing period is the term, never across terms).
CREATE TABLE fee_bills (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  term_id BIGINT NOT NULL REFERENCES terms(id),
  student_id BIGINT NOT NULL REFERENCES students(id),
  gross_fen BIGINT NOT NULL CHECK (gross_fen >= 0),
  reduction_fen BIGINT NOT NULL DEFAULT 0 CHECK (reduction_fen >= 0 AND reduction_fen <= gross_fen),
  paid_fen BIGINT NOT NULL DEFAULT 0 CHECK (paid_fen >= 0),
  status TEXT NOT NULL CHECK (status IN ('unpaid','paid','exempted')),
  issued_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX fee_bills_one ON fee_bills(school_id, term_id, student_id);
CREATE INDEX fee_bills_status ON fee_bills(school_id, term_id, status);

CREATE TABLE fee_bill_lines (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  bill_id BIGINT NOT NULL REFERENCES fee_bills(id),
  kind TEXT NOT NULL CHECK (kind IN ('basic','course','materials')),
  standard_id BIGINT REFERENCES fee_standards(id),
  name TEXT NOT NULL,
  amount_fen BIGINT NOT NULL CHECK (amount_fen >= 0)
);
CREATE INDEX fee_bill_lines_bill ON fee_bill_lines(bill_id);

-- Exemptions and reductions decided by the leadership group (004), recorded with who decided,
-- when, and the decision's reference.
CREATE TABLE fee_exemptions (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  bill_id BIGINT NOT NULL REFERENCES fee_bills(id),
  category TEXT NOT NULL CHECK (category IN ('left_behind','low_income','disability','other')),
  mode TEXT NOT NULL CHECK (mode IN ('full','amount','percent')),
  value BIGINT NOT NULL DEFAULT 0,       -- fen for 'amount', percent for 'percent'
  reason TEXT NOT NULL DEFAULT '',
  decided_by TEXT NOT NULL,              -- the leadership group meeting / who decided
  decided_on TEXT NOT NULL,              -- YYYY-MM-DD
  decision_ref TEXT NOT NULL,            -- the minutes' reference
  recorded_by BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX fee_exemptions_bill ON fee_exemptions(bill_id);

-- A late payment window the office opened for a term (audited).
CREATE TABLE fee_late_windows (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  term_id BIGINT NOT NULL REFERENCES terms(id),
  opens_on TEXT NOT NULL,
  closes_on TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_by BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX fee_late_windows_term ON fee_late_windows(school_id, term_id);

-- Payments: channel, the provider's (or the office's receipt) transaction reference, time.
CREATE TABLE fee_payments (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  bill_id BIGINT NOT NULL REFERENCES fee_bills(id),
  channel TEXT NOT NULL CHECK (channel IN ('wechat','alipay','bank','cash')),
  transaction_id TEXT NOT NULL,
  amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
  paid_at BIGINT NOT NULL,
  recorded_by BIGINT,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX fee_payments_txn ON fee_payments(channel, transaction_id);
CREATE INDEX fee_payments_bill ON fee_payments(bill_id);

-- Verified provider callbacks that match no bill (unknown order, amount differs, bill already
-- paid, not a success): the office's exceptions queue.
CREATE TABLE fee_exceptions (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  channel TEXT NOT NULL,
  transaction_id TEXT NOT NULL,
  out_trade_no TEXT NOT NULL DEFAULT '',
  bill_id BIGINT,
  amount_fen BIGINT NOT NULL DEFAULT 0,
  reason_code TEXT NOT NULL,
  reason TEXT NOT NULL,
  payload TEXT NOT NULL,                 -- the decrypted resource (JSON)
  received_at BIGINT NOT NULL,
  resolved_at BIGINT,
  resolved_by BIGINT,
  resolution TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX fee_exceptions_txn ON fee_exceptions(school_id, channel, transaction_id);

-- The school's payment merchant (WeChat Pay API v3): merchant id, API v3 key (AEAD key of the
-- callbacks' resource) and the platform public key with its serial. test_private_pem is set only
-- for the local test provider (it signs the callbacks it sends); never for a real merchant.
CREATE TABLE fee_merchants (
  school_id BIGINT PRIMARY KEY REFERENCES schools(id),
  mchid TEXT NOT NULL,
  appid TEXT NOT NULL DEFAULT '',
  api_v3_key TEXT NOT NULL,
  platform_serial TEXT NOT NULL,
  platform_public_pem TEXT NOT NULL,
  test_private_pem TEXT,
  created_at BIGINT NOT NULL
);
