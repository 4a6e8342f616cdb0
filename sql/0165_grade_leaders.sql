-- Grade leaders (issue 11): a grade's leader (年级组长) is named on the grade, not guessed from the
-- classes a teacher leads. A grade leader's scope (Scope::kGrade) is the grades they lead.
ALTER TABLE grades ADD COLUMN leader_staff_id BIGINT REFERENCES staff(id);
