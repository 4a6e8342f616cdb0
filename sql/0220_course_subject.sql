-- Subject courses (issue 11, R-CRS 3): the school subject a course tutors (语文, 数学, ...), '' for
-- an extension (non-subject) course. A course naming a subject is Q&A only (subject_qa = 1) and
-- never a fee-charging extension course (catalog::ValidateCourse).
ALTER TABLE courses ADD COLUMN subject TEXT NOT NULL DEFAULT '';
