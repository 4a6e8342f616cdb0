// json.cpp (people): the JSON codecs of people: students and staff as the pages see them (the
// class list written straight to text), and their bodies read with BodyReader.
#include "auth/audit.h"
#include "core/text.h"
#include "core/time.h"
#include "people/internal.h"

namespace kehou::people::internal {

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

// ---------------------------------------------------------------- JSON inputs

// Text fields are read raw (BodyReader refuses other JSON types); the people rules (ParseName,
// ParseMobile, ...) trim and check them.

std::optional<bool> ReadYesNo(BodyReader& in, std::string_view key) {
  if (in.Present(key) && in.json().at(std::string(key)).is_string()) {
    auto text = in.Text(key, kRawText);
    if (!text) return std::nullopt;
    auto yes = ParseYesNo(*text, in.Field(key));
    if (!yes.ok()) {
      in.Set(yes.error());
      return std::nullopt;
    }
    return *yes;
  }
  return in.Bool(key);
}

Result<std::vector<GuardianInput>> GuardiansOf(const Json& arr) {
  if (!arr.is_array()) return Error::Invalid("guardians 应为数组", "guardians must be an array", "guardians");
  std::vector<GuardianInput> out;
  for (size_t i = 0; i < arr.size(); ++i) {
    const Json& g = arr[i];
    std::string field = "guardians[" + std::to_string(i) + "]";
    if (!g.is_object()) return Error::Invalid("监护人格式错误", "a guardian must be an object", field);
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
        return Error::Invalid("同一学生的两位监护人手机号相同", "two guardians of one student share a mobile",
                              field + ".mobile");
    out.push_back(std::move(in));
  }
  return out;
}

// Reads student fields from body over `base` (absent fields keep base's values). `creating`:
// student_no, name, gender, class_id are required.
Result<StudentInput> StudentFromJson(const Json& body, StudentInput base, bool creating) {
  if (!body.is_object()) return Error::Invalid("请求体应为对象", "the body must be an object", "");
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
    if (creating && !in.Present(key))
      return Error::Invalid(std::string(zh) + "不能为空", std::string(key) + " is required", key);
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
  BodyReader flag_in(*flags);
  for (auto [key, target] : {std::pair{"left_behind", &s.left_behind}, std::pair{"low_income", &s.low_income},
                             std::pair{"disability", &s.disability}})
    if (auto b = ReadYesNo(flag_in, key)) *target = *b;
  KEHOU_TRY(flag_in.Finish());
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

Result<StaffInput> StaffFromJson(const Json& body, StaffInput s, bool creating) {
  if (!body.is_object()) return Error::Invalid("请求体应为对象", "the body must be an object", "");
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
      if (!in.Present(key)) return Error::Invalid(std::string(zh) + "不能为空", std::string(key) + " is required", key);
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
    return Error::Invalid("机构人员必须填写所属机构", "institution staff need their institution", "institution");
  return s;
}

Json StaffAuditView(const StaffInput& s, bool active) {
  return {{"name", s.name},
          {"gender", s.gender},
          {"kind", s.kind},
          {"subjects", s.subjects},
          {"mobile", auth::MaskMobile(s.mobile)},
          {"institution", s.institution},
          {"active", active}};
}

}  // namespace kehou::people::internal
