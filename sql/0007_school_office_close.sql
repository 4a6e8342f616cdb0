-- The local office closing time (R-SET-2) is entered by each school: a principal's change must
-- not move the other schools of the county. NULL = the area's default (areas.office_close_time).
ALTER TABLE schools ADD COLUMN office_close_time TEXT;
