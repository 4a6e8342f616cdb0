#include "catalog/store.h"

#include <sodium.h>

#include <cstring>

#include "catalog/internal.h"
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

namespace internal {
std::string EncodeBase64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}
std::optional<std::string> DecodeBase64(std::string_view text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), "\n\r ",
                        &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return std::nullopt;
  out.resize(len);
  return out;
}
}  // namespace internal

// Binary values travel as text parameters: SQLite binds the raw bytes (CAST makes them a BLOB,
// byte for byte); PostgreSQL takes base64 (libpq's text protocol cannot carry NUL bytes).
int64_t InsertLessonPlan(db::Conn& c, int64_t school_id, int64_t proposal_id, const LessonPlan& plan,
                         std::optional<int64_t> uploaded_by, int64_t now_ms) {
  bool pg = c.dialect() == db::Dialect::kPostgres;
  std::string sql = std::string(
                        "INSERT INTO lesson_plans (school_id, proposal_id, filename, content_type, size_bytes, sha256,"
                        " content, uploaded_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,") +
                    (pg ? "decode($7, 'base64')" : "CAST($7 AS BLOB)") + ",$8,$9) RETURNING id";
  return c.Insert(
      sql, {school_id, proposal_id, plan.filename, plan.content_type, static_cast<int64_t>(plan.bytes.size()),
            plan.sha256_hex, pg ? internal::EncodeBase64(plan.bytes) : plan.bytes, db::Opt(uploaded_by), now_ms});
}

std::optional<LessonPlan> LoadLessonPlan(db::Conn& c, int64_t school_id, int64_t proposal_id) {
  bool pg = c.dialect() == db::Dialect::kPostgres;
  auto r = c.QueryOne(std::string("SELECT filename, content_type, sha256, ") +
                          (pg ? "encode(content, 'base64')" : "content") +
                          " FROM lesson_plans WHERE school_id = $1 AND proposal_id = $2 ORDER BY id DESC LIMIT 1",
                      {school_id, proposal_id});
  if (!r) return std::nullopt;
  LessonPlan p{r->Text(0), r->Text(1), r->Text(2), r->Text(3)};
  if (pg) {
    auto bytes = internal::DecodeBase64(p.bytes);
    if (!bytes) throw db::DbError("lesson plan: bad base64 from the database");
    p.bytes = std::move(*bytes);
  }
  return p;
}

}  // namespace kehou::catalog
