#include "staff/service.h"

#include <map>

#include "auth/audit.h"
#include "core/body.h"
#include "core/text.h"
#include "staff/store.h"

namespace kehou::staff {
namespace {

Error StaffNotFound() { return Error::NotFound("人员不存在或无权访问", "no such staff member", "id"); }

std::optional<std::string> DateText(const std::optional<Date>& d) {
  return d ? std::optional<std::string>(FormatDate(*d)) : std::nullopt;
}
Json OptJson(const std::optional<std::string>& s) { return s ? Json(*s) : Json(); }

std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : s + ",") {
    if (ch == ',') {
      if (!Trim(cur).empty()) out.push_back(Trim(cur));
      cur.clear();
    } else {
      cur += ch;
    }
  }
  return out;
}
std::string JoinList(const std::vector<std::string>& v) {
  std::string s;
  for (auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

// A record row as JSON, with the gate's answer for the term on `on`.
Json RecordJson(const db::Row& r, const std::optional<store::Term>& term, Date on, int sessions) {
  StaffRecord g = store::GateRecordOf(r);
  Status gate =
      term ? CanServe(g, term->span, on) : Status(Error::RuleBroken("没有当前学期", "no current term", "term_id"));
  auto weekdays = ParseWeekdays(r.Text("will_weekdays"), "will_weekdays");
  Json out{{"staff_id", r.Int("staff_id")},
           {"name", r.Text("name")},
           {"kind", r.Text("kind")},
           {"kind_label", std::string(StaffKindLabelZh(r.Text("kind")))},
           {"subjects", r.Text("subjects")},
           {"active", r.Int("active") != 0},
           {"qualifications", r.Text("qualifications")},
           {"institution_id", r.OptInt("institution_id") ? Json(*r.OptInt("institution_id")) : Json()},
           {"institution", r.OptInt("institution_id") ? r.Text("institution_name") : r.Text("institution_text")},
           {"check", g.check ? Json{{"date", FormatDate(g.check->checked_on)},
                                    {"result", g.check->passed ? "passed" : "failed"},
                                    {"certificate_no", g.check->certificate_no},
                                    {"valid_until", FormatDate(g.check->valid_until)}}
                             : Json()},
           {"health_valid_until", OptJson(r.OptText("health_valid_until"))},
           {"contract", g.contract ? Json{{"start", FormatDate(g.contract->start)},
                                          {"end", FormatDate(g.contract->end)},
                                          {"hourly_rate_fen", g.contract->hourly_rate_fen}}
                                   : Json()},
           {"willingness",
            {{"weekdays", weekdays.ok() ? Json(*weekdays) : Json::array()},
             {"bands", SplitList(r.Text("will_bands"))},
             {"content", r.Text("will_content")},
             {"max_hours", r.Int("will_max_hours")}}},
           {"training_sessions", sessions},
           {"training_complete", TrainingComplete(sessions)},
           {"gate", {{"ok", gate.ok()}, {"reason", gate.ok() ? "" : gate.error().message}}}};
  return out;
}

std::map<int64_t, int> TrainingCounts(db::Conn& c, int64_t school, const std::optional<store::Term>& term) {
  std::map<int64_t, int> out;
  if (!term) return out;
  for (auto& r : c.Query(store::kTrainingCounts, {school, FormatDate(term->span.start), FormatDate(term->span.end)}))
    out[r.Int("staff_id")] = static_cast<int>(r.Int("n"));
  return out;
}

Json TermJson(const std::optional<store::Term>& t) {
  if (!t) return Json();
  return {{"id", t->id}, {"name", t->name}, {"start", FormatDate(t->span.start)}, {"end", FormatDate(t->span.end)}};
}

// A record's edit as sent: each part present only when the body names it (null clears check and
// contract).
struct RecordEdit {
  std::optional<std::string> quals;
  std::optional<std::optional<int64_t>> inst;
  std::optional<std::optional<Date>> health;
  std::optional<BackgroundCheck> check;
  bool check_null = false;
  std::optional<Contract> contract;
  bool contract_null = false;
  std::optional<std::vector<int>> wdays;
  std::optional<std::vector<std::string>> wbands;
  std::optional<std::string> wcontent;
  std::optional<int64_t> whours;
};

Result<BackgroundCheck> ReadCheck(const Json& check) {
  BodyReader r(check, "check.");
  auto d = r.Date("date", {.required = true, .label = "查询日期"});
  auto res = r.Text("result", {.required = true, .label = "查询结果"});
  auto no = r.Text("certificate_no", {.max_len = kMaxTextLength, .label = "证明编号"});
  auto until = r.Date("valid_until", {.required = true, .label = "有效期至"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  if (*res != "passed" && *res != "failed")
    return Error::Invalid("查询结果应为 passed（通过）或 failed（未通过）", "result is passed or failed",
                          "check.result");
  BackgroundCheck ck{*d, *res == "passed", no.value_or(""), *until};
  KEHOU_TRY(CheckCheck(ck));
  return ck;
}

Result<Contract> ReadContract(const Json& contract) {
  BodyReader r(contract, "contract.");
  auto s = r.Date("start", {.required = true, .label = "开始日期"});
  auto e = r.Date("end", {.required = true, .label = "结束日期"});
  auto rate = r.Int("hourly_rate_fen", {.min = 0, .max = kMaxHourlyRateFen, .label = "课时费（分）"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  Contract ct{*s, *e, rate.value_or(0)};
  KEHOU_TRY(CheckContract(ct));
  return ct;
}

Status ReadWillingness(const Json& will, RecordEdit& e) {
  BodyReader r(will, "willingness.");
  if (auto v = r.IntList("weekdays", {.min = 1, .max = 5, .label = "意愿服务日"}, 5)) {
    std::set<int> u;
    for (auto x : *v) u.insert(static_cast<int>(x));
    e.wdays = std::vector<int>(u.begin(), u.end());
  }
  e.wbands = r.TextList("bands", {.max_len = 20, .label = "意愿时段"}, 4);
  e.wcontent = r.Text("content", {.max_len = kMaxTextLength, .label = "意愿内容"});
  e.whours = r.Int("max_hours", {.min = 0, .max = kMaxWillingHoursPerWeek, .label = "每周最多课时"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  return CheckWillingness(e.wdays.value_or(std::vector<int>{}), e.wbands.value_or(std::vector<std::string>{}),
                          e.whours.value_or(0));
}

Result<RecordEdit> ReadRecordEdit(const Json& body) {
  RecordEdit e;
  BodyReader b(body);
  e.quals = b.Text("qualifications", {.max_len = kMaxTextLength, .label = "资质"});
  e.inst = b.Nullable("institution_id", [&] { return b.Id("institution_id", {.label = "所属机构"}); });
  e.health = b.Nullable("health_valid_until", [&] { return b.Date("health_valid_until", {.label = "健康证有效期"}); });
  const Json* check = b.Raw("check", false, "背景审查", Json::value_t::object);
  e.check_null = b.Has("check") && b.IsNull("check");
  const Json* contract = b.Raw("contract", false, "聘用协议", Json::value_t::object);
  e.contract_null = b.Has("contract") && b.IsNull("contract");
  const Json* will = b.Raw("willingness", false, "参与意愿", Json::value_t::object);
  KEHOU_TRY(b.Finish(UnknownFields::kRefuse));
  if (check) {
    KEHOU_ASSIGN_OR_RETURN(e.check, ReadCheck(*check));
  }
  if (contract) {
    KEHOU_ASSIGN_OR_RETURN(e.contract, ReadContract(*contract));
  }
  if (will) KEHOU_TRY(ReadWillingness(*will, e));
  return e;
}

// The stored fields with the edit applied.
void ApplyEdit(const RecordEdit& e, store::RecordFields& f) {
  if (e.quals) f.qualifications = *e.quals;
  if (e.inst) f.institution_id = *e.inst;
  if (e.health) f.health_valid_until = DateText(*e.health);
  if (e.check) {
    f.check_date = FormatDate(e.check->checked_on);
    f.check_result = e.check->passed ? "passed" : "failed";
    f.check_certificate = e.check->certificate_no;
    f.check_valid_until = FormatDate(e.check->valid_until);
  } else if (e.check_null) {
    f.check_date = f.check_result = f.check_valid_until = std::nullopt;
    f.check_certificate.clear();
  }
  if (e.contract) {
    f.contract_start = FormatDate(e.contract->start);
    f.contract_end = FormatDate(e.contract->end);
    f.hourly_rate_fen = e.contract->hourly_rate_fen;
  } else if (e.contract_null) {
    f.contract_start = f.contract_end = std::nullopt;
    f.hourly_rate_fen = 0;
  }
  if (e.wdays) f.will_weekdays = JoinInts(*e.wdays);
  if (e.wbands) f.will_bands = JoinList(*e.wbands);
  if (e.wcontent) f.will_content = *e.wcontent;
  if (e.whours) f.will_max_hours = *e.whours;
}

}  // namespace

Status CheckAssignable(db::Conn& c, int64_t school, int64_t staff_id, std::optional<int64_t> term_id, Date on) {
  auto r = store::FindRecord(c, school, staff_id);
  if (!r) return Error::NotFound("教师不存在", "no such staff", "teacher_staff_id");
  auto term = store::FindTerm(c, school, term_id);
  if (!term) return Error::RuleBroken("没有当前学期，不能安排授课", "no current term", "term_id");
  return CanServe(store::GateRecordOf(*r), term->span, on);
}

bool ServesForInstitution(db::Conn& c, int64_t school, int64_t staff_id) {
  auto r = store::FindRecord(c, school, staff_id);
  return r && (r->Text("kind") == "institution" || r->OptInt("institution_id").has_value());
}

std::string StaffName(db::Conn& c, int64_t school, int64_t staff_id) {
  auto r = c.QueryOne(store::kStaffName, {staff_id, school});
  return r ? r->Text("name") : std::string();
}

Result<Json> ListRecords(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, const Json& filters) {
  std::string q = Trim(filters.value("q", ""));
  std::string kind = filters.value("kind", "");
  if (!kind.empty() && !IsStaffKind(kind)) return Error::Invalid("人员类别无效", "unknown kind", "kind");
  const bool blocked_only = filters.value("blocked", false);
  const int64_t page = filters.value("page", int64_t{1}), size = filters.value("page_size", int64_t{20});
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto term = store::FindTerm(c, sid, std::nullopt);
    auto counts = TrainingCounts(c, sid, term);
    const Date today = TodayLocal();
    Json all = Json::array();
    int people = 0, covered = 0, blocked = 0;
    for (auto& r : store::ListRecords(c, sid, "", "")) {
      if (r.Int("active") == 0) continue;
      ++people;
      int n = counts.count(r.Int("staff_id")) ? counts[r.Int("staff_id")] : 0;
      covered += TrainingComplete(n);
      (void)r;
    }
    for (auto& r : store::ListRecords(c, sid, q, kind)) {
      int n = counts.count(r.Int("staff_id")) ? counts[r.Int("staff_id")] : 0;
      Json j = RecordJson(r, term, today, n);
      if (!j["gate"]["ok"].get<bool>()) ++blocked;
      if (blocked_only && j["gate"]["ok"].get<bool>()) continue;
      all.push_back(std::move(j));
    }
    Json items = Json::array();
    for (size_t i = static_cast<size_t>((page - 1) * size); i < all.size() && i < static_cast<size_t>(page * size); ++i)
      items.push_back(all[i]);
    Json out{{"items", items},
             {"total", all.size()},
             {"blocked", blocked},
             {"term", TermJson(term)},
             {"training",
              {{"sessions_per_term", kTrainingSessionsPerTerm},
               {"covered", covered},
               {"people", people},
               {"percent", people ? covered * 100 / people : 100},
               {"target_percent", kTrainingCoverageTargetPercent}}}};
    return out;
  });
}

Result<Json> GetRecord(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t staff_id) {
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto r = store::FindRecord(c, sid, staff_id);
    if (!r) return StaffNotFound();
    auto term = store::FindTerm(c, sid, std::nullopt);
    auto counts = TrainingCounts(c, sid, term);
    Json out = RecordJson(*r, term, TodayLocal(), counts.count(staff_id) ? counts[staff_id] : 0);
    Json trainings = Json::array();
    for (auto& t : c.Query(store::kListTrainings, {sid, staff_id}))
      trainings.push_back(
          {{"id", t.Int("id")}, {"held_on", t.Text("held_on")}, {"hours", t.Int("hours")}, {"topic", t.Text("topic")}});
    out["trainings"] = trainings;
    out["term"] = TermJson(term);
    auth::Audit(c, who, {"read_personal", "staff_record", staff_id, nullptr, nullptr, sid});
    return out;
  });
}

Result<Json> SaveRecord(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t staff_id,
                        const Json& body) {
  KEHOU_ASSIGN_OR_RETURN(RecordEdit edit, ReadRecordEdit(body));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto r = store::FindRecord(c, sid, staff_id);
    if (!r) return StaffNotFound();
    if (edit.inst && *edit.inst) {
      auto areas = c.QueryOne(store::kSchoolAreas, {sid});
      if (!c.QueryOne(store::kInstitutionSeen,
                      {**edit.inst, areas->Int("id"), areas->OptInt("parent_id").value_or(-1)}))
        return Error::NotFound("机构不存在或不在本县（市）名单内", "no such institution", "institution_id");
    }
    auto term = store::FindTerm(c, sid, std::nullopt);
    auto counts = TrainingCounts(c, sid, term);
    const int n = counts.count(staff_id) ? counts[staff_id] : 0;
    Json before = RecordJson(*r, term, TodayLocal(), n);
    store::RecordFields f = store::FieldsOf(*r);
    ApplyEdit(edit, f);
    store::SaveRecord(c, sid, staff_id, f, NowMs());
    Json after = RecordJson(*store::FindRecord(c, sid, staff_id), term, TodayLocal(), n);
    auth::Audit(c, who, {"update", "staff_record", staff_id, &before, &after, sid});
    return after;
  });
}

Result<Json> AddTraining(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t staff_id,
                         const Json& body) {
  BodyReader b(body);
  auto held = b.Date("held_on", {.required = true, .label = "培训日期"});
  auto hours = b.Int("hours", {.required = true, .min = 1, .max = kMaxTrainingHours, .label = "学时"});
  auto topic = b.Text("topic", {.required = true, .max_len = kMaxTextLength, .label = "培训主题"});
  KEHOU_TRY(b.Finish(UnknownFields::kRefuse));
  KEHOU_TRY(CheckTraining(*hours, *topic));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    if (!store::FindRecord(c, sid, staff_id)) return StaffNotFound();
    int64_t id = c.Insert(store::kInsertTraining, {sid, staff_id, FormatDate(*held), *hours, *topic, NowMs()});
    Json out{{"id", id}, {"staff_id", staff_id}, {"held_on", FormatDate(*held)}, {"hours", *hours}, {"topic", *topic}};
    auth::Audit(c, who, {"create", "staff_training", id, nullptr, &out, sid});
    return out;
  });
}

Willingness WillingnessOf(db::Conn& c, int64_t school, int64_t staff_id) {
  Willingness w;
  auto r = store::FindRecord(c, school, staff_id);
  if (!r) return w;
  if (auto d = ParseWeekdays(r->Text("will_weekdays"), "will_weekdays"); d.ok()) w.weekdays = *d;
  w.bands = SplitList(r->Text("will_bands"));
  return w;
}

}  // namespace kehou::staff
