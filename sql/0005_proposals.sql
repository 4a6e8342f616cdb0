-- 0005 course proposals (课程申报): a teacher or an institution's staff proposes a course with a
-- lesson plan (教案); the course group reviews it (approve, or return with a reason); the
-- leadership approves or rejects it. The proposed course is a row of `courses` whose status
-- follows the proposal (submitted, reviewed, draft while returned, approved, rejected); only
-- approved courses open sections or join rounds. Courses entered directly by the office keep
-- the default 'approved' (0003), so existing and demo courses count as approved.
-- Portable SQL (SQLite 3.40 and PostgreSQL 15). {{PK}} is a 64-bit auto id primary key.

CREATE TABLE course_proposals (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  course_id BIGINT NOT NULL REFERENCES courses(id),
  state TEXT NOT NULL DEFAULT 'draft'
    CHECK (state IN ('draft','submitted','reviewed','returned','approved','rejected')),
  proposer_user_id BIGINT NOT NULL,           -- users.id of the teacher or institution account
  proposer_name TEXT NOT NULL DEFAULT '',
  proposer_kind TEXT NOT NULL DEFAULT 'teacher' CHECK (proposer_kind IN ('teacher','institution','school')),
  submitted_at BIGINT,
  -- the latest decision of each step (every decision is kept in proposal_decisions)
  reviewed_by BIGINT,
  reviewed_by_name TEXT NOT NULL DEFAULT '',
  reviewed_at BIGINT,
  review_reason TEXT NOT NULL DEFAULT '',
  decided_by BIGINT,
  decided_by_name TEXT NOT NULL DEFAULT '',
  decided_at BIGINT,
  decide_reason TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX course_proposals_course ON course_proposals(school_id, course_id);
CREATE INDEX course_proposals_state ON course_proposals(school_id, state, id);
CREATE INDEX course_proposals_proposer ON course_proposals(school_id, proposer_user_id, id);

-- Every step of every proposal: who, when, what, why.
CREATE TABLE proposal_decisions (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  proposal_id BIGINT NOT NULL REFERENCES course_proposals(id),
  step TEXT NOT NULL CHECK (step IN ('submit','review','decide')),
  decision TEXT NOT NULL CHECK (decision IN ('submitted','approved','returned','rejected')),
  reason TEXT NOT NULL DEFAULT '',
  by_user_id BIGINT,
  by_name TEXT NOT NULL DEFAULT '',
  at BIGINT NOT NULL
);
CREATE INDEX proposal_decisions_proposal ON proposal_decisions(school_id, proposal_id, id);

-- Lesson plan files, kept in the database itself (so one backup holds them: the SQLite online
-- backup and pg_dump both include them; nothing on the server's file system to lose or expose).
-- The newest row of a proposal is its current plan. `content` is BYTEA: PostgreSQL's binary
-- type; SQLite accepts the name and stores the bound BLOB as is (the store always writes a
-- BLOB value: CAST(... AS BLOB) on SQLite, decode(..., 'base64') on PostgreSQL).
-- The content type is the one detected from the bytes (PDF, DOCX, PNG, JPEG), never the
-- client's; the 10 MiB limit is catalog::kMaxLessonPlanBytes.
CREATE TABLE lesson_plans (
  id {{PK}},
  school_id BIGINT NOT NULL REFERENCES schools(id),
  proposal_id BIGINT NOT NULL REFERENCES course_proposals(id),
  filename TEXT NOT NULL,
  content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'image/png', 'image/jpeg')),
  size_bytes BIGINT NOT NULL CHECK (size_bytes > 0 AND size_bytes <= 10485760),
  sha256 TEXT NOT NULL,                       -- hex SHA-256 of content
  content BYTEA NOT NULL,
  uploaded_by BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX lesson_plans_proposal ON lesson_plans(school_id, proposal_id, id);
