// students.cpp (people): the school's students: lists (the class list cached), one record, create, update.
#include <mutex>
#include <unordered_map>

#include "auth/audit.h"
#include "core/time.h"
#include "people/internal.h"
#include "people/service.h"

namespace kehou::people {

using namespace internal;

Result<Json> ListStudents(db::Db& db, const Principal& who, const ListQuery& query) {
  ListQuery q = Clamp(query);
  FullFields full;
  int64_t school = 0;
  auto out = db.Read([&](db::Conn& c) -> Result<Json> {
    auto v = VisibilityFor(c, who, q.school_id);
    if (!v.ok()) return v.error();
    school = v->school_id;
    store::StudentFilter f;
    f.q = Trim(q.q);
    f.class_id = q.class_id;
    f.grade_id = q.grade_id;
    f.limit = q.page_size;
    f.offset = (q.page - 1) * q.page_size;
    // Searching by a guardian's mobile: for those who see mobiles in full (a masked list must not
    // become an oracle of the digits) and a class teacher within their class.
    f.match_mobile = SeesFullMobileByRole(who.role) || who.scope == Scope::kOwnClass;
    auto page = store::ListStudents(c, *v, f);
    Json items = Json::array();
    for (const auto& s : page.items) {
      Sight sight = ListSightOf(who, s);
      full.Add(s, sight);
      items.push_back(StudentJson(s, sight, false));
    }
    return ListJson(std::move(items), page.total, q);
  });
  if (out.ok())
    auth::LogListRead(db, who,
                      {"students", QueryText(q), static_cast<int64_t>((*out)["items"].size()), full.Text(), school});
  return out;
}

namespace {
// Answers of GET /classes/:id/students by (class, school, role, visibility, staff), each with
// the data version it was built at (see ClassStudentsText).
class ClassListCache {
 public:
  struct Entry {
    int64_t version = 0;
    std::string text;
    int64_t rows = 0;         // for the read log
    std::string full_fields;  // for the read log
  };
  std::optional<Entry> Get(const std::string& key, int64_t version) {
    std::lock_guard lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end() || it->second.version != version) return std::nullopt;
    return it->second;
  }
  void Put(const std::string& key, Entry e) {
    constexpr size_t kMaxEntries = 4096;
    std::lock_guard lock(mu_);
    if (entries_.size() >= kMaxEntries) entries_.clear();
    entries_[key] = std::move(e);
  }

 private:
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};
ClassListCache g_class_cache;
}  // namespace

Result<std::string> ClassStudentsText(db::Db& db, const Principal& who, int64_t class_id,
                                      std::optional<int64_t> school_id) {
  constexpr size_t kBytesPerStudent = 400;
  int64_t n_rows = 0, school = 0;
  std::string full_text;
  auto result = db.Read([&](db::Conn& c) -> Result<std::string> {
    auto v = VisibilityFor(c, who, school_id);
    if (!v.ok()) return v.error();
    school = v->school_id;
    // Every write leaves an audit row in its own transaction, so the school's highest audit id
    // is a version of its data. On SQLite (one writer, ids in commit order) an answer built at
    // version N stays right until N changes; PostgreSQL's sequence ids may commit out of order,
    // so there the list is always built afresh.
    const bool cacheable = c.dialect() == db::Dialect::kSqlite;
    std::string key;
    int64_t version = 0;
    if (cacheable) {
      version = store::LastAuditId(c, v->school_id);
      key = std::to_string(reinterpret_cast<uintptr_t>(&db)) + '/' + std::to_string(class_id) + '/' +
            std::to_string(v->school_id) + '/' + std::string(auth::RoleName(who.role)) + '/' +
            std::to_string(static_cast<int>(v->kind)) + '/' + std::to_string(who.staff_id.value_or(0));
      if (auto hit = g_class_cache.Get(key, version)) {
        n_rows = hit->rows;
        full_text = hit->full_fields;
        return std::move(hit->text);
      }
    }
    auto rows = store::ClassStudents(c, *v, class_id);
    if (!rows) return Error::NotFound("班级不存在或无权访问", "no such class");
    std::string out;
    out.reserve(rows->size() * kBytesPerStudent + 100);
    out += "{\"items\":[";
    FullFields full;
    for (size_t i = 0; i < rows->size(); ++i) {
      if (i) out += ',';
      Sight sight = ListSightOf(who, (*rows)[i]);
      full.Add((*rows)[i], sight);
      AppendStudentText(out, (*rows)[i], sight);
    }
    n_rows = static_cast<int64_t>(rows->size());
    full_text = full.Text();
    out += "],\"total\":";
    out += std::to_string(rows->size());
    if (!rows->empty()) {
      out += ",\"class\":{\"id\":";
      out += std::to_string(class_id);
      out += ",\"name\":";
      AppendJsonString(out, rows->front().class_name);
      out += ",\"grade_number\":";
      out += std::to_string(rows->front().grade_number);
      out += '}';
    }
    out += '}';
    if (cacheable) g_class_cache.Put(key, {version, out, n_rows, full_text});
    return out;
  });
  if (result.ok())
    auth::LogListRead(db, who, {"class_students", "class_id=" + std::to_string(class_id), n_rows, full_text, school});
  return result;
}

