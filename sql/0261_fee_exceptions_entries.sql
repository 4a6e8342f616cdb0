-- The suspense steps of an exception now post ledger entries of their own source types (0260)
-- instead of ledger documents: the exception records the entry into 2249 (suspense_entry_id) and
-- the entry that settled it (settle_entry_id: the match or the refund to the payer). Exceptions
-- posted before keep their documents (suspense_doc_id, settle_doc_id) and get their entries here.
ALTER TABLE fee_exceptions ADD COLUMN suspense_entry_id BIGINT;
ALTER TABLE fee_exceptions ADD COLUMN settle_entry_id BIGINT;
UPDATE fee_exceptions SET suspense_entry_id = (SELECT e.id FROM ledger_entries e WHERE e.school_id = fee_exceptions.school_id
  AND e.source_type = 'income' AND e.source_id = fee_exceptions.suspense_doc_id)
  WHERE suspense_doc_id IS NOT NULL;
UPDATE fee_exceptions SET settle_entry_id = (SELECT e.id FROM ledger_entries e WHERE e.school_id = fee_exceptions.school_id
  AND e.source_type = 'expense' AND e.source_id = fee_exceptions.settle_doc_id)
  WHERE settle_doc_id IS NOT NULL;
UPDATE fee_exceptions SET settle_entry_id = (SELECT e.id FROM ledger_entries e WHERE e.school_id = fee_exceptions.school_id
  AND e.source_type = 'payment' AND e.source_id = fee_exceptions.payment_id)
  WHERE payment_id IS NOT NULL;
