-- Books of the old rule are reclassified to the received basis of 0262. Until then a bill posted its
-- fees as income when billed (Dr 1122 due, Dr 4108 its exemption / Cr 4101 service, Cr 4102
-- materials) and a payment only moved the receivable (Dr clearing / Cr 1122). Entries are never
-- edited: new entries, each with an audit row, bring every document to what the new rule posts
-- (src/fees/ledger_posts.cpp), so the balances are the new rule's:
--  - a bill with an entry of the old rule: one entry (source bill, the bill) of the difference, account
--    by account, between the new rule's Dr 1122 / Cr 2205 of its due and what its bill entries and
--    their reversals hold now (so a later refresh of the bill, ledger::PostToTarget, sees it right);
--  - a payment posted without its 2205 line (and not reversed): one entry (source payment, the
--    payment) Dr 2205 its amount / Cr 4102 its materials part (materials first, as
--    fees::MaterialsReceivedFen with the payments before it) and Cr 4101 the rest.
-- Dated the day of the migration (ledger_reclass_clock of 0310) in the document's term; a term whose
-- final accounts are approved is frozen and left as it is. A database without old-rule rows gets nothing.

-- Per old bill and account, the debit (negative: credit) that brings its bill entries to the new rule.
CREATE TEMP TABLE reclass_bill_lines AS
SELECT b.id AS bill_id, b.school_id, b.term_id, a.code AS account_code,
  (CASE a.code WHEN '1122' THEN b.gross_fen - b.reduction_fen WHEN '2205' THEN b.reduction_fen - b.gross_fen ELSE 0 END)
  - COALESCE((SELECT SUM(l.debit_fen - l.credit_fen) FROM ledger_entries e JOIN ledger_lines l
                ON l.entry_id = e.id AND l.school_id = e.school_id
              WHERE e.school_id = b.school_id AND l.account_code = a.code
                AND ((e.source_type = 'bill' AND e.source_id = b.id)
                  OR e.reverses_id IN (SELECT o.id FROM ledger_entries o WHERE o.school_id = b.school_id
                                         AND o.source_type = 'bill' AND o.source_id = b.id))), 0) AS debit_net
FROM fee_bills b CROSS JOIN ledger_accounts a
WHERE EXISTS (SELECT 1 FROM ledger_entries e JOIN ledger_lines l ON l.entry_id = e.id AND l.school_id = e.school_id
              WHERE e.school_id = b.school_id AND e.source_type = 'bill' AND e.source_id = b.id
                AND l.account_code IN ('4101', '4102', '4108'))
  AND NOT EXISTS (SELECT 1 FROM ledger_final_accounts f WHERE f.school_id = b.school_id AND f.term_id = b.term_id
                    AND f.status = 'approved');
DELETE FROM reclass_bill_lines WHERE debit_net = 0;

-- Per old payment: its amount and its materials part (the bill's materials, at most its due, are
-- received first: covered(before + amount) - covered(before), covered(x) = min(x, materials)).
CREATE TEMP TABLE reclass_payments AS
SELECT payment_id, school_id, term_id, transaction_id, amount_fen,
  (CASE WHEN before_fen + amount_fen < m THEN before_fen + amount_fen ELSE m END)
  - (CASE WHEN before_fen < m THEN before_fen ELSE m END) AS materials_fen
FROM (SELECT p.id AS payment_id, p.school_id, b.term_id, p.transaction_id, p.amount_fen,
        (SELECT COALESCE(SUM(q.amount_fen), 0) FROM fee_payments q WHERE q.bill_id = p.bill_id AND q.id < p.id) AS before_fen,
        CASE WHEN mat.fen IS NULL OR mat.fen <= 0 OR b.gross_fen - b.reduction_fen <= 0 THEN 0
             WHEN mat.fen < b.gross_fen - b.reduction_fen THEN mat.fen ELSE b.gross_fen - b.reduction_fen END AS m
      FROM fee_payments p JOIN fee_bills b ON b.id = p.bill_id
      LEFT JOIN (SELECT bl.bill_id, SUM(CASE WHEN bl.kind = 'materials' THEN bl.amount_fen ELSE 0 END) AS fen
                 FROM fee_bill_lines bl GROUP BY bl.bill_id) mat ON mat.bill_id = b.id
      WHERE EXISTS (SELECT 1 FROM ledger_entries e WHERE e.school_id = p.school_id AND e.source_type = 'payment'
                      AND e.source_id = p.id)
        AND NOT EXISTS (SELECT 1 FROM ledger_entries e JOIN ledger_lines l ON l.entry_id = e.id AND l.school_id = e.school_id
                        WHERE e.school_id = p.school_id AND e.source_type = 'payment' AND e.source_id = p.id
                          AND l.account_code = '2205')
        AND NOT EXISTS (SELECT 1 FROM ledger_entries e JOIN ledger_entries r ON r.reverses_id = e.id
                        WHERE e.school_id = p.school_id AND e.source_type = 'payment' AND e.source_id = p.id)
        AND NOT EXISTS (SELECT 1 FROM ledger_final_accounts f WHERE f.school_id = b.school_id AND f.term_id = b.term_id
                          AND f.status = 'approved')) x;

