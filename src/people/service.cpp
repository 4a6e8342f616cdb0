#include "people/service.h"

#include <algorithm>
#include <mutex>
#include <unordered_map>

#include "auth/audit.h"
#include "core/body.h"
#include "core/text.h"
#include "core/time.h"
#include "people/csv.h"
#include "people/store.h"

namespace kehou::people {
namespace {

using auth::Principal;
using auth::Role;
using auth::Scope;
using store::Visibility;

constexpr const char* kCsvContentType = "text/csv; charset=utf-8";
constexpr std::string_view kRelationSeparator = "、";

Error NotFound(std::string what_zh, std::string what_en) {
  return MakeError(kNotFound, what_zh + "不存在或无权访问", "no such " + what_en);
}
Error StudentNotFound() { return NotFound("学生", "student"); }
Error StaffNotFound() { return NotFound("教职工", "staff member"); }

Error Invalid(std::string zh, std::string en, std::string field) {
  return MakeError(kInvalid, std::move(zh), std::move(en), std::move(field));
}

// ---------------------------------------------------------------- scope

// The visibility of students for this request, or an error (school out of scope).
Result<Visibility> VisibilityFor(db::Conn& c, const Principal& who, std::optional<int64_t> school_id) {
  Visibility v;
  switch (who.scope) {
    case Scope::kSchool:
    case Scope::kArea:
    case Scope::kAll: {
      auto s = auth::ResolveSchool(c, who, school_id);
      if (!s.ok()) return s.error();
      v.school_id = *s;
      v.kind = Visibility::Kind::kSchool;
      return v;
    }
    case Scope::kOwnClass:
    case Scope::kGrade:
    case Scope::kOwnSections: {
      auto s = auth::ResolveSchool(c, who, school_id);
      if (!s.ok()) return s.error();
      v.school_id = *s;
      v.staff_id = who.staff_id.value_or(0);
      if (who.scope == Scope::kOwnSections || !who.staff_id) v.kind = Visibility::Kind::kNone;
      else if (who.scope == Scope::kOwnClass) v.kind = Visibility::Kind::kTeacherClasses;
      else v.kind = Visibility::Kind::kTeacherGrades;
      return v;
    }
    case Scope::kOwnChildren:
    case Scope::kSelf:
    case Scope::kPublic: break;
  }
  return MakeError(kForbidden, "无权查看", "not allowed");
}

// What this user sees of one student.
struct Sight {
  bool full_id = false;
  bool full_mobile = false;
  bool flags = false;
  bool health = false;
  std::optional<int64_t> own_guardian_id;  // a guardian sees their own mobile
};

Sight SightOf(const Principal& who, const store::StudentRow& s) {
  Sight v;
  if (who.scope == Scope::kOwnChildren) {
    v.health = true;
    v.own_guardian_id = who.guardian_id;
    return v;
  }
  bool own_class = who.staff_id && s.class_teacher_id && *who.staff_id == *s.class_teacher_id;
  v.full_id = SeesFullIdNumber(who.role);
  v.full_mobile = SeesFullMobileByRole(who.role) || own_class;
  v.flags = SeesCareFlagsByRole(who.role) || own_class;
  v.health = SeesHealthNotesByRole(who.role) || own_class;
  return v;
}

// ---------------------------------------------------------------- JSON answers

Json StudentJson(const store::StudentRow& s, const Sight& v, bool full_record) {
  Json guardians = Json::array();
  for (const auto& g : s.guardians) {
    bool full = v.full_mobile || (v.own_guardian_id && *v.own_guardian_id == g.guardian_id);
    guardians.push_back({{"id", g.guardian_id},
                         {"name", g.name},
                         {"relation", g.relation},
                         {"mobile", full ? g.mobile : auth::MaskMobile(g.mobile)},
                         {"is_primary", g.is_primary}});
  }
  Json j = {{"id", s.id},
            {"student_no", s.student_no},
            {"name", s.name},
            {"gender", s.gender},
            {"gender_label", GenderLabel(s.gender)},
            {"class_id", s.class_id},
            {"class_name", s.class_name},
            {"class_number", s.class_number},
            {"grade_id", s.grade_id},
            {"grade_number", s.grade_number},
            {"id_number", v.full_id || s.id_number.empty() ? s.id_number : auth::MaskIdNumber(s.id_number)},
            {"guardians", std::move(guardians)}};
  if (v.flags)
    j["flags"] = {{"left_behind", s.left_behind}, {"low_income", s.low_income}, {"disability", s.disability}};
  if (full_record) {
    j["school_id"] = s.school_id;
    j["active"] = s.active;
    if (v.health) j["health_notes"] = s.health_notes;
  }
  return j;
}

// The same list item as StudentJson(s, v, false), written straight to text: the class list is
// the hot path (benchmark target 20k req/s on 2 cores) and a JSON DOM costs more than the query.
void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

void AppendKey(std::string& out, std::string_view key) {
  out += '"';
  out += key;
  out += "\":";
}

void AppendBool(std::string& out, bool b) { out += b ? "true" : "false"; }

void AppendStudentText(std::string& out, const store::StudentRow& s, const Sight& v) {
  out += "{\"id\":";
  out += std::to_string(s.id);
  out += ",\"student_no\":";
  AppendJsonString(out, s.student_no);
  out += ",\"name\":";
  AppendJsonString(out, s.name);
  out += ",\"gender\":";
  AppendJsonString(out, s.gender);
  out += ",\"gender_label\":";
  AppendJsonString(out, GenderLabel(s.gender));
  out += ",\"class_id\":";
  out += std::to_string(s.class_id);
  out += ",\"class_name\":";
  AppendJsonString(out, s.class_name);
  out += ",\"class_number\":";
  out += std::to_string(s.class_number);
  out += ",\"grade_id\":";
  out += std::to_string(s.grade_id);
  out += ",\"grade_number\":";
  out += std::to_string(s.grade_number);
  out += ",\"id_number\":";
  AppendJsonString(out, v.full_id || s.id_number.empty() ? s.id_number : auth::MaskIdNumber(s.id_number));
  if (v.flags) {
    out += ",\"flags\":{";
    AppendKey(out, "left_behind");
    AppendBool(out, s.left_behind);
    out += ',';
    AppendKey(out, "low_income");
    AppendBool(out, s.low_income);
    out += ',';
    AppendKey(out, "disability");
    AppendBool(out, s.disability);
    out += '}';
  }
  out += ",\"guardians\":[";
  for (size_t i = 0; i < s.guardians.size(); ++i) {
    const auto& g = s.guardians[i];
    bool full = v.full_mobile || (v.own_guardian_id && *v.own_guardian_id == g.guardian_id);
    if (i) out += ',';
    out += "{\"id\":";
    out += std::to_string(g.guardian_id);
    out += ",\"name\":";
    AppendJsonString(out, g.name);
    out += ",\"relation\":";
    AppendJsonString(out, g.relation);
    out += ",\"mobile\":";
    AppendJsonString(out, full ? g.mobile : auth::MaskMobile(g.mobile));
    out += ",\"is_primary\":";
    AppendBool(out, g.is_primary);
    out += '}';
  }
  out += "]}";
}

bool SeesFullStaffMobile(Role r) { return SeesFullMobileByRole(r); }

Json StaffJson(const store::StaffRow& s, bool full_mobile) {
  return {{"id", s.id},
          {"name", s.name},
          {"gender", s.gender},
          {"gender_label", GenderLabel(s.gender)},
          {"kind", s.kind},
          {"kind_label", StaffKindLabel(s.kind)},
          {"subjects", s.subjects},
          {"mobile", full_mobile ? s.mobile : auth::MaskMobile(s.mobile)},
          {"institution", s.institution},
          {"active", s.active}};
}

Json ListJson(Json items, int64_t total, const ListQuery& q) {
  return {{"items", std::move(items)}, {"total", total}, {"page", q.page}, {"page_size", q.page_size}};
}

ListQuery Clamp(ListQuery q) {
  q.page = std::max<int64_t>(1, q.page);
  q.page_size = std::clamp<int64_t>(q.page_size, 1, kMaxPageSize);
  return q;
}

// ---------------------------------------------------------------- JSON inputs

// Text fields are read raw (BodyReader refuses other JSON types); the people rules (ParseName,
// ParseMobile, ...) trim and check them.
constexpr TextRule kRawText{.no_control = false, .trim = false};

Result<std::optional<bool>> BoolOf(const Json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::optional<bool>();
  if (it->is_boolean()) return std::optional<bool>(it->get<bool>());
  if (it->is_number_integer()) return std::optional<bool>(it->get<int64_t>() != 0);
  if (it->is_string()) {
    auto r = ParseYesNo(it->get<std::string>(), key);
    if (!r.ok()) return r.error();
    return std::optional<bool>(*r);
  }
  return Invalid(std::string(key) + " 应为是/否", std::string(key) + " must be a boolean", key);
}

Result<std::vector<GuardianInput>> GuardiansOf(const Json& arr) {
  if (!arr.is_array()) return Invalid("guardians 应为数组", "guardians must be an array", "guardians");
  std::vector<GuardianInput> out;
  for (size_t i = 0; i < arr.size(); ++i) {
    const Json& g = arr[i];
    std::string field = "guardians[" + std::to_string(i) + "]";
    if (!g.is_object()) return Invalid("监护人格式错误", "a guardian must be an object", field);
    GuardianInput in;
    BodyReader gr(g, field + ".");
    auto name_in = gr.Text("name", kRawText);
    auto rel_in = gr.Text("relation", kRawText);
    auto mobile_in = gr.Text("mobile", kRawText);
    KEHOU_TRY(gr.Finish());
    auto name = ParseName(name_in.value_or(""), field + ".name");
    if (!name.ok()) return name.error();
    in.name = *name;
    auto rel = ParseText(rel_in.value_or(""), kRelationMaxChars, field + ".relation");
    if (!rel.ok()) return rel.error();
    in.relation = rel->empty() ? std::string(kDefaultRelation) : *rel;
    auto mobile = ParseMobile(mobile_in.value_or(""), field + ".mobile");
    if (!mobile.ok()) return mobile.error();
    in.mobile = *mobile;
    for (const auto& prev : out)
      if (prev.mobile == in.mobile)
        return Invalid("同一学生的两位监护人手机号相同", "two guardians of one student share a mobile", field + ".mobile");
    out.push_back(std::move(in));
  }
  return out;
}

// Reads student fields from body over `base` (absent fields keep base's values). `creating`:
// student_no, name, gender, class_id are required.
Result<StudentInput> StudentFromJson(const Json& body, StudentInput base, bool creating) {
  if (!body.is_object()) return Invalid("请求体应为对象", "the body must be an object", "");
  StudentInput s = std::move(base);
  BodyReader in(body);
  auto student_no = in.Text("student_no", kRawText);
  auto name = in.Text("name", kRawText);
  auto gender = in.Text("gender", kRawText);
  auto class_id = in.Id("class_id", {.label = "班级"});
  auto id_number = in.Text("id_number", kRawText);
  auto health_notes = in.Text("health_notes", kRawText);
  KEHOU_TRY(in.Finish());
  auto need = [&](const char* key, const char* zh) -> Status {
    if (creating && !in.Present(key)) return Invalid(std::string(zh) + "不能为空", std::string(key) + " is required", key);
    return Ok();
  };
  for (auto [key, zh] : {std::pair{"student_no", "学号"}, std::pair{"name", "姓名"}, std::pair{"gender", "性别"},
                         std::pair{"class_id", "班级"}})
    if (auto st = need(key, zh); !st.ok()) return st.error();
  if (const auto& v = student_no) {
    auto r = ParseStudentNo(*v);
    if (!r.ok()) return r.error();
    s.student_no = *r;
  }
  if (const auto& v = name) {
    auto r = ParseName(*v);
    if (!r.ok()) return r.error();
    s.name = *r;
  }
  if (const auto& v = gender) {
    auto r = ParseGender(*v);
    if (!r.ok()) return r.error();
    s.gender = *r;
  }
  if (class_id) s.class_id = *class_id;
  if (const auto& v = id_number) {
    if (Trim(*v).empty()) {
      s.id_number.clear();
    } else {
      auto r = ParseIdNumber(*v, TodayLocal());
      if (!r.ok()) return r.error();
      s.id_number = *r;
    }
  }
  if (const auto& v = health_notes) {
    auto r = ParseText(*v, kHealthNotesMaxChars, "health_notes");
    if (!r.ok()) return r.error();
    s.health_notes = *r;
  }
  const Json* flags = &body;
  if (auto it = body.find("flags"); it != body.end() && it->is_object()) flags = &*it;
  for (auto [key, target] : {std::pair{"left_behind", &s.left_behind}, std::pair{"low_income", &s.low_income},
                             std::pair{"disability", &s.disability}}) {
    auto b = BoolOf(*flags, key);
    if (!b.ok()) return b.error();
    if (*b) *target = **b;
  }
  if (auto it = body.find("guardians"); it != body.end() && !it->is_null()) {
    auto g = GuardiansOf(*it);
    if (!g.ok()) return g.error();
    s.guardians = std::move(*g);
  }
  return s;
}

StudentInput InputOf(const store::StudentRow& r) {
  StudentInput s;
  s.student_no = r.student_no;
  s.name = r.name;
  s.gender = r.gender;
  s.class_id = r.class_id;
  s.id_number = r.id_number;
  s.health_notes = r.health_notes;
  s.left_behind = r.left_behind;
  s.low_income = r.low_income;
  s.disability = r.disability;
  for (const auto& g : r.guardians) s.guardians.push_back({g.name, g.relation, g.mobile});
  return s;
}

// The audit view of a student: personal values masked or left out.
Json AuditView(const StudentInput& s, bool active) {
  Json guardians = Json::array();
  for (const auto& g : s.guardians)
    guardians.push_back({{"name", g.name}, {"relation", g.relation}, {"mobile", auth::MaskMobile(g.mobile)}});
  return {{"student_no", s.student_no},
          {"name", s.name},
          {"gender", s.gender},
          {"class_id", s.class_id},
          {"id_number", s.id_number.empty() ? "" : auth::MaskIdNumber(s.id_number)},
          {"health_notes", s.health_notes.empty() ? "" : "(已填写)"},
          {"left_behind", s.left_behind},
          {"low_income", s.low_income},
          {"disability", s.disability},
          {"active", active},
          {"guardians", std::move(guardians)}};
}

// Keeps only the keys whose values differ.
void Diff(Json& before, Json& after) {
  Json b = Json::object(), a = Json::object();
  for (auto it = after.begin(); it != after.end(); ++it) {
    if (!before.contains(it.key()) || before[it.key()] != it.value()) {
      a[it.key()] = it.value();
      b[it.key()] = before.contains(it.key()) ? before[it.key()] : Json();
    }
  }
  before = std::move(b);
  after = std::move(a);
}

// Checks that hold for a student about to be written: class of the school, unique number and ID.
Status CheckStudent(db::Conn& c, int64_t school_id, const StudentInput& s, int64_t self_id) {
  if (!store::ClassInSchool(c, school_id, s.class_id))
    return MakeError(kNotFound, "班级不存在", "no such class", "class_id");
  if (auto other = store::StudentIdByNo(c, school_id, s.student_no); other && *other != self_id)
    return MakeError(kConflict, "学号" + s.student_no + "已被使用", "student number " + s.student_no + " is taken",
                     "student_no");
  if (auto owner = store::StudentNoByIdNumber(c, school_id, s.id_number, self_id))
    return MakeError(kConflict, "身份证号已属于学号为" + *owner + "的学生",
                     "the ID number belongs to student " + *owner, "id_number");
  return Ok();
}

Result<StaffInput> StaffFromJson(const Json& body, StaffInput s, bool creating) {
  if (!body.is_object()) return Invalid("请求体应为对象", "the body must be an object", "");
  BodyReader in(body);
  auto name = in.Text("name", kRawText);
  auto gender = in.Text("gender", kRawText);
  auto kind = in.Text("kind", kRawText);
  auto mobile = in.Text("mobile", kRawText);
  auto institution = in.Text("institution", kRawText);
  std::optional<std::string> subjects;
  if (in.Present("subjects") && !in.json().at("subjects").is_array()) subjects = in.Text("subjects", kRawText);
  KEHOU_TRY(in.Finish());
  if (creating)
    for (auto [key, zh] : {std::pair{"name", "姓名"}, std::pair{"kind", "类别"}, std::pair{"mobile", "手机"}})
      if (!in.Present(key)) return Invalid(std::string(zh) + "不能为空", std::string(key) + " is required", key);
  if (const auto& v = name) {
    auto r = ParseName(*v);
    if (!r.ok()) return r.error();
    s.name = *r;
  }
  if (const auto& v = gender) {
    if (Trim(*v).empty()) {
      s.gender.clear();
    } else {
      auto r = ParseGender(*v);
      if (!r.ok()) return r.error();
      s.gender = *r;
    }
  }
  if (const auto& v = kind) {
    auto r = ParseStaffKind(*v);
    if (!r.ok()) return r.error();
    s.kind = *r;
  }
  if (auto it = body.find("subjects"); it != body.end() && !it->is_null()) {
    std::string text;
    if (it->is_array()) {
      std::vector<std::string> parts;
      for (const auto& p : *it)
        if (p.is_string() && !Trim(p.get<std::string>()).empty()) parts.push_back(Trim(p.get<std::string>()));
      text = Join(parts, kRelationSeparator);
    } else {
      text = subjects.value_or("");
    }
    auto r = ParseText(text, kSubjectsMaxChars, "subjects");
    if (!r.ok()) return r.error();
    s.subjects = *r;
  }
  if (const auto& v = mobile) {
    auto r = ParseMobile(*v);
    if (!r.ok()) return r.error();
    s.mobile = *r;
  }
  if (const auto& v = institution) {
    auto r = ParseText(*v, kInstitutionMaxChars, "institution");
    if (!r.ok()) return r.error();
    s.institution = *r;
  }
  if (s.kind == "institution" && s.institution.empty())
    return Invalid("机构人员必须填写所属机构", "institution staff need their institution", "institution");
  return s;
}

Json StaffAuditView(const StaffInput& s, bool active) {
  return {{"name", s.name},         {"gender", s.gender},   {"kind", s.kind},
          {"subjects", s.subjects}, {"mobile", auth::MaskMobile(s.mobile)},
          {"institution", s.institution}, {"active", active}};
}

// Resolves the school of a write (managers: their own; sysadmin: ?school_id).
Result<int64_t> WriteSchool(db::Conn& c, const Principal& who, std::optional<int64_t> school_id) {
  if (who.scope != Scope::kSchool && who.scope != Scope::kAll)
    return MakeError(kForbidden, "无权修改", "not allowed");
  return auth::ResolveSchool(c, who, school_id);
}

// ---------------------------------------------------------------- import helpers

Result<ImportKind> KindOf(std::string_view kind) {
  auto k = ParseImportKind(kind);
  if (!k) return MakeError(kNotFound, "没有这种导入：" + std::string(kind), "no such import: " + std::string(kind), "kind");
  return *k;
}

std::string_view KindZh(ImportKind k) { return k == ImportKind::kStudents ? "学生" : "教职工"; }

// Which personal fields a list answer showed in full (for the read log).
struct FullFields {
  bool id_number = false;
  bool guardian_mobile = false;
  void Add(const store::StudentRow& s, const Sight& v) {
    id_number = id_number || (v.full_id && !s.id_number.empty());
    guardian_mobile = guardian_mobile || (v.full_mobile && !s.guardians.empty());
  }
  std::string Text() const {
    std::string out = id_number ? "id_number" : "";
    if (guardian_mobile) out += out.empty() ? "guardian_mobile" : ",guardian_mobile";
    return out;
  }
};

// The filters and page of a list read, for the read log.
std::string QueryText(const ListQuery& q) {
  std::string out = "page=" + std::to_string(q.page) + "&page_size=" + std::to_string(q.page_size);
  if (!q.q.empty()) out += "&q=" + q.q;
  if (q.class_id) out += "&class_id=" + std::to_string(*q.class_id);
  if (q.grade_id) out += "&grade_id=" + std::to_string(*q.grade_id);
  return out;
}

}  // namespace

// ================================================================ students

Result<Json> ListStudents(db::Db& db, const Principal& who, const ListQuery& query) {
  ListQuery q = Clamp(query);
  FullFields full;
  int64_t school = 0;
  auto out = db.Read([&](db::Conn& c) -> Result<Json> {
    auto v = VisibilityFor(c, who, q.school_id);
    if (!v.ok()) return v.error();
    school = v->school_id;
    store::StudentFilter f{Trim(q.q), q.class_id, q.grade_id, q.page_size, (q.page - 1) * q.page_size};
    auto page = store::ListStudents(c, *v, f);
    Json items = Json::array();
    for (const auto& s : page.items) {
      Sight sight = SightOf(who, s);
      full.Add(s, sight);
      items.push_back(StudentJson(s, sight, false));
    }
    return ListJson(std::move(items), page.total, q);
  });
  if (out.ok())
    auth::LogListRead(db, who, {"students", QueryText(q), static_cast<int64_t>((*out)["items"].size()), full.Text(), school});
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
    int64_t rows = 0;          // for the read log
    std::string full_fields;   // for the read log
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
      version = c.QueryOne("SELECT COALESCE(MAX(id), 0) FROM audit_log WHERE school_id = $1", {v->school_id})->Int(0);
      key = std::to_string(reinterpret_cast<uintptr_t>(&db)) + '/' + std::to_string(class_id) + '/' + std::to_string(v->school_id) + '/' + std::string(auth::RoleName(who.role)) +
            '/' + std::to_string(static_cast<int>(v->kind)) + '/' + std::to_string(who.staff_id.value_or(0));
      if (auto hit = g_class_cache.Get(key, version)) {
        n_rows = hit->rows;
        full_text = hit->full_fields;
        return std::move(hit->text);
      }
    }
    auto rows = store::ClassStudents(c, *v, class_id);
    if (!rows) return NotFound("班级", "class");
    std::string out;
    out.reserve(rows->size() * kBytesPerStudent + 100);
    out += "{\"items\":[";
    FullFields full;
    for (size_t i = 0; i < rows->size(); ++i) {
      if (i) out += ',';
      Sight sight = SightOf(who, (*rows)[i]);
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
    auto active = BoolOf(body, "active");
    if (!active.ok()) return active.error();
    bool now_active = active->value_or(old->active);
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

// ================================================================ guardians

Result<Json> ListGuardians(db::Db& db, const Principal& who, const ListQuery& query) {
  ListQuery q = Clamp(query);
  bool any_full = false;
  int64_t school = 0;
  auto out = db.Read([&](db::Conn& c) -> Result<Json> {
    auto v = VisibilityFor(c, who, q.school_id);
    if (!v.ok()) return v.error();
    school = v->school_id;
    auto page = store::ListGuardians(c, *v, Trim(q.q), q.page_size, (q.page - 1) * q.page_size);
    Json items = Json::array();
    for (const auto& g : page.items) {
      bool full = SeesFullMobileByRole(who.role);
      Json kids = Json::array();
      for (const auto& k : g.children) {
        if (who.staff_id && k.class_teacher_id && *k.class_teacher_id == *who.staff_id) full = true;
        kids.push_back({{"id", k.id}, {"name", k.name}, {"class_name", k.class_name}, {"relation", k.relation}});
      }
      any_full = any_full || full;
      items.push_back({{"id", g.id},
                       {"name", g.name},
                       {"mobile", full ? g.mobile : auth::MaskMobile(g.mobile)},
                       {"children", std::move(kids)}});
    }
    return ListJson(std::move(items), page.total, q);
  });
  if (out.ok())
    auth::LogListRead(db, who, {"guardians", QueryText(q), static_cast<int64_t>((*out)["items"].size()),
                                any_full ? "guardian_mobile" : "", school});
  return out;
}

Result<Json> MyChildren(db::Db& db, const Principal& who) {
  Json items = Json::array();
  if (!who.guardian_id) return Json{{"items", items}};
  return db.Read([&](db::Conn& c) -> Result<Json> {
    for (const auto& k : store::ChildrenOf(c, *who.guardian_id))
      items.push_back({{"id", k.id},
                       {"name", k.name},
                       {"school_id", k.school_id},
                       {"school_name", k.school_name},
                       {"class_id", k.class_id},
                       {"class_name", k.class_name},
                       {"relation", k.relation}});
    return Json{{"items", std::move(items)}};
  });
}

// ================================================================ staff

Result<Json> ListStaff(db::Db& db, const Principal& who, const ListQuery& query) {
  ListQuery q = Clamp(query);
  if (!q.kind.empty() && StaffKindLabel(q.kind).empty())
    return Invalid("类别无效", "unknown staff kind", "kind");
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto school = auth::ResolveSchool(c, who, q.school_id);
    if (!school.ok()) return school.error();
    store::StaffFilter f{Trim(q.q), q.kind, q.include_inactive, q.page_size, (q.page - 1) * q.page_size};
    auto page = store::ListStaff(c, *school, f);
    Json items = Json::array();
    for (const auto& s : page.items) items.push_back(StaffJson(s, SeesFullStaffMobile(who.role)));
    return ListJson(std::move(items), page.total, q);
  });
}

