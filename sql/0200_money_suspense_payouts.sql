-- Suspense and refund payouts (issue 14 §2-3). A verified callback that lands in the exceptions
-- queue with money taken (order unknown, amount differs, bill already paid, term closed) is posted
-- to 2249 待查明款项 (a ledger document: Dr the channel's clearing / Cr 2249); the office resolves
-- it by matching it to a bill (a payment: Dr 2249 / Cr receivable) or by refunding the payer (a
-- ledger document: Dr 2249 / Cr clearing). Approved refunds are paid out in batches: the office
-- exports the bank file of approved unpaid refunds (a batch), then marks the batch paid, which
-- posts each refund's Dr 2241 refunds payable / Cr 1002 bank.
INSERT INTO ledger_accounts (code, name, name_en, kind, line, sort) VALUES
  ('2249', '待查明款项', 'Unidentified receipts (suspense)', 'liability', '', 85);

ALTER TABLE fee_exceptions ADD COLUMN suspense_doc_id BIGINT;           -- its ledger document into 2249
ALTER TABLE fee_exceptions ADD COLUMN settle_kind TEXT NOT NULL DEFAULT '';  -- match | refund | note
ALTER TABLE fee_exceptions ADD COLUMN payment_id BIGINT;                -- match: the payment made of it
ALTER TABLE fee_exceptions ADD COLUMN settle_doc_id BIGINT;             -- refund: the ledger document out of 2249

CREATE TABLE fee_refund_payouts (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  batch_no TEXT NOT NULL,
  refunds INTEGER NOT NULL,
  total_fen BIGINT NOT NULL CHECK (total_fen > 0),
  status TEXT NOT NULL CHECK (status IN ('exported','paid')),
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  bank_ref TEXT NOT NULL DEFAULT '',
  paid_by BIGINT,
  paid_at BIGINT
);
CREATE UNIQUE INDEX fee_refund_payouts_batch ON fee_refund_payouts(school_id, batch_no);

ALTER TABLE fee_refunds ADD COLUMN payout_id BIGINT REFERENCES fee_refund_payouts(id);
CREATE INDEX fee_refunds_payout ON fee_refunds(school_id, payout_id);
