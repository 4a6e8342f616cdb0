-- Refunds (issue 14 §2, R-FEE-3): paid but never attended -> full; leaving mid-term -> the unused
-- part by school days remaining; a course the school cancelled -> that course's fee. The office
-- requests (reason, amount computed by fees::RefundFen), a leader approves; amounts in fen.
CREATE TABLE fee_refunds (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  bill_id BIGINT NOT NULL REFERENCES fee_bills(id),
  kind TEXT NOT NULL CHECK (kind IN ('full','prorated','course')),
  amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),
  reason TEXT NOT NULL,
  effective_date TEXT,                   -- prorated: the first day not used
  course_id BIGINT,                      -- course: the cancelled course
  status TEXT NOT NULL CHECK (status IN ('requested','approved')),
  requested_by BIGINT,
  approved_by BIGINT,
  approver_name TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  approved_at BIGINT
);
CREATE INDEX fee_refunds_bill ON fee_refunds(school_id, bill_id);
