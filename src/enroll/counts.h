#pragma once
// Figures of registration for the workbench (home pages): applications of one term by status, and
// the school's active students. Plain reads, one grouped query each; thread-safe as Db is.
#include <cstdint>
#include <optional>

#include "db/db.h"

namespace kehou::enroll {

struct TermCounts {
  int64_t students = 0;        // active students (of the class teacher's classes when asked)
  int64_t draft = 0;           // applications started, not submitted
  int64_t submitted = 0;       // waiting for the class teacher
  int64_t class_approved = 0;  // waiting for the principal
  int64_t approved = 0;        // enrolled
  int64_t returned = 0;        // back with the family
  int64_t rejected = 0;
  int64_t exited = 0;  // exits recorded for the term
};

// Counts of one school and term; with class_teacher_staff_id, only the classes that teacher leads.
TermCounts CountTerm(db::Conn& c, int64_t school_id, int64_t term_id,
                     std::optional<int64_t> class_teacher_staff_id = std::nullopt);

}  // namespace kehou::enroll