Result<Json> CreateStaff(db::Db& db, const Principal& who, const Json& body, std::optional<int64_t> school_id) {
  auto input = StaffFromJson(body, {}, true);
  if (!input.ok()) return input.error();
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto school = WriteSchool(c, who, school_id);
    if (!school.ok()) return school.error();
    if (store::StaffIdByMobile(c, *school, input->mobile))
      return MakeError(kConflict, "手机号" + input->mobile + "已属于本校另一位教职工",
                       "mobile " + input->mobile + " belongs to another staff member", "mobile");
    int64_t id = SaveStaff(c, *school, *input);
    Json after = StaffAuditView(*input, true);
    auth::Audit(c, who, {"create", "staff", id, nullptr, &after, *school});
    return StaffJson(*store::FindStaff(c, *school, id), SeesFullStaffMobile(who.role));
  });
}

Result<Json> UpdateStaff(db::Db& db, const Principal& who, int64_t id, const Json& body,
                         std::optional<int64_t> school_id) {
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto school = WriteSchool(c, who, school_id);
    if (!school.ok()) return school.error();
    auto old = store::FindStaff(c, *school, id);
    if (!old) return StaffNotFound();
    StaffInput base{old->name, old->gender, old->kind, old->subjects, old->mobile, old->institution};
    auto input = StaffFromJson(body, base, false);
    if (!input.ok()) return input.error();
    auto active = BoolOf(body, "active");
    if (!active.ok()) return active.error();
    bool now_active = active->value_or(old->active);
    if (auto other = store::StaffIdByMobile(c, *school, input->mobile); other && *other != id)
      return MakeError(kConflict, "手机号" + input->mobile + "已属于本校另一位教职工",
                       "mobile " + input->mobile + " belongs to another staff member", "mobile");
    store::UpdateStaff(c, *school, id, *input, now_active);
    Json before = StaffAuditView(base, old->active), after = StaffAuditView(*input, now_active);
    Diff(before, after);
    auth::Audit(c, who, {"update", "staff", id, &before, &after, *school});
    return StaffJson(*store::FindStaff(c, *school, id), SeesFullStaffMobile(who.role));
  });
}

