-- 0006 allocation input: the exact input of a preference round's allocation (sections with the
-- seats left at that moment, children with grade, priority flag and ranked list, options) as
-- JSON, written in the allocation's transaction. `kehou allocate --verify` and
-- GET /api/v1/rounds/:id/verification re-run the allocation from it with the revealed seed.
-- (Number 0005 is taken by the course proposals migration.)
ALTER TABLE select_rounds ADD COLUMN allocation_input TEXT;
