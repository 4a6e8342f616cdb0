// roster.h (catalog): a section's roster as a file: XLSX (service.h: SectionRosterXlsx) and the
// printable PDF (A4, header row on every page, src/pdf). Both are exports of children's data:
// each leaves one "export" audit row, written in the transaction that read the roster.
// Scope as GET /sections/:id/roster: the office and leadership; a teacher only the sections they
// teach; a class teacher only the children of their own class; the other staff see counts only
// (GET /sections); another school's section is not_found.
// Thread-safety: stateless functions over a thread-safe Db (PDF drawing is serialised in src/pdf).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/principal.h"
#include "catalog/service.h"
#include "core/result.h"
#include "db/db.h"
#include "pdf/table.h"

namespace kehou::catalog {

// One confirmed child of the section, as printed.
struct RosterLine {
  std::string student_no, name, gender, grade, class_name;
  std::string guardian_phone;  // first guardian: "母亲 138****5678" (masked unless seen in full)
  std::string pickup;          // 接送方式 of the child's approved application for the term, or ""
};
struct RosterSheet {
  int64_t section_id = 0;
  std::string school, term, course, section, room, slots;
  std::string teacher;  // "王老师", "青山少年宫", or "王老师（青山少年宫）"
  int64_t taken = 0, capacity = 0;
  std::vector<RosterLine> lines;  // by grade, class and student number
};

// Loads the roster for a file and writes the audit row {format, rows} in the same transaction.
// Mobiles in full for the roles of people::SeesFullMobileByRole and for the child's own class
// teacher, masked (138****5678) for everyone else. The term is the course's, else the current one.
// Children with an exit effective on `day` (default: today, school-local) are left out (issue 11).
Result<RosterSheet> ExportSectionRoster(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                                        int64_t id, std::string_view format, std::optional<Date> day = std::nullopt);

// The printable document: title "<course> <section> 学生名单" (the course once when the section's
// name starts with it, as default names do); subtitles term, teacher, room,
// slots and count / capacity; columns 序号 姓名 性别 年级 班级 监护人电话, and 接送方式 when any
// child has one. The footer carries printed_at_ms in Beijing time.
pdf::TableDocument RosterDocument(const RosterSheet& sheet, int64_t printed_at_ms);

// GET /sections/:id/roster?format=pdf: ExportSectionRoster + RosterDocument, rendered.
// File name "<course> <section> 名单.pdf" (the same title rule).
Result<FileOut> SectionRosterPdf(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id);

}  // namespace kehou::catalog
