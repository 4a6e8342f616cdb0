-- 0015 selection fixes (issue 10 §2).
-- An idempotency key remembers what it was sent with: a fingerprint (hash of method, path and
-- body). The same key with another body or to another endpoint is refused (422), not replayed.
-- '' = stored before this migration (replayed as before).
ALTER TABLE select_requests ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
-- The rule a preference round's allocation counts ranks by (select/rules.h RankRules), chosen by
-- the school when it creates the round and shown to families before they rank.
ALTER TABLE select_rounds ADD COLUMN rank_rule TEXT NOT NULL DEFAULT 'equity';
-- A family's own limit for one child in a preference round ("at most one course for this child"
-- when the round allows three), stored with the child's ranking. Absent = the round's limit.
CREATE TABLE select_child_limits (
  school_id BIGINT NOT NULL REFERENCES schools(id),
  round_id BIGINT NOT NULL REFERENCES select_rounds(id),
  student_id BIGINT NOT NULL REFERENCES students(id),
  course_limit INTEGER NOT NULL CHECK (course_limit BETWEEN 1 AND 10),
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (round_id, student_id)
);
