#include "catalog/store.h"

#include "core/text.h"

namespace kehou::catalog {
namespace {
constexpr const char* kLoadSection =
    "SELECT x.id, x.school_id, x.course_id, x.name, x.capacity, x.taken, c.name, c.grades, c.slots, c.status"
    " FROM sections x JOIN courses c ON c.id = x.course_id WHERE x.id = $1 AND x.school_id = $2";

SectionInfo FromRow(const db::Row& r) {
  SectionInfo s;
  s.id = r.Int(0);
  s.school_id = r.Int(1);
  s.course_id = r.Int(2);
  s.name = r.Text(3);
  s.capacity = r.Int(4);
  s.taken = r.Int(5);
  s.course_name = r.Text(6);
  auto g = ParseGrades(r.Text(7));
  if (g.ok()) s.grades = *g;
  auto sl = ParseSlots(r.Text(8));
  if (sl.ok()) s.slots = *sl;
  s.course_status = r.Text(9);
  return s;
}
}  // namespace

std::optional<SectionInfo> LoadSection(db::Conn& c, int64_t school_id, int64_t section_id) {
  auto r = c.QueryOne(kLoadSection, {section_id, school_id});
  if (!r) return std::nullopt;
  return FromRow(*r);
}

std::vector<SectionInfo> LoadSections(db::Conn& c, int64_t school_id, const std::vector<int64_t>& ids) {
  std::vector<SectionInfo> out;
  for (int64_t id : ids)
    if (auto s = LoadSection(c, school_id, id)) out.push_back(std::move(*s));
  return out;
}

}  // namespace kehou::catalog
