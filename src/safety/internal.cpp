#include "safety/internal.h"

#include <set>

#include "attendance/service.h"
#include "people/xlsx.h"

namespace kehou::safety::internal {

bool IsOffice(const auth::Principal& who) {
  using auth::Role;
  return who.role == Role::kPrincipal || who.role == Role::kVicePrincipal || who.role == Role::kOfficeDirector ||
         who.role == Role::kOfficeStaff || who.role == Role::kSysAdmin;
}

namespace {

bool EndsWith(const std::string& s, std::string_view tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Integer columns by name: PostgreSQL answers every value as text, SQLite keeps the type.
bool IntColumn(const std::string& n) {
  static const std::set<std::string> kInts = {
      "id", "all_on_time", "covers_all", "active", "ok", "guardian_notified", "has_photo", "participants", "minutes"};
  return kInts.count(n) || EndsWith(n, "_id") || EndsWith(n, "_at") || EndsWith(n, "_ms");
}

}  // namespace

Json RowJson(const db::Row& r) {
  Json j = Json::object();
  for (size_t i = 0; i < r.size(); ++i) {
    const std::string& n = r.names()[i];
    if (r.IsNull(i)) {
      j[n] = nullptr;
    } else if (IntColumn(n)) {
      j[n] = r.Int(i);
      // instants (..._at, epoch ms) also as school-local text for pages and sheets
      if (EndsWith(n, "_at")) j[n + "_text"] = FormatLocalMinute(r.Int(i));
    } else {
      j[n] = r.Text(i);
    }
  }
  return j;
}

Json RowsJson(const db::Rows& rows) {
  Json out = Json::array();
  for (const auto& r : rows) out.push_back(RowJson(r));
  return out;
}

std::string DayText(const std::optional<Date>& day, int64_t now_ms) {
  return FormatDate(day.value_or(LocalDate(now_ms)));
}

Result<Json> SessionRoster(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t section_id,
                           std::optional<Date> day, const std::string& band, int64_t now_ms) {
  return attendance::SessionRoster(db, who, school, section_id, day, band, now_ms);
}

std::vector<std::pair<int64_t, std::string>> ReadChildNotes(BodyReader& r, const char* key) {
  std::vector<std::pair<int64_t, std::string>> out;
  const Json* list = r.Raw(key, false, {}, Json::value_t::array);
  if (!list) return out;
  for (size_t i = 0; i < list->size(); ++i) {
    const Json& it = (*list)[i];
    if (!it.is_object()) {
      r.Fail(key, "每一项应为对象 {student_id, note}", "each item is an object");
      return out;
    }
    BodyReader item(it, std::string(key) + "[" + std::to_string(i) + "].");
    auto id = item.Id("student_id", {.required = true, .label = "学生"});
    auto note = item.Text("note", {.max_len = kMaxNoteChars, .label = "说明"});
    if (auto s = item.Finish(); !s.ok()) {
      r.Set(s.error());
      return out;
    }
    out.emplace_back(*id, note.value_or(""));
  }
  return out;
}

std::pair<std::string, std::string> Range(const ListQuery& q) {
  if (q.day) return {FormatDate(*q.day), FormatDate(*q.day)};
  return {q.from ? FormatDate(*q.from) : "0000-01-01", q.to ? FormatDate(*q.to) : "9999-12-31"};
}

Result<FileOut> Sheet(const std::string& name, const std::vector<std::pair<std::string, std::string>>& cols,
                      const Json& items) {
  std::vector<std::string> headers;
  for (const auto& c : cols) headers.push_back(c.second);
  std::vector<std::vector<std::string>> rows;
  for (const auto& it : items) {
    std::vector<std::string> row;
    for (const auto& c : cols) {
      const Json& v = it.contains(c.first) ? it[c.first] : Json();
      row.push_back(v.is_string() ? v.get<std::string>() : v.is_null() ? "" : v.dump());
    }
    rows.push_back(std::move(row));
  }
  KEHOU_ASSIGN_OR_RETURN(auto bytes, people::BuildXlsx(name, headers, rows));
  return FileOut{std::move(bytes), std::string(people::kXlsxContentType), name + ".xlsx"};
}

Error NotFound(const char* what_zh, const char* what_en) {
  return Error::NotFound(std::string(what_zh) + "不存在或无权访问", std::string("no such ") + what_en, "id");
}

}  // namespace kehou::safety::internal
