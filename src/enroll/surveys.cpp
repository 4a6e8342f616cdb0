// surveys.cpp (enroll): needs surveys (需求征询): the office asks, families answer, results and exports.
#include <map>
#include <set>

#include "core/text.h"
#include "enroll/internal.h"
#include "enroll/service.h"
#include "people/xlsx.h"

namespace kehou::enroll {

using namespace internal;

namespace {

// A survey the principal may see: a class teacher's own school's, else the school's (not_found).
Result<store::SurveyRow> VisibleSurvey(Conn& c, const Principal& who, SchoolArg school, int64_t id) {
  auto s = store::LoadSurvey(c, id);
  if (!s) return SurveyNotFound();
  if (IsClassScope(who)) {
    if (!who.school_id || *who.school_id != s->school_id) return SurveyNotFound();
  } else if (!SeeSchool(c, who, school, s->school_id)) {
    return SurveyNotFound();
  }
  return std::move(*s);
}

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
    return {{"children", children},   {"answered", answered}, {"response_rate", ResponseRate(answered, children)},
            {"wants_service", wants}, {"days", dj},           {"bands", bj},
            {"interests", ij}};
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
    if (auto st = CheckSurvey(*def, term->dates.end); !st) return st.error();
    store::SurveyRow s;
    s.school_id = *sid;
    s.term_id = term->id;
    s.title = def->title;
    s.note = note;
    s.def = *def;
    s.id = store::InsertSurvey(c, s, who.user_id);
    auto saved = store::LoadSurvey(c, s.id);
    Json out = SurveyJson(*saved, TodayLocal());
    auth::Audit(c, who, {"create", "survey", s.id, nullptr, &out, *sid});
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
    bool scope_changed =
        def->grades != s->def.grades || def->bands != s->def.bands || def->interests != s->def.interests;
    if (scope_changed && store::CountAnswers(c, s->school_id, s->id) > 0)
      return Error::Conflict("已有家长作答，不能再修改年级、时段或兴趣类别（可修改标题、说明和日期）",
                             "answers exist: grades, bands and interests can no longer change", "grades");
    auto term = school::TermOf(c, s->school_id, s->term_id);
    if (!term) return TermNotFound();
    if (auto st = CheckSurvey(*def, term->dates.end); !st) return st.error();
    Json before = SurveyJson(*s, TodayLocal());
    store::SurveyRow n = *s;
    n.def = *def;
    n.title = def->title;
    if (note) n.note = *note;
    store::UpdateSurvey(c, n);
    Json after = SurveyJson(*store::LoadSurvey(c, id), TodayLocal());
    auth::Audit(c, who, {"update", "survey", id, &before, &after, s->school_id});
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
    return Json{
        {"survey_id", survey_id}, {"student", StudentJson(*st)}, {"answer", a ? AnswerJson(*a) : Json(nullptr)}};
  });
}

Result<Json> PutSurveyAnswer(db::Db& db, const Principal& who, int64_t survey_id, int64_t student_id, const Json& body,
                             const Date& today) {
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
    auth::Audit(c, who,
                {old ? "update" : "create", "survey_answer", aid, old ? &before : nullptr, &after, s->school_id});
    return Json{{"survey_id", survey_id}, {"student", StudentJson(*st)}, {"answer", after}};
  });
}

Result<Json> SurveyResults(db::Db& db, const Principal& who, SchoolArg school, int64_t id) {
  return db.Read([&](Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(auto s, VisibleSurvey(c, who, school, id));
    Results r = Compute(c, s, TeacherBound(who));
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
    return Json{{"survey", SurveyJson(s, TodayLocal())},
                {"total", r.total.ToJson(r.def)},
                {"grades", grades},
                {"classes", classes},
                {"free_texts", free}};
  });
}

Result<FileOut> ExportSurvey(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const std::string& kind) {
  if (kind != "summary" && kind != "answers")
    return Error::Invalid("导出类型应为 summary 或 answers", "kind must be summary or answers", "kind");
  auto data = db.Read([&](Conn& c) -> Result<std::pair<store::SurveyRow, Results>> {
    KEHOU_ASSIGN_OR_RETURN(auto s, VisibleSurvey(c, who, school, id));
    return std::make_pair(s, Compute(c, s, TeacherBound(who)));
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
      std::vector<std::string> v{std::move(scope),           std::move(grade),           std::move(cls),
                                 std::to_string(a.children), std::to_string(a.answered), pct(a.answered, a.children),
                                 std::to_string(a.wants)};
      for (int d = kFirstServiceDay; d <= kLastServiceDay; ++d)
        v.push_back(std::to_string(a.days[static_cast<size_t>(d)]));
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

}  // namespace kehou::enroll