// ================================================================ import

Result<FileOut> ImportTemplate(std::string_view kind, std::string_view format) {
  auto k = KindOf(kind);
  if (!k.ok()) return k.error();
  std::string base = std::string(KindZh(*k)) + "导入模板";
  if (format.empty() || format == "xlsx") {
    auto bytes = BuildXlsx(std::string(KindZh(*k)), TemplateHeaders(*k), {TemplateExample(*k)});
    if (!bytes.ok()) return bytes.error();
    return FileOut{std::move(*bytes), std::string(kXlsxContentType), base + ".xlsx"};
  }
  if (format == "csv") {
    std::string out(kUtf8Bom);
    AppendCsvRecord(out, TemplateHeaders(*k));
    AppendCsvRecord(out, TemplateExample(*k));
    return FileOut{std::move(out), kCsvContentType, base + ".csv"};
  }
  return Invalid("format 只能是 csv 或 xlsx", "format must be csv or xlsx", "format");
}

namespace {

template <class Plan>
Json CountsJson(const Plan& p) {
  return {{"ok", true}, {"created", p.creates}, {"updated", p.updates}, {"total", p.total}};
}

}  // namespace

Result<Json> PreviewImport(db::Db& db, const Principal& who, std::string_view kind, const Json& body,
                           std::optional<int64_t> school_id) {
  auto k = KindOf(kind);
  if (!k.ok()) return k.error();
  auto sheet = SheetFromImportBody(body);
  if (!sheet.ok()) return sheet.error();
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto school = auth::ResolveSchool(c, who, school_id);
    if (!school.ok()) return school.error();
    if (*k == ImportKind::kStudents)
      return PlanJson(PlanStudentImport(*sheet, store::LoadStudentImportContext(c, *school, TodayLocal())));
    return PlanJson(PlanStaffImport(*sheet, store::LoadStaffImportContext(c, *school)));
  });
}