Result<Json> ClassStudents(db::Db& db, const Principal& who, int64_t class_id, std::optional<int64_t> school_id) {
  auto text = ClassStudentsText(db, who, class_id, school_id);
  if (!text.ok()) return text.error();
  return Json::parse(*text);
}

Result<Json> GetStudent(db::Db& db, const Principal& who, int64_t id, std::optional<int64_t> school_id) {
  if (who.scope == Scope::kOwnChildren) {
    if (!who.guardian_id) return StudentNotFound();
    return db.Read([&](db::Conn& c) -> Result<Json> {
      auto s = store::FindChild(c, *who.guardian_id, id);
      if (!s) return StudentNotFound();
      return StudentJson(*s, SightOf(who, *s), true);
    });
  }
  // A staff read of a child's personal record is logged, in the same transaction as the read.
  return db.Write([&](db::Conn& c) -> Result<Json> {
    Visibility v;
    if (who.scope == Scope::kAll && !school_id) {
      v.school_id = 0;  // sysadmin without ?school_id: any school
    } else {
      auto r = VisibilityFor(c, who, school_id);
      if (!r.ok()) return r.error();
      v = *r;
    }
    auto s = store::FindStudent(c, v, id);
    if (!s) return StudentNotFound();
    Sight sight = SightOf(who, *s);
    Json after = {{"fields", Json::array({"name", "id_number", "guardians"})}};
    if (sight.health) after["fields"].push_back("health_notes");
    if (sight.flags) after["fields"].push_back("flags");
    auth::Audit(c, who, {"read_personal", "student", s->id, nullptr, &after, s->school_id});
    return StudentJson(*s, sight, true);
  });
}

Result<Json> CreateStudent(db::Db& db, const Principal& who, const Json& body, std::optional<int64_t> school_id) {
  auto input = StudentFromJson(body, {}, true);
  if (!input.ok()) return input.error();
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto school = WriteSchool(c, who, school_id);
    if (!school.ok()) return school.error();
    if (auto st = CheckStudent(c, *school, *input, 0); !st.ok()) return st.error();
    int64_t id = SaveStudent(c, *school, *input);
    Json after = AuditView(*input, true);
    auth::Audit(c, who, {"create", "student", id, nullptr, &after, *school});
    auto s = store::FindStudent(c, Visibility{*school, Visibility::Kind::kSchool, 0}, id);
    return StudentJson(*s, SightOf(who, *s), true);
  });
}

Result<Json> UpdateStudent(db::Db& db, const Principal& who, int64_t id, const Json& body,
                           std::optional<int64_t> school_id) {
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto school = WriteSchool(c, who, school_id);
    if (!school.ok()) return school.error();
    Visibility v{*school, Visibility::Kind::kSchool, 0};
    auto old = store::FindStudent(c, v, id);
    if (!old) return StudentNotFound();
    auto input = StudentFromJson(body, InputOf(*old), false);
    if (!input.ok()) return input.error();
    BodyReader active_in(body);
    auto active = ReadYesNo(active_in, "active");
    KEHOU_TRY(active_in.Finish());
    bool now_active = active.value_or(old->active);
    if (auto st = CheckStudent(c, *school, *input, id); !st.ok()) return st.error();
    store::UpdateStudent(c, *school, id, *input, now_active);
    if (body.contains("guardians") && !body["guardians"].is_null())
      store::ReplaceGuardians(c, *school, id, input->guardians);
    Json before = AuditView(InputOf(*old), old->active), after = AuditView(*input, now_active);
    Diff(before, after);
    auth::Audit(c, who, {"update", "student", id, &before, &after, *school});
    auto s = store::FindStudent(c, v, id);
    return StudentJson(*s, SightOf(who, *s), true);
  });
}

// ================================================================ for other modules

int64_t SaveStudent(db::Conn& c, int64_t school_id, const StudentInput& s) {
  int64_t id = store::UpsertStudent(c, school_id, s);
  store::ReplaceGuardians(c, school_id, id, s.guardians);
  return id;
}

int64_t SaveStaff(db::Conn& c, int64_t school_id, const StaffInput& s) { return store::UpsertStaff(c, school_id, s); }

int64_t SaveGuardian(db::Conn& c, const std::string& name, const std::string& mobile) {
  return store::UpsertGuardian(c, name, mobile);
}

}  // namespace kehou::people