-- The entries: one per bill, one per payment.
INSERT INTO ledger_entries (school_id, term_id, entry_date, source_type, source_id, source_ref, memo, total_fen, created_at)
SELECT x.school_id, x.term_id, k.day, 'bill', x.bill_id, '', '按收到时确认收入重分类（原出账即记收入，sql/0311）',
  SUM(CASE WHEN x.debit_net > 0 THEN x.debit_net ELSE 0 END), k.at_ms
FROM reclass_bill_lines x CROSS JOIN ledger_reclass_clock k
GROUP BY x.school_id, x.term_id, x.bill_id, k.day, k.at_ms;
INSERT INTO ledger_entries (school_id, term_id, entry_date, source_type, source_id, source_ref, memo, total_fen, created_at)
SELECT x.school_id, x.term_id, k.day, 'payment', x.payment_id, x.transaction_id,
  '按收到时确认收入重分类（原缴费未转收入，sql/0311）', x.amount_fen, k.at_ms
FROM reclass_payments x CROSS JOIN ledger_reclass_clock k;

-- Their lines, found by the entry's document, memo and instant.
INSERT INTO ledger_lines (school_id, entry_id, account_code, debit_fen, credit_fen)
SELECT x.school_id, e.id, x.account_code, CASE WHEN x.debit_net > 0 THEN x.debit_net ELSE 0 END,
  CASE WHEN x.debit_net < 0 THEN -x.debit_net ELSE 0 END
FROM reclass_bill_lines x JOIN ledger_entries e ON e.school_id = x.school_id AND e.source_type = 'bill'
  AND e.source_id = x.bill_id AND e.memo = '按收到时确认收入重分类（原出账即记收入，sql/0311）'
  AND e.created_at = (SELECT at_ms FROM ledger_reclass_clock);
INSERT INTO ledger_lines (school_id, entry_id, account_code, debit_fen, credit_fen)
SELECT x.school_id, e.id, y.account_code, y.debit_fen, y.credit_fen
FROM reclass_payments x JOIN ledger_entries e ON e.school_id = x.school_id AND e.source_type = 'payment'
  AND e.source_id = x.payment_id AND e.memo = '按收到时确认收入重分类（原缴费未转收入，sql/0311）'
  AND e.created_at = (SELECT at_ms FROM ledger_reclass_clock)
JOIN (SELECT payment_id, '2205' AS account_code, amount_fen AS debit_fen, 0 AS credit_fen FROM reclass_payments
      UNION ALL SELECT payment_id, '4101', 0, amount_fen - materials_fen FROM reclass_payments WHERE amount_fen > materials_fen
      UNION ALL SELECT payment_id, '4102', 0, materials_fen FROM reclass_payments WHERE materials_fen > 0) y
  ON y.payment_id = x.payment_id;

-- An audit row for each (the migration is the actor).
INSERT INTO audit_log (school_id, user_id, user_name, at, action, entity, entity_id, before_json, after_json, client, request_id)
SELECT e.school_id, NULL, 'sql/0311', e.created_at, 'reclassify', 'ledger_entry', e.id, NULL,
  '{"source_type":"' || e.source_type || '","source_id":' || e.source_id || ',"total_fen":' || e.total_fen || '}',
  'kehou migrate', ''
FROM ledger_entries e WHERE e.created_at = (SELECT at_ms FROM ledger_reclass_clock)
  AND e.memo IN ('按收到时确认收入重分类（原出账即记收入，sql/0311）', '按收到时确认收入重分类（原缴费未转收入，sql/0311）');

DROP TABLE reclass_bill_lines;
DROP TABLE reclass_payments;
DROP TABLE ledger_reclass_clock;