Result<ImportOutcome> RunImport(db::Db& db, const Principal& who, std::string_view kind, const Json& body,
                                std::optional<int64_t> school_id) {
  auto k = KindOf(kind);
  if (!k.ok()) return k.error();
  auto sheet = SheetFromImportBody(body);
  if (!sheet.ok()) return sheet.error();
  return RunImportSheet(db, who, *k, *sheet, school_id);
}

Result<ImportOutcome> RunImportSheet(db::Db& db, const Principal& who, ImportKind kind, const Sheet& sheet,
                                     std::optional<int64_t> school_id) {
  // Plan and write in one transaction, so the plan sees exactly what it updates. A plan with
  // errors writes nothing (the empty transaction commits harmlessly).
  return db.Write([&](db::Conn& c) -> Result<ImportOutcome> {
    auto school = WriteSchool(c, who, school_id);
    if (!school.ok()) return school.error();
    Json counts;
    if (kind == ImportKind::kStudents) {
      auto plan = PlanStudentImport(sheet, store::LoadStudentImportContext(c, *school, TodayLocal()));
      if (!plan.ok()) return ImportOutcome{false, PlanJson(plan)};
      for (const auto& item : plan.items) SaveStudent(c, *school, item.input);
      counts = CountsJson(plan);
      counts["guardian_creates"] = plan.guardian_creates;
    } else {
      auto plan = PlanStaffImport(sheet, store::LoadStaffImportContext(c, *school));
      if (!plan.ok()) return ImportOutcome{false, PlanJson(plan)};
      for (const auto& item : plan.items) SaveStaff(c, *school, item.input);
      counts = CountsJson(plan);
    }
    std::string_view entity = kind == ImportKind::kStudents ? "student" : "staff";
    auth::Audit(c, who, {"import", entity, std::nullopt, nullptr, &counts, *school});
    return ImportOutcome{true, counts};
  });
}

