-- Suspense steps get their own source types (issue 14 §2-3): a callback held in 2249 待查明款项
-- (suspense_in), matched to a bill (suspense_match) or sent back to the payer (suspense_refund),
-- each with source_id = fee_exceptions.id and source_ref = the callback's transaction id.
-- PostgreSQL's half: the CHECK constraint is replaced in place (no row is updated, so the
-- never-edit trigger of 0121 does not fire and stays as it is).
ALTER TABLE ledger_entries DROP CONSTRAINT ledger_entries_source_type_check;
ALTER TABLE ledger_entries ADD CONSTRAINT ledger_entries_source_type_check
  CHECK (source_type IN ('bill','payment','refund','pay_run','expense','income','reversal',
                         'suspense_in','suspense_match','suspense_refund'));
