#include "enroll/service.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <map>
#include <set>

#include "auth/audit.h"
#include "core/body.h"
#include "core/text.h"
#include "enroll/rules.h"
#include "enroll/store.h"
#include "people/xlsx.h"

namespace kehou::enroll {
namespace {

using auth::Role;
using auth::Scope;
using db::Conn;

const char* const kWeekdayZh[] = {"", "周一", "周二", "周三", "周四", "周五", "周六", "周日"};

// ---- errors --------------------------------------------------------------------------------------
Error StudentNotFound() { return Error::NotFound("学生不存在或无权访问", "no such student", "student_id"); }
Error SurveyNotFound() { return Error::NotFound("需求征询不存在", "no such survey"); }
Error ApplicationNotFound() { return Error::NotFound("申请不存在", "no such application"); }
Error TermNotFound() { return Error::NotFound("学期不存在", "no such term", "term_id"); }

// ---- JSON input ----------------------------------------------------------------------------------
// Bodies are read with core/body.h's BodyReader; these two read enroll's own shapes with it.

// Small integer lists (grades, weekdays).
std::optional<std::vector<int>> SmallInts(BodyReader& in, std::string_view key, bool required, std::string_view label) {
  auto v = in.IntList(key, {.required = required, .min = -1000, .max = 1000, .label = label});
  if (!v) return std::nullopt;
  return std::vector<int>(v->begin(), v->end());
}
// Time bands by name ("morning", "noon", ...).
std::optional<std::vector<Band>> Bands(BodyReader& in, std::string_view key, bool required) {
  auto w = in.TextList(key, {.required = required, .label = "时段"});
  if (!w) return std::nullopt;
  std::vector<Band> out;
  for (const auto& s : *w) {
    auto b = ParseBand(s);
    if (!b) {
      in.Fail(key, "未知的时段：" + s, "unknown time band " + s);
      return std::nullopt;
    }
    out.push_back(*b);
  }
  return out;
}

// ---- scope ---------------------------------------------------------------------------------------
bool IsGuardianScope(const Principal& who) { return who.scope == Scope::kOwnChildren; }
bool IsClassScope(const Principal& who) { return who.scope == Scope::kOwnClass; }
bool IsOffice(const Principal& who) {
  return who.scope == Scope::kSchool &&
         (who.role == Role::kPrincipal || who.role == Role::kVicePrincipal || who.role == Role::kOfficeDirector ||
          who.role == Role::kOfficeStaff);
}
std::string WhoName(const Principal& who) { return who.display_name.empty() ? who.login : who.display_name; }

// The school a staff request is about (own school; ?school_id for the system administrator).
Result<int64_t> StaffSchool(Conn& c, const Principal& who, SchoolArg school) {
  if (IsGuardianScope(who)) return Error::NotFound("学校不存在或无权访问", "no such school", "school_id");
  return auth::ResolveSchool(c, who, school);
}

// May a staff member see things of entity_school?
Status SeeSchool(Conn& c, const Principal& who, SchoolArg school, int64_t entity_school) {
  if (school && *school != entity_school) return Error::NotFound("记录不存在或无权访问", "not found");
  if (IsGuardianScope(who)) return Error::NotFound("记录不存在或无权访问", "not found");
  auto r = auth::ResolveSchool(c, who, entity_school);
  if (!r.ok() || *r != entity_school) return Error::NotFound("记录不存在或无权访问", "not found");
  return Ok();
}

// May who see this child? Guardians: their own; class teachers: their classes; office: the school.
Status SeeStudent(Conn& c, const Principal& who, SchoolArg school, const store::StudentRow& s) {
  switch (who.scope) {
    case Scope::kOwnChildren:
      if (who.guardian_id && store::IsGuardianOf(c, *who.guardian_id, s.id)) return Ok();
      return StudentNotFound();
    case Scope::kOwnClass:
      if (who.school_id && *who.school_id == s.school_id && who.staff_id && s.class_teacher_id &&
          *s.class_teacher_id == *who.staff_id)
        return Ok();
      return StudentNotFound();
    case Scope::kSchool:
    case Scope::kAll:
    case Scope::kArea:
      if (SeeSchool(c, who, school, s.school_id).ok()) return Ok();
      return StudentNotFound();
    default:
      return StudentNotFound();
  }
}

Result<store::StudentRow> VisibleStudent(Conn& c, const Principal& who, SchoolArg school, int64_t id) {
  auto s = store::LoadStudent(c, id);
  if (!s) return StudentNotFound();
  if (auto st = SeeStudent(c, who, school, *s); !st) return st.error();
  return *s;
}

// The staff_id whose classes bound a class teacher's view, or nullopt for the whole school.
std::optional<int64_t> TeacherBound(const Principal& who) {
  if (IsClassScope(who)) return who.staff_id.value_or(-1);
  return std::nullopt;
}

Result<store::TermRow> TermOf(Conn& c, int64_t school_id, std::optional<int64_t> term_id) {
  if (term_id) {
    auto t = store::LoadTerm(c, *term_id);
    if (!t || t->school_id != school_id) return TermNotFound();
    return *t;
  }
  auto t = store::CurrentTerm(c, school_id);
  if (!t) return Error::RuleBroken("学校尚未设置当前学期，请指定 term_id", "the school has no current term; name term_id", "term_id");
  return *t;
}

void Audit(Conn& c, const Principal& who, int64_t school_id, std::string_view action, std::string_view entity,
           int64_t id, const Json* before, const Json* after) {
  auth::AuditEntry e;
  e.action = action;
  e.entity = entity;
  e.entity_id = id;
  e.before = before;
  e.after = after;
  e.school_id = school_id;
  auth::Audit(c, who, e);
}

// ---- JSON output ---------------------------------------------------------------------------------
Json BandsJson(const std::vector<Band>& bs) {
  Json a = Json::array();
  for (Band b : bs) a.push_back(std::string(BandName(b)));
  return a;
}
Json BandOptions(const std::vector<Band>& bs) {
  Json a = Json::array();
  for (Band b : bs) a.push_back({{"kind", BandName(b)}, {"label", BandLabelZh(b)}});
  return a;
}
Json InterestOptions(const std::vector<std::string>& is) {
  Json a = Json::array();
  for (const auto& i : is) a.push_back({{"name", i}, {"label", InterestLabelZh(i)}});
  return a;
}
Json DayOptions() {
  Json a = Json::array();
  for (int d = kFirstServiceDay; d <= kLastServiceDay; ++d) a.push_back({{"day", d}, {"label", kWeekdayZh[d]}});
  return a;
}
Json StudentJson(const store::StudentRow& s) {
  return {{"id", s.id},           {"name", s.name},     {"student_no", s.student_no},
          {"class_id", s.class_id}, {"class_name", s.class_name}, {"grade", s.grade}};
}
Json SurveyJson(const store::SurveyRow& s, const Date& today) {
  return {{"id", s.id},
          {"school_id", s.school_id},
          {"term_id", s.term_id},
          {"term_name", s.term_name},
          {"title", s.title},
          {"note", s.note},
          {"grades", s.def.grades},
          {"bands", BandOptions(s.def.bands)},
          {"interests", InterestOptions(s.def.interests)},
          {"days", DayOptions()},
          {"opens_on", FormatDate(s.def.opens_on)},
          {"closes_on", FormatDate(s.def.closes_on)},
          {"open", SurveyOpen(today, s.def.opens_on, s.def.closes_on)}};
}
Json AnswerJson(const store::AnswerRow& a) {
  return {{"student_id", a.student_id},          {"wants_service", a.answer.wants_service},
          {"days", a.answer.days},               {"bands", BandsJson(a.answer.bands)},
          {"interests", a.answer.interests},     {"free_text", a.answer.free_text},
          {"updated_at", FormatInstant(a.updated_at)}};
}
Json BatchJson(const store::BatchRow& b) {
  return {{"id", b.id}, {"name", b.name}, {"leave_time", b.leave_time}, {"active", b.active}};
}
Json AgreementJson(const store::AgreementRow& a, bool with_body) {
  Json j{{"id", a.id},
         {"school_id", a.school_id},
         {"term_id", a.term_id},
         {"version", a.version},
         {"title", a.title},
         {"body_hash", a.body_hash},
         {"body_chars", Utf8Length(a.body)},
         {"is_current", a.is_current},
         {"created_at", FormatInstant(a.created_at)}};
  if (with_body) j["body"] = a.body;
  return j;
}
Json SignatureJson(const store::SignatureRow& s) {
  return {{"id", s.id},
          {"application_version", s.application_version},
          {"agreement_id", s.agreement_id},
          {"agreement_version", s.agreement_version},
          {"text_hash", s.text_hash},
          {"signer_name", s.signer_name},
          {"guardian_id", s.guardian_id ? Json(*s.guardian_id) : Json(nullptr)},
          {"device", s.device},
          {"client", s.client},
          {"signed_at", FormatInstant(s.signed_at)},
          {"form", Json::parse(s.form_json, nullptr, false)}};
}
std::string_view DecisionLabelZh(std::string_view action) {
  if (action == "submit") return "提交申请";
  if (action == "class_approve") return "班主任审核通过";
  if (action == "class_return") return "班主任退回";
  if (action == "approve") return "校长审定通过";
  if (action == "return") return "校长退回";
  if (action == "reject") return "未予通过";
  return "";
}
Json DecisionJson(const store::DecisionRow& d) {
  auto role = auth::ParseRole(d.role);
  return {{"action", d.action},
          {"label", DecisionLabelZh(d.action)},
          {"application_version", d.application_version},
          {"from_status", d.from_status},
          {"to_status", d.to_status},
          {"reason", d.reason},
          {"user_name", d.user_name},
          {"role", d.role},
          {"role_label", role ? std::string(auth::RoleLabelZh(*role)) : std::string()},
          {"at", FormatInstant(d.at)}};
}
Json ExitJson(const store::ExitRow& e) {
  return {{"id", e.id},
          {"school_id", e.school_id},
          {"term_id", e.term_id},
          {"student_id", e.student_id},
          {"application_id", e.application_id},
          {"effective_date", FormatDate(e.effective_date)},
          {"reason", e.reason},
          {"user_name", e.user_name},
          {"role", e.role},
          {"created_at", FormatInstant(e.created_at)}};
}
Json FormJson(const store::ApplicationRow& a) {
  Json pickup{{"mode", PickupName(a.pickup.mode)}};
  if (a.pickup.mode == PickupMode::kGuardian) pickup["guardian_id"] = a.pickup.guardian_id ? Json(*a.pickup.guardian_id) : Json(nullptr);
  if (a.pickup.mode == PickupMode::kProxy) {
    pickup["proxy_name"] = a.pickup.proxy_name;
    pickup["proxy_mobile"] = a.pickup.proxy_mobile;
  }
  return {{"version", a.version},
          {"days", a.days},
          {"bands", BandsJson(a.bands)},
          {"pickup", pickup},
          {"dismissal_batch_id", a.dismissal_batch_id ? Json(*a.dismissal_batch_id) : Json(nullptr)},
          {"note", a.note}};
}

// The application as the pages see it; detail adds signatures, history, exit and enrolment.
Json AppJson(Conn& c, const store::ApplicationRow& a, const store::StudentRow& s, bool detail, const Date& today) {
  Json j = FormJson(a);
  j["id"] = a.id;
  j["school_id"] = a.school_id;
  j["term_id"] = a.term_id;
  j["student"] = StudentJson(s);
  j["status"] = StatusName(a.status);
  j["status_label"] = StatusLabelZh(a.status);
  j["editable"] = Editable(a.status);
  j["created_at"] = FormatInstant(a.created_at);
  j["updated_at"] = FormatInstant(a.updated_at);
  j["submitted_at"] = a.submitted_at ? Json(FormatInstant(*a.submitted_at)) : Json(nullptr);
  if (a.pickup.mode == PickupMode::kGuardian && a.pickup.guardian_id)
    j["pickup"]["guardian_name"] = store::GuardianName(c, *a.pickup.guardian_id);
  if (a.dismissal_batch_id)
    if (auto b = store::LoadBatch(c, *a.dismissal_batch_id)) j["dismissal_batch"] = BatchJson(*b);
  auto sig = store::SignatureFor(c, a.school_id, a.id, a.version);
  j["signed_current_version"] = sig.has_value();
  j["signature"] = sig ? SignatureJson(*sig) : Json(nullptr);
  if (!detail) return j;
  Json sigs = Json::array();
  for (const auto& x : store::SignaturesOf(c, a.school_id, a.id)) sigs.push_back(SignatureJson(x));
  j["signatures"] = sigs;
  Json history = Json::array();
  for (const auto& d : store::DecisionsOf(c, a.school_id, a.id)) history.push_back(DecisionJson(d));
  j["history"] = history;
  auto ex = store::ExitFor(c, a.school_id, a.id);
  j["exit"] = ex ? ExitJson(*ex) : Json(nullptr);
  auto term = store::LoadTerm(c, a.term_id);
  if (term) {
    j["term_name"] = term->name;
    j["enrolled_today"] = EnrolledOn(a.status, sig.has_value(),
                                     ex ? std::optional<Date>(ex->effective_date) : std::nullopt, term->start,
                                     term->end, today);
  }
  auto cur = store::CurrentAgreement(c, a.school_id, a.term_id);
  j["current_agreement"] = cur ? AgreementJson(*cur, false) : Json(nullptr);
  return j;
}

Json Items(Json items) { return Json{{"items", std::move(items)}}; }

// Safe truncation of a byte string at a UTF-8 boundary.
std::string TruncateUtf8(std::string s, size_t max_chars) {
  if (Utf8Length(s) <= max_chars) return s;
  size_t chars = 0, i = 0;
  while (i < s.size() && chars < max_chars) {
    unsigned char ch = static_cast<unsigned char>(s[i]);
    size_t len = ch < 0x80 ? 1 : (ch >> 5) == 0x6 ? 2 : (ch >> 4) == 0xE ? 3 : (ch >> 3) == 0x1E ? 4 : 1;
    i += len;
    ++chars;
  }
  s.resize(std::min(i, s.size()));
  return s;
}

}  // namespace

// ==== surveys ======================================================================================

namespace {

Result<SurveyDef> ReadSurveyDef(BodyReader& in, const store::SurveyRow* base) {
  SurveyDef d;
  if (base) d = base->def;
  if (auto t = in.Text("title", {.required = !base, .label = "标题"})) d.title = Trim(*t);
  if (auto g = SmallInts(in, "grades", !base, "年级")) d.grades = *g;
  if (auto b = Bands(in, "bands", false)) d.bands = *b;
  else if (!base) d.bands = {Band::kMorning, Band::kNoon, Band::kAfterSchool};
  if (auto i = in.TextList("interests", {.label = "兴趣类别"})) d.interests = *i;
  else if (!base) d.interests = AllInterests();
  if (auto o = in.Date("opens_on", {.required = !base, .label = "开始日期"})) d.opens_on = *o;
  if (auto o = in.Date("closes_on", {.required = !base, .label = "截止日期"})) d.closes_on = *o;
  KEHOU_TRY(in.Finish());
  // Default bands: evening too when a junior grade is in scope.
  if (!base && !in.Present("bands") && std::any_of(d.grades.begin(), d.grades.end(), IsJunior))
    d.bands.push_back(Band::kEvening);
  return d;
}

struct Agg {
  int64_t children = 0, answered = 0, wants = 0;
  std::array<int64_t, 6> days{};
  std::map<std::string, int64_t> bands, interests;
  void Add(const std::optional<store::AnswerRow>& a) {
    ++children;
    if (!a) return;
    ++answered;
    if (a->answer.wants_service) ++wants;
    for (int d : a->answer.days)
      if (d >= kFirstServiceDay && d <= kLastServiceDay) ++days[static_cast<size_t>(d)];
    for (Band b : a->answer.bands) ++bands[std::string(BandName(b))];
    for (const auto& i : a->answer.interests) ++interests[i];
  }
  Json ToJson(const SurveyDef& def) const {
    Json dj = Json::object(), bj = Json::object(), ij = Json::object();
    for (int d = kFirstServiceDay; d <= kLastServiceDay; ++d) dj[std::to_string(d)] = days[static_cast<size_t>(d)];
    for (Band b : def.bands) {
      auto it = bands.find(std::string(BandName(b)));
      bj[std::string(BandName(b))] = it == bands.end() ? 0 : it->second;
    }
    for (const auto& i : def.interests) {
      auto it = interests.find(i);
      ij[i] = it == interests.end() ? 0 : it->second;
    }
    return {{"children", children},       {"answered", answered},
            {"response_rate", ResponseRate(answered, children)},
            {"wants_service", wants},      {"days", dj},
            {"bands", bj},                {"interests", ij}};
  }
};

struct Results {
  SurveyDef def;
  Agg total;
  std::map<int, Agg> grades;
  std::vector<std::pair<store::StudentRow, Agg>> classes;  // first student of the class, its aggregate
  std::vector<std::pair<store::StudentRow, std::optional<store::AnswerRow>>> rows;
};

Results Compute(Conn& c, const store::SurveyRow& s, std::optional<int64_t> teacher) {
  Results r;
  r.def = s.def;
  std::map<int64_t, store::AnswerRow> answers;
  for (auto& a : store::AnswersOf(c, s.school_id, s.id)) answers.emplace(a.student_id, std::move(a));
  for (const auto& st : store::StudentsOf(c, s.school_id, s.def.grades, teacher)) {
    std::optional<store::AnswerRow> a;
    if (auto it = answers.find(st.id); it != answers.end()) a = it->second;
    r.total.Add(a);
    r.grades[st.grade].Add(a);
    if (r.classes.empty() || r.classes.back().first.class_id != st.class_id) r.classes.push_back({st, Agg{}});
    r.classes.back().second.Add(a);
    r.rows.push_back({st, a});
  }
  return r;
}

}  // namespace

Result<Json> ListSurveys(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> term_id,
                         const Date& today) {
  return db.Read([&](Conn& c) -> Result<Json> {
    Json items = Json::array();
    if (IsGuardianScope(who)) {
      if (!who.guardian_id) return Items(items);
      auto children = store::ChildrenOf(c, *who.guardian_id);
      std::set<int64_t> schools;
      for (const auto& k : children) schools.insert(k.school_id);
      for (int64_t sid : schools) {
        for (const auto& s : store::SurveysOf(c, sid, term_id)) {
          Json kids = Json::array();
          for (const auto& k : children) {
            if (k.school_id != sid) continue;
            if (std::find(s.def.grades.begin(), s.def.grades.end(), k.grade) == s.def.grades.end()) continue;
            kids.push_back({{"student_id", k.id},
                            {"name", k.name},
                            {"class_name", k.class_name},
                            {"answered", store::LoadAnswer(c, sid, s.id, k.id).has_value()}});
          }
          if (kids.empty()) continue;
          Json j = SurveyJson(s, today);
          j["children"] = kids;
          items.push_back(std::move(j));
        }
      }
      return Items(items);
    }
    auto sid = StaffSchool(c, who, school);
    if (!sid) return sid.error();
    for (const auto& s : store::SurveysOf(c, *sid, term_id)) {
      Json j = SurveyJson(s, today);
      j["answered"] = store::CountAnswers(c, *sid, s.id);
      items.push_back(std::move(j));
    }
    return Items(items);
  });
}

Result<Json> CreateSurvey(db::Db& db, const Principal& who, SchoolArg school, const Json& body) {
  BodyReader in(body);
  auto term_id = in.Id("term_id", {.required = true, .label = "学期"});
  std::string note = in.Text("note", {.multiline = true, .label = "说明"}).value_or("");
  auto def = ReadSurveyDef(in, nullptr);
  if (!def) return def.error();
  if (auto st = CheckText(note, kMaxNoteChars, false, "note", "说明"); !st) return st.error();
  return db.Write([&](Conn& c) -> Result<Json> {
    auto sid = StaffSchool(c, who, school);
    if (!sid) return sid.error();
    auto term = TermOf(c, *sid, term_id);
    if (!term) return term.error();
    if (auto st = CheckSurvey(*def, term->end); !st) return st.error();
    store::SurveyRow s;
    s.school_id = *sid;
    s.term_id = term->id;
    s.title = def->title;
    s.note = note;
    s.def = *def;
    s.id = store::InsertSurvey(c, s, who.user_id);
    auto saved = store::LoadSurvey(c, s.id);
    Json out = SurveyJson(*saved, TodayLocal());
    Audit(c, who, *sid, "create", "survey", s.id, nullptr, &out);
    return out;
  });
}

Result<Json> GetSurvey(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const Date& today) {
  return db.Read([&](Conn& c) -> Result<Json> {
    auto s = store::LoadSurvey(c, id);
    if (!s) return SurveyNotFound();
    if (IsGuardianScope(who)) {
      Json kids = Json::array();
      if (who.guardian_id)
        for (const auto& k : store::ChildrenOf(c, *who.guardian_id)) {
          if (k.school_id != s->school_id) continue;
          if (std::find(s->def.grades.begin(), s->def.grades.end(), k.grade) == s->def.grades.end()) continue;
          auto a = store::LoadAnswer(c, s->school_id, s->id, k.id);
          kids.push_back({{"student_id", k.id},
                          {"name", k.name},
                          {"class_name", k.class_name},
                          {"grade", k.grade},
                          {"evening_allowed", IsJunior(k.grade)},
                          {"answer", a ? AnswerJson(*a) : Json(nullptr)}});
        }
      if (kids.empty()) return SurveyNotFound();
      Json j = SurveyJson(*s, today);
      j["children"] = kids;
      return j;
    }
    if (!SeeSchool(c, who, school, s->school_id)) return SurveyNotFound();
    Json j = SurveyJson(*s, today);
    j["answered"] = store::CountAnswers(c, s->school_id, s->id);
    return j;
  });
}

Result<Json> UpdateSurvey(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const Json& body) {
  return db.Write([&](Conn& c) -> Result<Json> {
    auto s = store::LoadSurvey(c, id);
    if (!s) return SurveyNotFound();
    if (!SeeSchool(c, who, school, s->school_id)) return SurveyNotFound();
    BodyReader in(body);
    auto def = ReadSurveyDef(in, &*s);
    if (!def) return def.error();
    auto note = in.Text("note", {.multiline = true, .label = "说明"});
    KEHOU_TRY(in.Finish());
    if (note)
      if (auto st = CheckText(*note, kMaxNoteChars, false, "note", "说明"); !st) return st.error();
    bool scope_changed = def->grades != s->def.grades || def->bands != s->def.bands || def->interests != s->def.interests;
    if (scope_changed && store::CountAnswers(c, s->school_id, s->id) > 0)
      return Error::Conflict("已有家长作答，不能再修改年级、时段或兴趣类别（可修改标题、说明和日期）",
                      "answers exist: grades, bands and interests can no longer change", "grades");
    auto term = store::LoadTerm(c, s->term_id);
    if (!term) return TermNotFound();
    if (auto st = CheckSurvey(*def, term->end); !st) return st.error();
    Json before = SurveyJson(*s, TodayLocal());
    store::SurveyRow n = *s;
    n.def = *def;
    n.title = def->title;
    if (note) n.note = *note;
    store::UpdateSurvey(c, n);
    Json after = SurveyJson(*store::LoadSurvey(c, id), TodayLocal());
    Audit(c, who, s->school_id, "update", "survey", id, &before, &after);
    return after;
  });
}

Result<Json> GetSurveyAnswer(db::Db& db, const Principal& who, SchoolArg school, int64_t survey_id,
                             int64_t student_id) {
  return db.Read([&](Conn& c) -> Result<Json> {
    auto st = VisibleStudent(c, who, school, student_id);
    if (!st) return st.error();
    auto s = store::LoadSurvey(c, survey_id);
    if (!s || s->school_id != st->school_id) return SurveyNotFound();
    auto a = store::LoadAnswer(c, s->school_id, s->id, student_id);
    return Json{{"survey_id", survey_id}, {"student", StudentJson(*st)}, {"answer", a ? AnswerJson(*a) : Json(nullptr)}};
  });
}

Result<Json> PutSurveyAnswer(db::Db& db, const Principal& who, int64_t survey_id, int64_t student_id,
                             const Json& body, const Date& today) {
  BodyReader in(body);
  SurveyAnswer a;
  a.wants_service = in.Bool("wants_service", {.required = true, .label = "是否需要托管"}).value_or(true);
  a.days = SmallInts(in, "days", false, "服务日").value_or(std::vector<int>{});
  a.bands = Bands(in, "bands", false).value_or(std::vector<Band>{});
  a.interests = in.TextList("interests", {.label = "兴趣类别"}).value_or(std::vector<std::string>{});
  a.free_text = in.Text("free_text", {.multiline = true, .label = "意见建议"}).value_or("");
  KEHOU_TRY(in.Finish());
  return db.Write([&](Conn& c) -> Result<Json> {
    if (!IsGuardianScope(who)) return MakeError(kForbidden, "只有监护人可以填写征询", "only guardians answer");
    auto st = VisibleStudent(c, who, std::nullopt, student_id);
    if (!st) return st.error();
    auto s = store::LoadSurvey(c, survey_id);
    if (!s || s->school_id != st->school_id) return SurveyNotFound();
    if (!SurveyOpen(today, s->def.opens_on, s->def.closes_on))
      return Error::RuleBroken(today < s->def.opens_on ? "需求征询尚未开始（" + FormatDate(s->def.opens_on) + " 开始）"
                                          : "需求征询已截止（" + FormatDate(s->def.closes_on) + "）",
                  "the survey is not open", "survey_id");
    if (auto chk = CheckSurveyAnswer(a, s->def, st->grade); !chk) return chk.error();
    auto old = store::LoadAnswer(c, s->school_id, s->id, student_id);
    Json before = old ? AnswerJson(*old) : Json(nullptr);
    int64_t aid = store::UpsertAnswer(c, s->school_id, s->id, student_id, a, who.guardian_id);
    Json after = AnswerJson(*store::LoadAnswer(c, s->school_id, s->id, student_id));
    Audit(c, who, s->school_id, old ? "update" : "create", "survey_answer", aid, old ? &before : nullptr, &after);
    return Json{{"survey_id", survey_id}, {"student", StudentJson(*st)}, {"answer", after}};
  });
}

Result<Json> SurveyResults(db::Db& db, const Principal& who, SchoolArg school, int64_t id) {
  return db.Read([&](Conn& c) -> Result<Json> {
    auto s = store::LoadSurvey(c, id);
    if (!s) return SurveyNotFound();
    if (IsClassScope(who)) {
      if (!who.school_id || *who.school_id != s->school_id) return SurveyNotFound();
    } else if (!SeeSchool(c, who, school, s->school_id)) {
      return SurveyNotFound();
    }
    Results r = Compute(c, *s, TeacherBound(who));
    Json grades = Json::array();
    for (const auto& [g, agg] : r.grades) {
      Json j = agg.ToJson(r.def);
      j["grade"] = g;
      grades.push_back(std::move(j));
    }
    Json classes = Json::array();
    for (const auto& [st, agg] : r.classes) {
      Json j = agg.ToJson(r.def);
      j["class_id"] = st.class_id;
      j["class_name"] = st.class_name;
      j["grade"] = st.grade;
      classes.push_back(std::move(j));
    }
    Json free = Json::array();
    for (const auto& [st, a] : r.rows)
      if (a && !a->answer.free_text.empty())
        free.push_back({{"student_id", st.id}, {"class_name", st.class_name}, {"text", a->answer.free_text}});
    return Json{{"survey", SurveyJson(*s, TodayLocal())},
                {"total", r.total.ToJson(r.def)},
                {"grades", grades},
                {"classes", classes},
                {"free_texts", free}};
  });
}

Result<FileOut> ExportSurvey(db::Db& db, const Principal& who, SchoolArg school, int64_t id,
                             const std::string& kind) {
  if (kind != "summary" && kind != "answers")
    return Error::Invalid("导出类型应为 summary 或 answers", "kind must be summary or answers", "kind");
  auto data = db.Read([&](Conn& c) -> Result<std::pair<store::SurveyRow, Results>> {
    auto s = store::LoadSurvey(c, id);
    if (!s) return SurveyNotFound();
    if (IsClassScope(who)) {
      if (!who.school_id || *who.school_id != s->school_id) return SurveyNotFound();
    } else if (!SeeSchool(c, who, school, s->school_id)) {
      return SurveyNotFound();
    }
    return std::make_pair(*s, Compute(c, *s, TeacherBound(who)));
  });
  if (!data) return data.error();
  const auto& [s, r] = data.value();
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
  auto pct = [](int64_t a, int64_t n) {
    double v = ResponseRate(a, n) * 100.0;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", v);
    return std::string(buf);
  };
  if (kind == "summary") {
    headers = {"范围", "年级", "班级", "学生数", "已答", "回复率", "需要托管"};
    for (int d = kFirstServiceDay; d <= kLastServiceDay; ++d) headers.emplace_back(kWeekdayZh[d]);
    for (Band b : r.def.bands) headers.emplace_back(BandLabelZh(b));
    for (const auto& i : r.def.interests) headers.emplace_back(InterestLabelZh(i));
    auto row = [&](std::string scope, std::string grade, std::string cls, const Agg& a) {
      std::vector<std::string> v{std::move(scope), std::move(grade), std::move(cls), std::to_string(a.children),
                                 std::to_string(a.answered), pct(a.answered, a.children), std::to_string(a.wants)};
      for (int d = kFirstServiceDay; d <= kLastServiceDay; ++d) v.push_back(std::to_string(a.days[static_cast<size_t>(d)]));
      for (Band b : r.def.bands) {
        auto it = a.bands.find(std::string(BandName(b)));
        v.push_back(std::to_string(it == a.bands.end() ? 0 : it->second));
      }
      for (const auto& i : r.def.interests) {
        auto it = a.interests.find(i);
        v.push_back(std::to_string(it == a.interests.end() ? 0 : it->second));
      }
      rows.push_back(std::move(v));
    };
    for (const auto& [st, agg] : r.classes) row("班级", std::to_string(st.grade), st.class_name, agg);
    for (const auto& [g, agg] : r.grades) row("年级", std::to_string(g), "", agg);
    row("合计", "", "", r.total);
  } else {
    headers = {"年级", "班级", "学号", "姓名", "是否作答", "需要托管", "服务日", "时段", "兴趣", "意见建议"};
    for (const auto& [st, a] : r.rows) {
      std::vector<std::string> v{std::to_string(st.grade), st.class_name, st.student_no, st.name, a ? "是" : "否"};
      if (a) {
        v.push_back(a->answer.wants_service ? "是" : "否");
        std::vector<std::string> ds, bs, is;
        for (int d : a->answer.days)
          if (d >= 1 && d <= 7) ds.emplace_back(kWeekdayZh[d]);
        for (Band b : a->answer.bands) bs.emplace_back(BandLabelZh(b));
        for (const auto& i : a->answer.interests) is.emplace_back(InterestLabelZh(i));
        v.push_back(Join(ds, "、"));
        v.push_back(Join(bs, "、"));
        v.push_back(Join(is, "、"));
        v.push_back(a->answer.free_text);
      } else {
        v.insert(v.end(), 5, "");
      }
      rows.push_back(std::move(v));
    }
  }
  auto bytes = people::BuildXlsx(kind == "summary" ? "征询汇总" : "征询明细", headers, rows);
  if (!bytes) return bytes.error();
  return FileOut{std::move(bytes.value()), std::string(people::kXlsxContentType),
                 "需求征询-" + s.title + (kind == "summary" ? "-汇总" : "-明细") + ".xlsx"};
}

// ==== dismissal batches ============================================================================

Result<Json> ListBatches(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> student_id,
                         bool include_inactive) {
  return db.Read([&](Conn& c) -> Result<Json> {
    int64_t sid = 0;
    if (IsGuardianScope(who)) {
      if (!student_id) return Error::Invalid("请指定学生（student_id）", "student_id is required", "student_id");
      auto st = VisibleStudent(c, who, std::nullopt, *student_id);
      if (!st) return st.error();
      sid = st->school_id;
      include_inactive = false;
    } else {
      auto r = StaffSchool(c, who, school);
      if (!r) return r.error();
      sid = *r;
    }
    Json items = Json::array();
    for (const auto& b : store::BatchesOf(c, sid, include_inactive)) items.push_back(BatchJson(b));
    return Items(items);
  });
}

namespace {
Status CheckBatch(const store::BatchRow& b) {
  if (auto st = CheckText(b.name, kMaxBatchNameChars, true, "name", "批次名称"); !st) return st;
  if (!ParseTimeOfDay(b.leave_time))
    return Error::Invalid("放学时间应为 HH:MM", "leave_time must be HH:MM", "leave_time");
  return Ok();
}
}  // namespace

Result<Json> CreateBatch(db::Db& db, const Principal& who, SchoolArg school, const Json& body) {
  BodyReader in(body);
  store::BatchRow b;
  b.name = Trim(in.Text("name", {.required = true, .label = "批次名称"}).value_or(""));
  b.leave_time = Trim(in.Text("leave_time", {.required = true, .label = "放学时间"}).value_or(""));
  b.active = in.Bool("active", {.label = "是否启用"}).value_or(true);
  KEHOU_TRY(in.Finish());
  if (auto st = CheckBatch(b); !st) return st.error();
  if (auto t = ParseTimeOfDay(b.leave_time)) b.leave_time = FormatTimeOfDay(*t);
  try {
    return db.Write([&](Conn& c) -> Result<Json> {
      auto sid = StaffSchool(c, who, school);
      if (!sid) return sid.error();
      b.school_id = *sid;
      for (const auto& o : store::BatchesOf(c, *sid, true))
        if (o.name == b.name) return Error::Conflict("已有同名放学批次", "a batch with this name exists", "name");
      b.id = store::InsertBatch(c, b);
      Json out = BatchJson(b);
      Audit(c, who, *sid, "create", "dismissal_batch", b.id, nullptr, &out);
      return out;
    });
  } catch (const db::DbError& e) {
    if (e.unique_violation) return Error::Conflict("已有同名放学批次", "a batch with this name exists", "name");
    throw;
  }
}

Result<Json> UpdateBatch(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const Json& body) {
  try {
    return db.Write([&](Conn& c) -> Result<Json> {
      auto b = store::LoadBatch(c, id);
      if (!b || !SeeSchool(c, who, school, b->school_id)) return Error::NotFound("放学批次不存在", "no such batch");
      BodyReader in(body);
      store::BatchRow n = *b;
      if (auto v = in.Text("name", {.label = "批次名称"})) n.name = Trim(*v);
      if (auto v = in.Text("leave_time", {.label = "放学时间"})) n.leave_time = Trim(*v);
      if (auto v = in.Bool("active", {.label = "是否启用"})) n.active = *v;
      KEHOU_TRY(in.Finish());
      if (auto st = CheckBatch(n); !st) return st.error();
      n.leave_time = FormatTimeOfDay(*ParseTimeOfDay(n.leave_time));
      for (const auto& o : store::BatchesOf(c, n.school_id, true))
        if (o.id != n.id && o.name == n.name) return Error::Conflict("已有同名放学批次", "a batch with this name exists", "name");
      store::UpdateBatch(c, n);
      Json before = BatchJson(*b), after = BatchJson(n);
      Audit(c, who, n.school_id, "update", "dismissal_batch", id, &before, &after);
      return after;
    });
  } catch (const db::DbError& e) {
    if (e.unique_violation) return Error::Conflict("已有同名放学批次", "a batch with this name exists", "name");
    throw;
  }
}

// ==== agreements ===================================================================================

Result<Json> ListAgreements(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> term_id) {
  return db.Read([&](Conn& c) -> Result<Json> {
    auto sid = StaffSchool(c, who, school);
    if (!sid) return sid.error();
    Json items = Json::array();
    for (const auto& a : store::AgreementsOf(c, *sid, term_id)) {
      Json j = AgreementJson(a, false);
      j["signatures"] = c.QueryOne("SELECT COUNT(*) FROM application_signatures WHERE school_id = $1 AND agreement_id = $2",
                                   {*sid, a.id})
                            ->Int(0);
      items.push_back(std::move(j));
    }
    return Items(items);
  });
}

Result<Json> CreateAgreement(db::Db& db, const Principal& who, SchoolArg school, const Json& body) {
  BodyReader in(body);
  auto term_id = in.Id("term_id", {.required = true, .label = "学期"});
  std::string title = Trim(in.Text("title", {.required = true, .label = "协议标题"}).value_or(""));
  std::string text = in.Text("body", {.required = true, .multiline = true, .trim = false, .label = "协议正文"}).value_or("");
  KEHOU_TRY(in.Finish());
  if (auto st = CheckText(title, kMaxTitleChars, true, "title", "协议标题"); !st) return st.error();
  if (auto st = CheckText(text, kMaxAgreementChars, true, "body", "协议正文"); !st) return st.error();
  try {
    return db.Write([&](Conn& c) -> Result<Json> {
      auto sid = StaffSchool(c, who, school);
      if (!sid) return sid.error();
      auto term = TermOf(c, *sid, term_id);
      if (!term) return term.error();
      auto a = store::InsertAgreementVersion(c, *sid, term->id, title, text, who.user_id);
      Json out = AgreementJson(a, true);
      Json audit = AgreementJson(a, false);
      Audit(c, who, *sid, "create", "agreement", a.id, nullptr, &audit);
      return out;
    });
  } catch (const db::DbError& e) {
    if (e.unique_violation) return Error::Conflict("同时有人在发布协议，请重试", "another version was published at the same time");
    throw;
  }
}

Result<Json> GetAgreement(db::Db& db, const Principal& who, SchoolArg school, int64_t id) {
  return db.Read([&](Conn& c) -> Result<Json> {
    auto a = store::LoadAgreement(c, id);
    auto nf = [] { return Error::NotFound("协议不存在", "no such agreement"); };
    if (!a) return nf();
    if (IsGuardianScope(who)) {
      bool mine = false;
      if (who.guardian_id)
        for (const auto& k : store::ChildrenOf(c, *who.guardian_id)) mine = mine || k.school_id == a->school_id;
      if (!mine) return nf();
    } else if (IsClassScope(who)) {
      if (!who.school_id || *who.school_id != a->school_id) return nf();
    } else if (!SeeSchool(c, who, school, a->school_id)) {
      return nf();
    }
    return AgreementJson(*a, true);
  });
}

Result<Json> CurrentAgreement(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> term_id,
                              std::optional<int64_t> student_id) {
  return db.Read([&](Conn& c) -> Result<Json> {
    int64_t sid = 0;
    if (IsGuardianScope(who)) {
      if (!student_id) return Error::Invalid("请指定学生（student_id）", "student_id is required", "student_id");
      auto st = VisibleStudent(c, who, std::nullopt, *student_id);
      if (!st) return st.error();
      sid = st->school_id;
    } else {
      auto r = IsClassScope(who) && who.school_id ? Result<int64_t>(*who.school_id) : StaffSchool(c, who, school);
      if (!r) return r.error();
      sid = *r;
    }
    auto term = TermOf(c, sid, term_id);
    if (!term) return term.error();
    auto a = store::CurrentAgreement(c, sid, term->id);
    if (!a) return Error::NotFound("学校尚未发布本学期的托管协议", "no agreement published for this term");
    return AgreementJson(*a, true);
  });
}

// ==== applications =================================================================================

namespace {

struct FormIn {
  std::optional<std::vector<int>> days;
  std::optional<std::vector<Band>> bands;
  std::optional<Pickup> pickup;
  bool has_batch = false;
  std::optional<int64_t> batch;
  std::optional<std::string> note;
};

Result<FormIn> ReadForm(const Json& body, bool create) {
  BodyReader in(body);
  FormIn f;
  f.days = SmallInts(in, "days", create, "服务日");
  f.bands = Bands(in, "bands", create);
  if (in.Present("pickup")) {
    const Json& pj = body.at("pickup");
    if (!pj.is_object()) return Error::Invalid("接送方式格式不正确", "pickup must be an object", "pickup");
    BodyReader p(pj, "pickup.");
    Pickup pk;
    auto mode = p.Text("mode", {.required = true, .label = "接送方式"});
    KEHOU_TRY(p.Finish());
    auto m = ParsePickup(Trim(*mode));
    if (!m) return Error::Invalid("接送方式应为 self、guardian 或 proxy", "pickup.mode must be self, guardian or proxy", "pickup.mode");
    pk.mode = *m;
    pk.guardian_id = p.Id("guardian_id", {.label = "接送监护人"});
    pk.proxy_name = Trim(p.Text("proxy_name", {.label = "受托接送人姓名"}).value_or(""));
    pk.proxy_mobile = Trim(p.Text("proxy_mobile", {.label = "受托接送人手机"}).value_or(""));
    KEHOU_TRY(p.Finish());
    if (pk.mode != PickupMode::kGuardian) pk.guardian_id.reset();
    if (pk.mode != PickupMode::kProxy) pk.proxy_name.clear(), pk.proxy_mobile.clear();
    f.pickup = pk;
  } else if (create) {
    return Error::Invalid("请填写接送方式", "pickup is required", "pickup");
  }
  f.has_batch = in.Has("dismissal_batch_id");
  f.batch = in.Id("dismissal_batch_id", {.label = "放学批次"});
  f.note = in.Text("note", {.multiline = true, .label = "备注"});
  KEHOU_TRY(in.Finish());
  return f;
}

// Applies the form onto app and checks it against the child, the term and the school's lists.
Status ApplyForm(Conn& c, store::ApplicationRow& app, const FormIn& f, const store::StudentRow& st,
                 const store::TermRow& term) {
  if (f.days) app.days = *f.days;
  if (f.bands) app.bands = *f.bands;
  if (f.pickup) app.pickup = *f.pickup;
  if (f.has_batch) app.dismissal_batch_id = f.batch;
  if (f.note) app.note = *f.note;
  std::sort(app.days.begin(), app.days.end());
  if (auto s = CheckDays(app.days, term.excluded_weekdays, false); !s) return s;
  if (auto s = CheckBands(app.bands, st.grade, store::OfferedBands(c, app.school_id, app.term_id), false); !s) return s;
  if (auto s = CheckPickup(app.pickup, store::GuardiansOf(c, st.id)); !s) return s;
  if (auto s = CheckText(app.note, kMaxNoteChars, false, "note", "备注"); !s) return s;
  auto batches = store::BatchesOf(c, app.school_id, false);
  if (app.dismissal_batch_id) {
    auto b = store::LoadBatch(c, *app.dismissal_batch_id);
    if (!b || b->school_id != app.school_id || !b->active)
      return Error::Invalid("放学批次不存在或已停用", "no such dismissal batch", "dismissal_batch_id");
  } else if (!batches.empty()) {
    bool late = std::any_of(app.bands.begin(), app.bands.end(),
                            [](Band b) { return b == Band::kAfterSchool || b == Band::kEvening; });
    if (late) return Error::Invalid("请选择放学批次", "choose a dismissal batch", "dismissal_batch_id");
  }
  return Ok();
}

Result<std::pair<store::ApplicationRow, store::StudentRow>> VisibleApplication(Conn& c, const Principal& who,
                                                                                SchoolArg school, int64_t id) {
  auto a = store::LoadApplication(c, id);
  if (!a) return ApplicationNotFound();
  auto st = store::LoadStudent(c, a->student_id);
  if (!st || !SeeStudent(c, who, school, *st).ok()) return ApplicationNotFound();
  return std::make_pair(*a, *st);
}

void Decide(Conn& c, const Principal& who, const store::ApplicationRow& a, Step step, AppStatus to,
            const std::string& reason) {
  store::DecisionRow d;
  d.application_id = a.id;
  d.application_version = a.version;
  d.action = std::string(StepName(step));
  d.from_status = std::string(StatusName(a.status));
  d.to_status = std::string(StatusName(to));
  d.reason = reason;
  d.user_id = who.user_id ? std::optional<int64_t>(who.user_id) : std::nullopt;
  d.user_name = WhoName(who);
  d.role = std::string(auth::RoleName(who.role));
  d.at = NowMs();
  store::InsertDecision(c, a.school_id, d);
  Json before{{"status", StatusName(a.status)}};
  Json after{{"status", StatusName(to)}, {"reason", reason}, {"version", a.version}};
  Audit(c, who, a.school_id, StepName(step), "application", a.id, &before, &after);
}

Error Stale() {
  return Error::Conflict("申请已被他人修改，请刷新后重试", "the application changed meanwhile; reload and retry", "version");
}

}  // namespace

Result<Json> ListApplications(db::Db& db, const Principal& who, SchoolArg school, const ApplicationQuery& q) {
  store::ApplicationFilter f;
  f.term_id = q.term_id;
  f.class_id = q.class_id;
  f.student_id = q.student_id;
  f.q = Trim(q.q);
  if (!q.status.empty()) {
    f.status = ParseStatus(q.status);
    if (!f.status) return Error::Invalid("状态不正确", "unknown status", "status");
  }
  int64_t size = std::clamp<int64_t>(q.page_size, 1, 200);
  int64_t page = std::max<int64_t>(q.page, 1);
  f.limit = size;
  f.offset = (page - 1) * size;
  return db.Read([&](Conn& c) -> Result<Json> {
    Json items = Json::array();
    int64_t total = 0;
    auto emit = [&](int64_t sid) {
      int64_t t = 0;
      for (const auto& r : store::ListApplications(c, sid, f, &t)) items.push_back(AppJson(c, r.app, r.student, false, TodayLocal()));
      total += t;
    };
    if (IsGuardianScope(who)) {
      if (who.guardian_id) {
        auto kids = store::ChildrenOf(c, *who.guardian_id);
        std::map<int64_t, std::vector<int64_t>> by_school;
        for (const auto& k : kids) by_school[k.school_id].push_back(k.id);
        f.restrict_students = true;
        for (auto& [sid, ids] : by_school) {
          f.student_ids = ids;
          emit(sid);
        }
      }
    } else {
      auto sid = IsClassScope(who) && who.school_id ? Result<int64_t>(*who.school_id) : StaffSchool(c, who, school);
      if (!sid) return sid.error();
      if (IsClassScope(who)) {
        f.class_ids = store::ClassesOfTeacher(c, *sid, who.staff_id.value_or(-1));
        if (f.class_ids.empty()) return Json{{"items", items}, {"total", 0}, {"page", page}, {"page_size", size}};
      }
      emit(*sid);
    }
    return Json{{"items", items}, {"total", total}, {"page", page}, {"page_size", size}};
  });
}

Result<Json> CreateApplication(db::Db& db, const Principal& who, const Json& body, const Date& today) {
  BodyReader in(body);
  auto student_id = in.Id("student_id", {.required = true, .label = "学生"});
  auto term_id = in.Id("term_id", {.label = "学期"});
  KEHOU_TRY(in.Finish());
  auto form = ReadForm(body, true);
  if (!form) return form.error();
  try {
    return db.Write([&](Conn& c) -> Result<Json> {
      if (!IsGuardianScope(who)) return MakeError(kForbidden, "只有监护人可以提交报名", "only guardians apply");
      auto st = VisibleStudent(c, who, std::nullopt, *student_id);
      if (!st) return st.error();
      if (!st->active) return StudentNotFound();
      auto term = TermOf(c, st->school_id, term_id);
      if (!term) return term.error();
      if (term->end < today) return Error::RuleBroken("该学期已结束，不能报名", "the term has ended", "term_id");
      if (auto old = store::ApplicationFor(c, st->school_id, term->id, st->id))
        return Error::Conflict("该学生本学期已有报名申请（编号 " + std::to_string(old->id) + "），请在原申请上修改",
                        "the child already has an application for this term (id " + std::to_string(old->id) + ")",
                        "student_id");
      store::ApplicationRow a;
      a.school_id = st->school_id;
      a.term_id = term->id;
      a.student_id = st->id;
      if (auto s = ApplyForm(c, a, *form, *st, *term); !s) return s.error();
      a.id = store::InsertApplication(c, a, who.user_id);
      auto saved = store::LoadApplication(c, a.id);
      Json out = AppJson(c, *saved, *st, true, today);
      Json audit = FormJson(*saved);
      audit["student_id"] = st->id;
      audit["term_id"] = term->id;
      Audit(c, who, st->school_id, "create", "application", a.id, nullptr, &audit);
      return out;
    });
  } catch (const db::DbError& e) {
    if (e.unique_violation)
      return Error::Conflict("该学生本学期已有报名申请，请在原申请上修改", "the child already has an application for this term",
                      "student_id");
    throw;
  }
}

Result<Json> GetApplication(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const Date& today) {
  return db.Read([&](Conn& c) -> Result<Json> {
    auto v = VisibleApplication(c, who, school, id);
    if (!v) return v.error();
    return AppJson(c, v->first, v->second, true, today);
  });
}

Result<Json> UpdateApplication(db::Db& db, const Principal& who, int64_t id, const Json& body, const Date& today) {
  auto form = ReadForm(body, false);
  if (!form) return form.error();
  BodyReader in(body);
  auto version = in.Id("version", {.label = "版本"});
  KEHOU_TRY(in.Finish());
  return db.Write([&](Conn& c) -> Result<Json> {
    if (!IsGuardianScope(who)) return MakeError(kForbidden, "只有监护人可以修改报名", "only guardians edit");
    auto v = VisibleApplication(c, who, std::nullopt, id);
    if (!v) return v.error();
    auto& [app, st] = v.value();
    if (!Editable(app.status))
      return Error::RuleBroken("申请当前状态为「" + std::string(StatusLabelZh(app.status)) + "」，不能修改",
                  "only a draft or returned application can be edited", "status");
    if (version && *version != app.version) return Stale();
    auto term = store::LoadTerm(c, app.term_id);
    if (!term) return TermNotFound();
    Json before = FormJson(app);
    store::ApplicationRow n = app;
    if (auto s = ApplyForm(c, n, *form, st, *term); !s) return s.error();
    if (!store::UpdateApplicationForm(c, n, app.version, who.user_id)) return Stale();
    auto saved = store::LoadApplication(c, id);
    Json after = FormJson(*saved);
    Audit(c, who, app.school_id, "update", "application", id, &before, &after);
    return AppJson(c, *saved, st, true, today);
  });
}

Result<Json> SignApplication(db::Db& db, const Principal& who, int64_t id, const Json& body, const SignContext& ctx,
                             const Date& today) {
  BodyReader in(body);
  auto agreement_id = in.Id("agreement_id", {.required = true, .label = "协议"});
  auto hash = in.Text("agreement_hash", {.label = "协议摘要"});
  KEHOU_TRY(in.Finish());
  try {
    return db.Write([&](Conn& c) -> Result<Json> {
      if (!IsGuardianScope(who)) return MakeError(kForbidden, "只有监护人可以签署协议", "only guardians sign");
      auto v = VisibleApplication(c, who, std::nullopt, id);
      if (!v) return v.error();
      auto& [app, st] = v.value();
      if (!Editable(app.status))
        return Error::RuleBroken("申请当前状态为「" + std::string(StatusLabelZh(app.status)) + "」，不能签署",
                    "only a draft or returned application can be signed", "status");
      auto cur = store::CurrentAgreement(c, app.school_id, app.term_id);
      if (!cur) return Error::RuleBroken("学校尚未发布本学期的托管协议", "no agreement published for this term", "agreement_id");
      if (*agreement_id != cur->id || (hash && Trim(*hash) != cur->body_hash))
        return Error::Conflict("托管协议已更新，请阅读最新版本后再签署", "the agreement changed; read the current version and sign it",
                        "agreement_id");
      if (store::SignatureFor(c, app.school_id, app.id, app.version))
        return Error::Conflict("本版本申请已经签署，无需重复签署", "this version of the application is already signed");
      store::SignatureRow s;
      s.application_id = app.id;
      s.application_version = app.version;
      s.agreement_id = cur->id;
      s.agreement_version = cur->version;
      s.text_hash = TextHash(cur->body);  // of the exact text stored, not what the client claims
      s.form_json = FormJson(app).dump();
      s.user_id = who.user_id ? std::optional<int64_t>(who.user_id) : std::nullopt;
      s.guardian_id = who.guardian_id;
      s.signer_name = who.guardian_id ? store::GuardianName(c, *who.guardian_id) : std::string();
      if (s.signer_name.empty()) s.signer_name = WhoName(who);
      s.device = TruncateUtf8(ValidUtf8(ctx.device) ? ctx.device : std::string(), kMaxDeviceChars);
      s.client = TruncateUtf8(ctx.client, kMaxDeviceChars);
      s.signed_at = NowMs();
      s.id = store::InsertSignature(c, app.school_id, s);
      Json audit = SignatureJson(s);
      Audit(c, who, app.school_id, "sign", "application", app.id, nullptr, &audit);
      return AppJson(c, app, st, true, today);
    });
  } catch (const db::DbError& e) {
    if (e.unique_violation)
      return Error::Conflict("本版本申请已经签署，无需重复签署", "this version of the application is already signed");
    throw;
  }
}

Result<Json> SubmitApplication(db::Db& db, const Principal& who, int64_t id, const Date& today) {
  return db.Write([&](Conn& c) -> Result<Json> {
    if (auto m = MayTake(IsGuardianScope(who) ? Actor::kGuardian : Actor::kOther, Step::kSubmit); !m) return m.error();
    auto v = VisibleApplication(c, who, std::nullopt, id);
    if (!v) return v.error();
    auto& [app, st] = v.value();
    auto to = Transition(app.status, Step::kSubmit);
    if (!to) return to.error();
    auto sig = store::SignatureFor(c, app.school_id, app.id, app.version);
    if (!sig) return Error::RuleBroken("请先阅读并签署托管协议，再提交申请", "sign the agreement before submitting", "signature");
    auto cur = store::CurrentAgreement(c, app.school_id, app.term_id);
    if (!cur || cur->id != sig->agreement_id)
      return Error::RuleBroken("托管协议已更新，请阅读最新版本并重新签署", "the agreement changed since signing; sign the current version",
                  "signature");
    if (!store::MoveStatus(c, app.id, app.version, app.status, *to, true)) return Stale();
    Decide(c, who, app, Step::kSubmit, *to, "");
    return AppJson(c, *store::LoadApplication(c, id), st, true, today);
  });
}

Result<Json> ClassReview(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const Json& body,
                         const Date& today) {
  BodyReader in(body);
  std::string decision = Trim(in.Text("decision", {.required = true, .label = "审核意见"}).value_or(""));
  std::string reason = Trim(in.Text("reason", {.multiline = true, .label = "理由"}).value_or(""));
  KEHOU_TRY(in.Finish());
  Step step;
  if (decision == "approve") step = Step::kClassApprove;
  else if (decision == "return") step = Step::kClassReturn;
  else return Error::Invalid("审核意见应为 approve（通过）或 return（退回）", "decision must be approve or return", "decision");
  if (auto r = CheckReason(reason, NeedsReason(step)); !r) return r.error();
  return db.Write([&](Conn& c) -> Result<Json> {
    auto v = VisibleApplication(c, who, school, id);
    if (!v) return v.error();
    auto& [app, st] = v.value();
    Actor actor = Actor::kOther;
    if (IsClassScope(who)) actor = Actor::kClassTeacher;  // VisibleApplication proved it is their class
    else if (IsOffice(who) && !st.class_teacher_id) actor = Actor::kOfficeFallback;
    if (auto m = MayTake(actor, step); !m) return m.error();
    auto to = Transition(app.status, step);
    if (!to) return to.error();
    if (!store::SignatureFor(c, app.school_id, app.id, app.version))
      return Error::RuleBroken("该申请没有监护人签署的协议，不能审核", "the application carries no signature", "signature");
    if (!store::MoveStatus(c, app.id, app.version, app.status, *to, false)) return Stale();
    Decide(c, who, app, step, *to, reason);
    return AppJson(c, *store::LoadApplication(c, id), st, true, today);
  });
}

Result<Json> PrincipalReview(db::Db& db, const Principal& who, SchoolArg school, const Json& body) {
  BodyReader in(body);
  std::string decision = Trim(in.Text("decision", {.required = true, .label = "审定意见"}).value_or(""));
  std::string reason = Trim(in.Text("reason", {.multiline = true, .label = "理由"}).value_or(""));
  KEHOU_TRY(in.Finish());
  if (!in.Present("ids")) return Error::Invalid("请选择要审定的申请（ids）", "ids must be a list of application ids", "ids");
  auto ids_in = in.IdList("ids", {.label = "申请编号"});
  KEHOU_TRY(in.Finish());
  std::vector<int64_t> ids = std::move(*ids_in);
  if (ids.empty()) return Error::Invalid("请至少选择一份申请", "choose at least one application", "ids");
  if (ids.size() > kMaxReviewBatch)
    return Error::Invalid("一次最多审定 " + std::to_string(kMaxReviewBatch) + " 份申请",
                   "at most " + std::to_string(kMaxReviewBatch) + " applications per batch", "ids");
  if (std::set<int64_t>(ids.begin(), ids.end()).size() != ids.size())
    return Error::Invalid("申请编号重复", "an id is repeated", "ids");
  Step step;
  if (decision == "approve") step = Step::kApprove;
  else if (decision == "return") step = Step::kReturn;
  else if (decision == "reject") step = Step::kReject;
  else return Error::Invalid("审定意见应为 approve、return 或 reject", "decision must be approve, return or reject", "decision");
  if (auto r = CheckReason(reason, NeedsReason(step)); !r) return r.error();
  bool leader = who.scope == Scope::kSchool && (who.role == Role::kPrincipal || who.role == Role::kVicePrincipal);
  if (auto m = MayTake(leader ? Actor::kLeader : Actor::kOther, step); !m) return m.error();
  return db.Write([&](Conn& c) -> Result<Json> {
    auto sid = StaffSchool(c, who, school);
    if (!sid) return sid.error();
    Json items = Json::array();
    for (int64_t id : ids) {
      auto a = store::LoadApplication(c, id);
      if (!a || a->school_id != *sid)
        return Error::NotFound("申请 " + std::to_string(id) + " 不存在", "no such application " + std::to_string(id), "ids");
      auto to = Transition(a->status, step);
      if (!to) {
        Error e = to.error();
        e.message = "申请 " + std::to_string(id) + "：" + e.message;
        e.message_en = "application " + std::to_string(id) + ": " + e.message_en;
        e.field = "ids";
        return e;
      }
      if (step == Step::kApprove && !store::SignatureFor(c, a->school_id, a->id, a->version))
        return Error::RuleBroken("申请 " + std::to_string(id) + " 没有监护人签署的协议，不能通过",
                    "application " + std::to_string(id) + " carries no signature", "ids");
      if (!store::MoveStatus(c, a->id, a->version, a->status, *to, false)) return Stale();
      Decide(c, who, *a, step, *to, reason);
      items.push_back({{"id", id}, {"status", StatusName(*to)}, {"status_label", StatusLabelZh(*to)}});
    }
    return Json{{"decided", items.size()}, {"items", items}};
  });
}

bool IsEnrolled(Conn& c, int64_t school_id, int64_t student_id, int64_t term_id, const Date& day) {
  auto term = store::LoadTerm(c, term_id);
  if (!term || term->school_id != school_id) return false;
  for (const auto& e : store::ApprovedOf(c, school_id, term_id, student_id))
    if (EnrolledOn(AppStatus::kApproved, e.signed_current_version, e.exit_effective, term->start, term->end, day))
      return true;
  return false;
}

Result<Json> Roster(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> term_id,
                    std::optional<int64_t> class_id, std::optional<Date> date, const Date& today) {
  return db.Read([&](Conn& c) -> Result<Json> {
    auto sid = IsClassScope(who) && who.school_id ? Result<int64_t>(*who.school_id) : StaffSchool(c, who, school);
    if (!sid) return sid.error();
    auto term = TermOf(c, *sid, term_id);
    if (!term) return term.error();
    Date day = date.value_or(today);
    std::map<int64_t, store::EnrolmentRow> enrolled;
    for (auto& e : store::ApprovedOf(c, *sid, term->id, std::nullopt))
      if (EnrolledOn(AppStatus::kApproved, e.signed_current_version, e.exit_effective, term->start, term->end, day))
        enrolled.emplace(e.student_id, std::move(e));
    std::map<int64_t, store::LookedAfterRow> looked;
    for (auto& l : store::LookedAfterOf(c, *sid, term->id, std::nullopt))
      if (!(day < l.start_date) && !(l.end_date && *l.end_date < day)) looked.emplace(l.student_id, std::move(l));
    std::map<int64_t, std::string> batch_names;
    for (const auto& b : store::BatchesOf(c, *sid, true)) batch_names[b.id] = b.name + " " + b.leave_time;
    Json items = Json::array();
    int64_t n_enrolled = 0, n_looked = 0;
    int weekday = IsoWeekday(day);
    for (const auto& st : store::StudentsOf(c, *sid, {}, TeacherBound(who))) {
      if (class_id && st.class_id != *class_id) continue;
      Json j = StudentJson(st);
      if (auto it = enrolled.find(st.id); it != enrolled.end()) {
        const auto& e = it->second;
        j["kind"] = "enrolled";
        j["label"] = "课后服务";
        j["days"] = e.days;
        j["bands"] = BandsJson(e.bands);
        j["scheduled"] = std::find(e.days.begin(), e.days.end(), weekday) != e.days.end();
        j["dismissal_batch"] = e.dismissal_batch_id && batch_names.count(*e.dismissal_batch_id)
                                   ? Json(batch_names[*e.dismissal_batch_id])
                                   : Json(nullptr);
        ++n_enrolled;
      } else if (looked.count(st.id)) {
        // R-REG-5: in the same list, in class order, with a neutral label: never set apart.
        j["kind"] = "looked_after";
        j["label"] = "在校看护";
        j["days"] = Json::array();
        j["bands"] = Json::array();
        j["scheduled"] = true;
        j["dismissal_batch"] = nullptr;
        ++n_looked;
      } else {
        continue;
      }
      items.push_back(std::move(j));
    }
    return Json{{"term_id", term->id},
                {"date", FormatDate(day)},
                {"items", items},
                {"enrolled", n_enrolled},
                {"looked_after", n_looked}};
  });
}

// ==== exits ========================================================================================

Result<Json> ListExits(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> term_id) {
  return db.Read([&](Conn& c) -> Result<Json> {
    Json items = Json::array();
    auto add = [&](const store::ExitRow& e) {
      auto st = store::LoadStudent(c, e.student_id);
      if (!st || !SeeStudent(c, who, school, *st).ok()) return;
      Json j = ExitJson(e);
      j["student"] = StudentJson(*st);
      items.push_back(std::move(j));
    };
    if (IsGuardianScope(who)) {
      if (!who.guardian_id) return Items(items);
      std::set<int64_t> schools;
      for (const auto& k : store::ChildrenOf(c, *who.guardian_id)) schools.insert(k.school_id);
      for (int64_t sid : schools)
        for (const auto& e : store::ExitsOf(c, sid, term_id)) add(e);
      return Items(items);
    }
    auto sid = IsClassScope(who) && who.school_id ? Result<int64_t>(*who.school_id) : StaffSchool(c, who, school);
    if (!sid) return sid.error();
    for (const auto& e : store::ExitsOf(c, *sid, term_id)) add(e);
    return Items(items);
  });
}

namespace {
std::atomic<ExitHook> g_exit_hook{nullptr};
}  // namespace

void SetExitHook(ExitHook hook) { g_exit_hook.store(hook); }

Result<Json> CreateExit(db::Db& db, const Principal& who, SchoolArg school, const Json& body, const Date& today) {
  BodyReader in(body);
  auto app_id = in.Id("application_id", {.required = true, .label = "申请"});
  auto eff = in.Date("effective_date", {.required = true, .label = "退出生效日期"});
  std::string reason = Trim(in.Text("reason", {.multiline = true, .label = "退出原因"}).value_or(""));
  KEHOU_TRY(in.Finish());
  if (auto r = CheckReason(reason, false); !r) return r.error();
  bool office = IsOffice(who);
  if (!office && !IsGuardianScope(who))
    return MakeError(kForbidden, "只有监护人或学校办公室可以办理退出", "only a guardian or the office ends a service");
  try {
    return db.Write([&](Conn& c) -> Result<Json> {
      auto v = VisibleApplication(c, who, school, *app_id);
      if (!v) return v.error();
      auto& [app, st] = v.value();
      if (app.status != AppStatus::kApproved)
        return Error::RuleBroken("只有已通过的申请才能办理退出", "only an approved application can be ended", "application_id");
      auto term = store::LoadTerm(c, app.term_id);
      if (!term) return TermNotFound();
      if (auto r = CheckExitDate(*eff, today, term->start, term->end, office); !r) return r.error();
      if (auto old = store::ExitFor(c, app.school_id, app.id))
        return Error::Conflict("该申请已办理退出（" + FormatDate(old->effective_date) + " 起）",
                        "this application already has an exit", "application_id");
      store::ExitRow e;
      e.school_id = app.school_id;
      e.term_id = app.term_id;
      e.student_id = app.student_id;
      e.application_id = app.id;
      e.effective_date = *eff;
      e.reason = reason;
      e.user_id = who.user_id ? std::optional<int64_t>(who.user_id) : std::nullopt;
      e.user_name = WhoName(who);
      e.role = std::string(auth::RoleName(who.role));
      e.id = store::InsertExit(c, e);
      auto saved = store::LoadExit(c, e.id);
      Json out = ExitJson(*saved);
      Audit(c, who, app.school_id, "create", "exit", e.id, nullptr, &out);
      if (auto hook = g_exit_hook.load())
        hook(c, who, ExitEvent{e.id, app.school_id, app.term_id, app.student_id, *eff, today});
      out["student"] = StudentJson(st);
      return out;
    });
  } catch (const db::DbError& e) {
    if (e.unique_violation) return Error::Conflict("该申请已办理退出", "this application already has an exit", "application_id");
    throw;
  }
}

Result<Json> GetExit(db::Db& db, const Principal& who, SchoolArg school, int64_t id) {
  return db.Read([&](Conn& c) -> Result<Json> {
    auto e = store::LoadExit(c, id);
    auto nf = [] { return Error::NotFound("退出记录不存在", "no such exit"); };
    if (!e) return nf();
    auto st = store::LoadStudent(c, e->student_id);
    if (!st || !SeeStudent(c, who, school, *st).ok()) return nf();
    Json j = ExitJson(*e);
    j["student"] = StudentJson(*st);
    return j;
  });
}

// ==== looked-after =================================================================================

namespace {
Json LookedAfterJson(const store::LookedAfterRow& l, const store::StudentRow& st) {
  return {{"id", l.id},
          {"term_id", l.term_id},
          {"student", StudentJson(st)},
          {"reason", l.reason},
          {"start_date", FormatDate(l.start_date)},
          {"end_date", l.end_date ? Json(FormatDate(*l.end_date)) : Json(nullptr)},
          {"label", "在校看护"},
          {"recorded_by", l.user_name},
          {"created_at", FormatInstant(l.created_at)},
          {"updated_at", FormatInstant(l.updated_at)}};
}
bool Overlaps(const store::LookedAfterRow& a, const store::LookedAfterRow& b) {
  bool a_before_b = a.end_date && *a.end_date < b.start_date;
  bool b_before_a = b.end_date && *b.end_date < a.start_date;
  return !a_before_b && !b_before_a;
}
Status CheckLookedAfter(Conn& c, const store::LookedAfterRow& l, const store::TermRow& term) {
  if (auto s = CheckReason(l.reason, true); !s) return s;
  if (auto s = CheckLookedAfterDates(l.start_date, l.end_date, term.start, term.end); !s) return s;
  if (IsEnrolled(c, l.school_id, l.student_id, l.term_id, l.start_date))
    return Error::RuleBroken("该学生已报名托管服务，无需登记为在校看护", "the child is enrolled in the service", "student_id");
  for (const auto& o : store::LookedAfterOf(c, l.school_id, l.term_id, l.student_id))
    if (o.id != l.id && Overlaps(o, l))
      return Error::Conflict("该学生在这段日期已有在校看护记录", "the child already has a looked-after record for these dates",
                      "start_date");
  return Ok();
}
}  // namespace

Result<Json> ListLookedAfter(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> term_id,
                             std::optional<int64_t> class_id) {
  return db.Read([&](Conn& c) -> Result<Json> {
    auto sid = IsClassScope(who) && who.school_id ? Result<int64_t>(*who.school_id) : StaffSchool(c, who, school);
    if (!sid) return sid.error();
    auto term = TermOf(c, *sid, term_id);
    if (!term) return term.error();
    Json items = Json::array();
    for (const auto& l : store::LookedAfterOf(c, *sid, term->id, std::nullopt)) {
      auto st = store::LoadStudent(c, l.student_id);
      if (!st || !SeeStudent(c, who, school, *st).ok()) continue;
      if (class_id && st->class_id != *class_id) continue;
      items.push_back(LookedAfterJson(l, *st));
    }
    return Json{{"term_id", term->id}, {"items", items}};
  });
}

Result<Json> CreateLookedAfter(db::Db& db, const Principal& who, SchoolArg school, const Json& body,
                               const Date& today) {
  BodyReader in(body);
  auto student_id = in.Id("student_id", {.required = true, .label = "学生"});
  auto term_id = in.Id("term_id", {.label = "学期"});
  std::string reason = Trim(in.Text("reason", {.required = true, .multiline = true, .label = "原因"}).value_or(""));
  auto start = in.Date("start_date", {.label = "开始日期"});
  auto end = in.Date("end_date", {.label = "结束日期"});
  KEHOU_TRY(in.Finish());
  return db.Write([&](Conn& c) -> Result<Json> {
    auto st = VisibleStudent(c, who, school, *student_id);
    if (!st) return st.error();
    if (IsGuardianScope(who)) return StudentNotFound();
    auto term = TermOf(c, st->school_id, term_id);
    if (!term) return term.error();
    store::LookedAfterRow l;
    l.school_id = st->school_id;
    l.term_id = term->id;
    l.student_id = st->id;
    l.reason = reason;
    l.start_date = start.value_or(std::max(today, term->start));
    l.end_date = end;
    l.user_id = who.user_id ? std::optional<int64_t>(who.user_id) : std::nullopt;
    l.user_name = WhoName(who);
    if (auto s = CheckLookedAfter(c, l, *term); !s) return s.error();
    l.id = store::InsertLookedAfter(c, l);
    auto saved = store::LoadLookedAfter(c, l.id);
    Json out = LookedAfterJson(*saved, *st);
    Audit(c, who, st->school_id, "create", "looked_after", l.id, nullptr, &out);
    return out;
  });
}

Result<Json> UpdateLookedAfter(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const Json& body) {
  return db.Write([&](Conn& c) -> Result<Json> {
    auto l = store::LoadLookedAfter(c, id);
    auto nf = [] { return Error::NotFound("在校看护记录不存在", "no such looked-after record"); };
    if (!l) return nf();
    auto st = store::LoadStudent(c, l->student_id);
    if (!st || IsGuardianScope(who) || !SeeStudent(c, who, school, *st).ok()) return nf();
    auto term = store::LoadTerm(c, l->term_id);
    if (!term) return TermNotFound();
    BodyReader in(body);
    store::LookedAfterRow n = *l;
    if (auto r = in.Text("reason", {.multiline = true, .label = "原因"})) n.reason = Trim(*r);
    if (auto s = in.Date("start_date", {.label = "开始日期"})) n.start_date = *s;
    if (in.Has("end_date")) n.end_date = in.Date("end_date", {.label = "结束日期"});
    KEHOU_TRY(in.Finish());
    if (auto r = CheckReason(n.reason, true); !r) return r.error();
    if (auto r = CheckLookedAfterDates(n.start_date, n.end_date, term->start, term->end); !r) return r.error();
    for (const auto& o : store::LookedAfterOf(c, n.school_id, n.term_id, n.student_id))
      if (o.id != n.id && Overlaps(o, n))
        return Error::Conflict("该学生在这段日期已有在校看护记录", "the child already has a looked-after record for these dates",
                        "start_date");
    store::UpdateLookedAfter(c, n);
    Json before = LookedAfterJson(*l, *st);
    Json after = LookedAfterJson(*store::LoadLookedAfter(c, id), *st);
    Audit(c, who, n.school_id, "update", "looked_after", id, &before, &after);
    return after;
  });
}

}  // namespace kehou::enroll