// ================================================================ export

namespace {

std::string_view RoomKindZh(std::string_view k) {
  if (k == "classroom") return "教室";
  if (k == "sports_ground") return "运动场";
  if (k == "gym") return "体育馆";
  if (k == "function_room") return "功能室";
  if (k == "library") return "图书馆";
  if (k == "lab") return "实验室";
  return k;
}

struct Table {
  std::string sheet;
  std::string filename;
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
};

Table StudentsTable(db::Conn& c, const Principal& who, int64_t school) {
  Table t{"学生", "学生名单.xlsx", TemplateHeaders(ImportKind::kStudents), {}};
  store::StudentFilter all;
  all.limit = 0;
  for (const auto& s : store::ListStudents(c, Visibility{school, Visibility::Kind::kSchool, 0}, all).items) {
    Sight v = SightOf(who, s);
    auto mobile = [&](const std::string& m) { return v.full_mobile ? m : auth::MaskMobile(m); };
    std::vector<std::string> row = {
        s.student_no, s.name, std::string(GenderLabel(s.gender)), std::to_string(s.grade_number),
        std::to_string(s.class_number),
        v.full_id || s.id_number.empty() ? s.id_number : auth::MaskIdNumber(s.id_number),
        v.health ? s.health_notes : "",
        v.flags ? std::string(YesNoLabel(s.left_behind)) : "", v.flags ? std::string(YesNoLabel(s.low_income)) : "",
        v.flags ? std::string(YesNoLabel(s.disability)) : ""};
    for (size_t i = 0; i < 2; ++i) {
      if (i < s.guardians.size()) {
        const auto& g = s.guardians[i];
        row.insert(row.end(), {g.name, g.relation, mobile(g.mobile)});
      } else {
        row.insert(row.end(), {"", "", ""});
      }
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace

Result<FileOut> Export(db::Db& db, const Principal& who, std::string_view list, std::optional<int64_t> school_id) {
  static constexpr std::string_view kLists[] = {"students", "staff", "guardians", "classes", "rooms", "audit"};
  if (std::find(std::begin(kLists), std::end(kLists), list) == std::end(kLists))
    return MakeError(kNotFound, "没有这种导出：" + std::string(list), "no such export: " + std::string(list), "list");
  auto table = db.Write([&](db::Conn& c) -> Result<Table> {
    auto school = auth::ResolveSchool(c, who, school_id);
    if (!school.ok()) return school.error();
    Table t;
    if (list == "audit") {
      // The audit log is the leadership's (GET /audit): the same roles export it.
      if (who.role != auth::Role::kPrincipal && who.role != auth::Role::kVicePrincipal && who.role != auth::Role::kSysAdmin)
        return MakeError(kForbidden, "只有校长、副校长可以导出审计日志", "only the principal may export the audit log", "list");
      constexpr int64_t kMaxAuditExportRows = 100000;
      t = {"审计日志", "审计日志.xlsx", {"时间(UTC)", "操作人", "操作", "对象", "对象编号", "修改前", "修改后", "来源地址"}, {}};
      for (const auto& r : c.Query("SELECT at, user_name, action, entity, entity_id, before_json, after_json, client"
                                   " FROM audit_log WHERE school_id = $1 ORDER BY at DESC, id DESC LIMIT $2",
                                   {*school, kMaxAuditExportRows}))
        t.rows.push_back({FormatInstant(r.Int(0)), r.Text(1), r.Text(2), r.Text(3),
                          r.OptInt(4) ? std::to_string(*r.OptInt(4)) : "", r.Text(5), r.Text(6), r.Text(7)});
    } else if (list == "students") {
      t = StudentsTable(c, who, *school);
    } else if (list == "staff") {
      t = {"教职工", "教职工名单.xlsx", TemplateHeaders(ImportKind::kStaff), {}};
      t.headers.push_back("状态");
      store::StaffFilter all;
      all.limit = 0;
      all.include_inactive = true;
      bool full = SeesFullStaffMobile(who.role);
      for (const auto& s : store::ListStaff(c, *school, all).items)
        t.rows.push_back({s.name, std::string(GenderLabel(s.gender)), std::string(StaffKindLabel(s.kind)), s.subjects,
                          full ? s.mobile : auth::MaskMobile(s.mobile), s.institution, s.active ? "在用" : "停用"});
    } else if (list == "guardians") {
      t = {"监护人", "监护人名单.xlsx", {"姓名", "手机", "子女"}, {}};
      bool full = SeesFullMobileByRole(who.role);
      for (const auto& g : store::ListGuardians(c, Visibility{*school, Visibility::Kind::kSchool, 0}, "", 0, 0).items) {
        std::vector<std::string> kids;
        for (const auto& k : g.children) kids.push_back(k.name + "（" + k.class_name + "，" + k.relation + "）");
        t.rows.push_back({g.name, full ? g.mobile : auth::MaskMobile(g.mobile), Join(kids, kRelationSeparator)});
      }
    } else if (list == "classes") {
      t = {"班级", "班级名单.xlsx", {"年级", "班号", "班级名称", "班主任", "学生数"}, {}};
      for (const auto& r : store::ExportClasses(c, *school))
        t.rows.push_back({std::to_string(r.grade_number), std::to_string(r.class_number), r.name, r.teacher_name,
                          std::to_string(r.students)});
    } else {
      t = {"场地", "场地名单.xlsx", {"名称", "类型", "容纳人数", "设备", "状态"}, {}};
      for (const auto& r : store::ExportRooms(c, *school))
        t.rows.push_back({r.name, std::string(RoomKindZh(r.kind)), std::to_string(r.capacity), r.equipment,
                          r.active ? "在用" : "停用"});
    }
    Json after = {{"list", list}, {"rows", static_cast<int64_t>(t.rows.size())}};
    auth::Audit(c, who, {"export", list, std::nullopt, nullptr, &after, *school});
    return t;
  });
  if (!table.ok()) return table.error();
  auto bytes = BuildXlsx(table->sheet, table->headers, table->rows);
  if (!bytes.ok()) return bytes.error();
  return FileOut{std::move(*bytes), std::string(kXlsxContentType), table->filename};
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
