#include "fees/service.h"

#include <map>
#include <set>

#include "auth/audit.h"
#include "core/body.h"
#include "fees/internal.h"
#include "fees/store.h"
#include "people/xlsx.h"

namespace kehou::fees {
namespace internal {

Error BillNotFound() { return Error::NotFound("账单不存在", "no such bill", "id"); }

Result<school::Term> TermArg(db::Conn& c, int64_t school_id, std::optional<int64_t> term_id) {
  auto t = term_id ? school::TermOf(c, school_id, *term_id) : school::CurrentTerm(c, school_id);
  if (!t) return Error::NotFound(term_id ? "学期不存在" : "学校尚未设置当前学期", "no such term", "term_id");
  return *t;
}

Result<DateRange> WindowOf(db::Conn& c, int64_t school_id, const school::Term& t) {
  auto s = store::LoadSettings(c, school_id);
  return PaymentWindow(t.dates, s.pay_from_week, s.pay_to_week);
}

std::vector<DateRange> LateWindows(db::Conn& c, int64_t school_id, int64_t term_id) {
  std::vector<DateRange> out;
  for (const auto& r : c.Query(store::kLateWindows, {school_id, term_id})) {
    auto a = ParseDate(r.Text("opens_on")), b = ParseDate(r.Text("closes_on"));
    if (a && b) out.push_back({*a, *b});
  }
  return out;
}

Status CheckOpen(db::Conn& c, int64_t school_id, const school::Term& t, const Date& today) {
  auto s = store::LoadSettings(c, school_id);
  KEHOU_ASSIGN_OR_RETURN(DateRange w, PaymentWindow(t.dates, s.pay_from_week, s.pay_to_week));
  return CheckPaymentOpen(w, LateWindows(c, school_id, t.id), today, s.pay_from_week, s.pay_to_week);
}

Result<db::Row> BillFor(db::Conn& c, const Principal& who, SchoolArg school, int64_t bill_id) {
  if (who.role == auth::Role::kGuardian) {
    if (!who.guardian_id) return BillNotFound();
    auto r = c.QueryOne(store::kBillOfGuardian, {bill_id, *who.guardian_id});
    if (!r) return BillNotFound();
    return *r;
  }
  KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
  auto r = c.QueryOne(store::kBillOfSchool, {bill_id, sid});
  if (!r) return BillNotFound();
  return *r;
}

void Recompute(db::Conn& c, int64_t school_id, int64_t bill_id, int64_t now) {
  int64_t gross = 0, paid = 0;
  for (const auto& l : store::BillLines(c, school_id, bill_id)) gross += l.amount_fen;
  std::vector<Reduction> rs;
  for (const auto& e : c.Query(store::kExemptions, {school_id, bill_id}))
    rs.push_back({ParseReductionMode(e.Text("mode")).value_or(ReductionMode::kFull), e.Int("value")});
  for (const auto& p : c.Query(store::kPayments, {school_id, bill_id})) paid += p.Int("amount_fen");
  int64_t reduction = TotalReductionFen(gross, rs);
  c.Exec(store::kUpdateBillAmounts,
         {school_id, bill_id, gross, reduction, paid, BillStatus(gross, reduction, paid), now});
}

Json BillJson(db::Conn& c, const db::Row& b, bool detail, const Date& today) {
  int64_t gross = b.Int("gross_fen"), reduction = b.Int("reduction_fen"), paid = b.Int("paid_fen");
  int64_t due = gross - reduction;
  Json j{{"id", b.Int("id")},
         {"term_id", b.Int("term_id")},
         {"term_name", b.Text("term_name")},
         {"student_id", b.Int("student_id")},
         {"student_name", b.Text("student_name")},
         {"student_no", b.Text("student_no")},
         {"class_name", b.Text("class_name")},
         {"gross_fen", gross},
         {"reduction_fen", reduction},
         {"due_fen", due},
         {"paid_fen", paid},
         {"outstanding_fen", due > paid ? due - paid : 0},
         {"status", b.Text("status")},
         {"issued_at", FormatInstant(b.Int("issued_at"))}};
  if (!detail) return j;
  int64_t sid = b.Int("school_id");
  Json lines = Json::array(), ex = Json::array(), pays = Json::array();
  for (const auto& l : store::BillLines(c, sid, b.Int("id")))
    lines.push_back({{"kind", l.kind},
                     {"kind_label", FeeKindLabelZh(l.kind)},
                     {"name", l.name},
                     {"amount_fen", l.amount_fen},
                     {"standard_id", l.standard_id ? Json(*l.standard_id) : Json(nullptr)}});
  std::vector<Reduction> so_far;
  for (const auto& e : c.Query(store::kExemptions, {sid, b.Int("id")})) {
    Reduction r{ParseReductionMode(e.Text("mode")).value_or(ReductionMode::kFull), e.Int("value")};
    int64_t before = TotalReductionFen(gross, so_far);
    so_far.push_back(r);
    ex.push_back({{"id", e.Int("id")},
                  {"category", e.Text("category")},
                  {"category_label", ExemptionCategoryLabelZh(e.Text("category"))},
                  {"mode", e.Text("mode")},
                  {"value", e.Int("value")},
                  {"amount_fen", TotalReductionFen(gross, so_far) - before},
                  {"reason", e.Text("reason")},
                  {"decided_by", e.Text("decided_by")},
                  {"decided_on", e.Text("decided_on")},
                  {"decision_ref", e.Text("decision_ref")}});
  }
  for (const auto& p : c.Query(store::kPayments, {sid, b.Int("id")}))
    pays.push_back({{"id", p.Int("id")},
                    {"channel", p.Text("channel")},
                    {"channel_label", PayChannelLabelZh(p.Text("channel"))},
                    {"transaction_id", p.Text("transaction_id")},
                    {"amount_fen", p.Int("amount_fen")},
                    {"paid_at", FormatInstant(p.Int("paid_at"))}});
  Json refunds = Json::array();
  int64_t refunded = 0;
  for (const auto& r : c.Query(store::kBillRefunds, {sid, b.Int("id")})) {
    if (r.Text("status") == "approved") refunded += r.Int("amount_fen");
    refunds.push_back({{"id", r.Int("id")},
                       {"kind", r.Text("kind")},
                       {"amount_fen", r.Int("amount_fen")},
                       {"reason", r.Text("reason")},
                       {"status", r.Text("status")},
                       {"approver_name", r.Text("approver_name")},
                       {"effective_date", r.Text("effective_date")}});
  }
  j["lines"] = lines;
  j["exemptions"] = ex;
  j["payments"] = pays;
  j["refunds"] = refunds;
  j["refunded_fen"] = refunded;
  if (auto t = school::TermOf(c, sid, b.Int("term_id"))) {
    auto s = store::LoadSettings(c, sid);
    if (auto w = PaymentWindow(t->dates, s.pay_from_week, s.pay_to_week); w.ok()) {
      j["pay_window"] = {{"first", FormatDate(w->first)},
                         {"last", FormatDate(w->last)},
                         {"from_week", s.pay_from_week},
                         {"to_week", s.pay_to_week}};
      j["pay_open"] = CheckPaymentOpen(*w, LateWindows(c, sid, t->id), today, s.pay_from_week, s.pay_to_week).ok();
    }
  }
  return j;
}

}  // namespace internal

using namespace internal;

namespace {

Json StandardJson(const db::Row& r) {
  return Json{{"id", r.Int("id")},
              {"term_id", r.Int("term_id")},
              {"kind", r.Text("kind")},
              {"kind_label", FeeKindLabelZh(r.Text("kind"))},
              {"course_id", r.Int("course_key") ? Json(r.Int("course_key")) : Json(nullptr)},
              {"name", r.Text("name")},
              {"amount_fen", r.Int("amount_fen")},
              {"doc_ref", r.Text("doc_ref")},
              {"updated_at", FormatInstant(r.Int("updated_at"))}};
}

Json SettingsJson(db::Conn& c, int64_t sid) {
  auto s = store::LoadSettings(c, sid);
  return Json{{"pay_from_week", s.pay_from_week},
              {"pay_to_week", s.pay_to_week},
              {"default_from_week", kPayFromWeek},
              {"default_to_week", kPayToWeek},
              {"charges_fee", school::SchoolChargesFee(c, sid)}};
}

}  // namespace

Result<Json> GetSettings(db::Db& db, const Principal& who, SchoolArg school) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    return SettingsJson(c, sid);
  });
}

Result<Json> PutSettings(db::Db& db, const Principal& who, SchoolArg school, const Json& body) {
  BodyReader r(body);
  auto from = r.Int("pay_from_week", {.required = true, .min = 1, .max = kMaxPayWeek, .label = "缴费开始周"});
  auto to = r.Int("pay_to_week", {.required = true, .min = 1, .max = kMaxPayWeek, .label = "缴费结束周"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  KEHOU_TRY(CheckPayWeeks(static_cast<int>(*from), static_cast<int>(*to)));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    Json before = SettingsJson(c, sid);
    c.Exec(store::kUpsertSettings, {sid, *from, *to, NowMs()});
    Json after = SettingsJson(c, sid);
    auth::Audit(c, who, {"update", "fee_settings", sid, &before, &after, sid});
    return after;
  });
}

Result<Json> ListStandards(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> term_id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_ASSIGN_OR_RETURN(school::Term t, TermArg(c, sid, term_id));
    Json items = Json::array();
    for (const auto& r : c.Query(store::kListStandards, {sid, t.id})) items.push_back(StandardJson(r));
    Json late = Json::array();
    for (const auto& r : c.Query(store::kLateWindows, {sid, t.id}))
      late.push_back({{"id", r.Int("id")},
                      {"opens_on", r.Text("opens_on")},
                      {"closes_on", r.Text("closes_on")},
                      {"reason", r.Text("reason")}});
    Json out{{"term",
              {{"id", t.id},
               {"name", t.name},
               {"start_date", FormatDate(t.dates.start)},
               {"end_date", FormatDate(t.dates.end)}}},
             {"settings", SettingsJson(c, sid)},
             {"items", items},
             {"late_windows", late}};
    if (auto w = WindowOf(c, sid, t); w.ok())
      out["pay_window"] = {{"first", FormatDate(w->first)}, {"last", FormatDate(w->last)}};
    return out;
  });
}

Result<Json> CreateStandard(db::Db& db, const Principal& who, SchoolArg school, const Json& body) {
  BodyReader r(body);
  auto term = r.Id("term_id", {.required = true, .label = "学期"});
  auto kind = r.Text("kind", {.required = true, .max_len = 20, .label = "收费项目类别"});
  auto course = r.Id("course_id", {.label = "课程"});
  auto name = r.Text("name", {.max_len = 60, .label = "名称"});
  auto amount = r.Int("amount_fen", {.required = true, .min = 0, .max = kMaxFeeFen, .label = "金额"});
  auto doc = r.Text("doc_ref", {.required = true, .max_len = kMaxDocRefLength, .label = "价格主管部门文件"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  if (!IsFeeKind(*kind))
    return Error::Invalid("类别须为 basic、course 或 materials", "kind must be basic, course or materials", "kind");
  if ((*kind == "course") != course.has_value())
    return Error::Invalid("课程费须指定课程，其他类别不能指定课程", "course_id is for kind course only", "course_id");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_ASSIGN_OR_RETURN(school::Term t, TermArg(c, sid, term));
    KEHOU_TRY(CheckFeeAllowed(school::SchoolChargesFee(c, sid), *amount));
    std::string label = name.value_or("");
    if (course) {
      auto cr = c.QueryOne(store::kCourseOfSchool, {sid, *course});
      if (!cr) return Error::NotFound("课程不存在", "no such course", "course_id");
      if (label.empty()) label = cr->Text("name");
    }
    if (label.empty()) label = std::string(FeeKindLabelZh(*kind));
    if (c.QueryOne(store::kFindStandard, {sid, t.id, *kind, course.value_or(0)}))
      return Error::Conflict("本学期已有该项收费标准，请修改原标准", "this term already has that standard", "kind");
    int64_t now = NowMs();
    int64_t id = c.Insert(store::kInsertStandard, {sid, t.id, *kind, course.value_or(0), label, *amount, *doc,
                                                   who.user_id ? db::Value(who.user_id) : db::Null(), now});
    Json out = StandardJson(*c.QueryOne(store::kLoadStandard, {sid, id}));
    auth::Audit(c, who, {"create", "fee_standard", id, nullptr, &out, sid});
    return out;
  });
}

Result<Json> UpdateStandard(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const Json& body) {
  BodyReader r(body);
  auto name = r.Text("name", {.max_len = 60, .label = "名称"});
  auto amount = r.Int("amount_fen", {.min = 0, .max = kMaxFeeFen, .label = "金额"});
  auto doc = r.Text("doc_ref", {.max_len = kMaxDocRefLength, .label = "价格主管部门文件"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto row = c.QueryOne(store::kLoadStandard, {sid, id});
    if (!row) return Error::NotFound("收费标准不存在", "no such fee standard", "id");
    int64_t fen = amount.value_or(row->Int("amount_fen"));
    KEHOU_TRY(CheckFeeAllowed(school::SchoolChargesFee(c, sid), fen));
    Json before = StandardJson(*row);
    std::string label = name && !name->empty() ? *name : row->Text("name");
    std::string ref = doc && !doc->empty() ? *doc : row->Text("doc_ref");
    c.Exec(store::kUpdateStandard, {sid, id, label, fen, ref, NowMs()});
    Json after = StandardJson(*c.QueryOne(store::kLoadStandard, {sid, id}));
    auth::Audit(c, who, {"update", "fee_standard", id, &before, &after, sid});
    return after;
  });
}

Result<Json> DeleteStandard(db::Db& db, const Principal& who, SchoolArg school, int64_t id) {
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto row = c.QueryOne(store::kLoadStandard, {sid, id});
    if (!row) return Error::NotFound("收费标准不存在", "no such fee standard", "id");
    if (c.QueryOne(store::kStandardBilled, {sid, id}))
      return Error::Conflict("已有账单使用该收费标准，不能删除（可修改后重新出账）", "bills use this standard", "id");
    Json before = StandardJson(*row);
    c.Exec(store::kDeleteStandard, {sid, id});
    auth::Audit(c, who, {"delete", "fee_standard", id, &before, nullptr, sid});
    return Json{{"id", id}, {"deleted", true}};
  });
}

Result<Json> OpenLateWindow(db::Db& db, const Principal& who, SchoolArg school, const Json& body) {
  BodyReader r(body);
  auto term = r.Id("term_id", {.required = true, .label = "学期"});
  auto opens = r.Date("opens_on", {.required = true, .label = "开始日期"});
  auto closes = r.Date("closes_on", {.required = true, .label = "结束日期"});
  auto reason = r.Text("reason", {.required = true, .max_len = 200, .label = "原因"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  if (*closes < *opens) return Error::Invalid("结束日期不能早于开始日期", "closes_on is before opens_on", "closes_on");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_ASSIGN_OR_RETURN(school::Term t, TermArg(c, sid, term));
    if (*opens < t.dates.start || t.dates.end < *closes)
      return Error::RuleBroken("补缴时段须在本学期内（收费不得跨学期）", "the late window must lie within the term",
                               "closes_on");
    int64_t id = c.Insert(store::kInsertLateWindow, {sid, t.id, FormatDate(*opens), FormatDate(*closes), *reason,
                                                     who.user_id ? db::Value(who.user_id) : db::Null(), NowMs()});
    Json out{{"id", id},
             {"term_id", t.id},
             {"opens_on", FormatDate(*opens)},
             {"closes_on", FormatDate(*closes)},
             {"reason", *reason}};
    auth::Audit(c, who, {"open_late_window", "fee_late_window", id, nullptr, &out, sid});
    return out;
  });
}

namespace {

// The term's fee standards: basic and materials for every child, a course's for its seat holders.
struct TermStandards {
  std::vector<store::Line> common;
  std::map<int64_t, store::Line> per_course;  // course -> its standard
};

Result<TermStandards> LoadTermStandards(db::Conn& c, int64_t sid, int64_t term_id) {
  TermStandards out;
  for (const auto& s : c.Query(store::kListStandards, {sid, term_id})) {
    store::Line l{s.Text("kind"), s.Int("id"), s.Text("name"), s.Int("amount_fen")};
    if (l.kind == "course") out.per_course[s.Int("course_key")] = l;
    else out.common.push_back(l);
  }
  if (out.common.empty() && out.per_course.empty())
    return Error::RuleBroken("本学期尚未设置收费标准，不能出账", "the term has no fee standards", "term_id");
  return out;
}

// One bill run of a term on the caller's transaction: the counts of its answer, and the new bills'
// lines and ledger entries, written in bulk by Finish.
struct BillRun {
  BillRun(int64_t school_id, const school::Term& t, const Principal& by) : sid(school_id), term(t), who(by) {}
  int64_t sid = 0, now = NowMs();
  const school::Term& term;
  const Principal& who;
  int64_t created = 0, updated = 0, unchanged = 0, kept_paid = 0, total_due = 0;
  std::map<int64_t, std::vector<store::Line>> line_sets;  // the new bills' lines, by bill
  std::vector<std::pair<int64_t, const std::vector<store::Line>*>> fresh_lines;
  std::vector<ledger::Posting> postings;

  void AddNew(db::Conn& c, int64_t child, std::vector<store::Line> lines, int64_t gross) {
    int64_t id = c.Insert(store::kInsertBill, {sid, term.id, child, gross, int64_t{0}, BillStatus(gross, 0, 0), now});
    const auto& kept = line_sets.emplace(id, std::move(lines)).first->second;
    fresh_lines.push_back({id, &kept});
    postings.push_back(BillPosting(sid, term.id, id, kept, 0, &who));
    ++created;
    total_due += gross;
  }

  // A child's existing bill against its lines now: kept when paid (in part), else refreshed when
  // its lines changed (recomputed and posted to its new amount).
  Status Refresh(db::Conn& c, const db::Row& b, const std::vector<store::Line>& lines,
                 const std::vector<store::Line>* old) {
    const int64_t bill = b.Int("id");
    if (b.Int("paid_fen") > 0 || (old ? *old == lines : lines.empty())) {
      ++(b.Int("paid_fen") > 0 ? kept_paid : unchanged);
      total_due += b.Int("gross_fen") - b.Int("reduction_fen");
      return Ok();
    }
    store::ReplaceLines(c, sid, bill, lines);
    Recompute(c, sid, bill, now);
    KEHOU_TRY(PostBill(c, sid, bill, &who));
    ++updated;
    auto fresh = c.QueryOne(store::kBillDue, {bill});
    total_due += fresh ? fresh->Int("due_fen") : 0;
    return Ok();
  }

  Result<Json> Finish(db::Conn& c, int64_t children) {
    store::InsertLines(c, sid, fresh_lines);
    KEHOU_TRY(ledger::PostMany(c, postings));
    Json out{{"term_id", term.id},     {"children", children},   {"created", created},        {"updated", updated},
             {"unchanged", unchanged}, {"kept_paid", kept_paid}, {"total_due_fen", total_due}};
    auth::Audit(c, who, {"issue", "fee_bills", term.id, nullptr, &out, sid});
    return out;
  }
};

}  // namespace

Result<Json> IssueBills(db::Db& db, const Principal& who, SchoolArg school, const Json& body, const Date& today) {
  BodyReader r(body);
  auto term = r.Id("term_id", {.required = true, .label = "学期"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_ASSIGN_OR_RETURN(school::Term t, TermArg(c, sid, term));
    const bool charges = school::SchoolChargesFee(c, sid);
    KEHOU_ASSIGN_OR_RETURN(TermStandards standards, LoadTermStandards(c, sid, t.id));
    std::map<int64_t, std::vector<int64_t>> courses;  // child -> courses with a confirmed seat
    for (const auto& x : c.Query(store::kConfirmedCourses, {sid, t.id}))
      courses[x.Int("student_id")].push_back(x.Int("course_id"));
    const std::set<int64_t> children = ChildrenToBill(c, sid, t, today);
    std::map<int64_t, db::Row> existing;
    for (auto& b : c.Query(store::kTermBills, {sid, t.id})) existing.emplace(b.Int("student_id"), std::move(b));
    const auto old_lines = store::TermLines(c, sid, t.id);
    BillRun run(sid, t, who);
    for (int64_t child : children) {
      std::vector<store::Line> lines = standards.common;
      for (int64_t course : courses[child])
        if (auto it = standards.per_course.find(course); it != standards.per_course.end()) lines.push_back(it->second);
      int64_t gross = 0;
      for (const auto& l : lines) gross += l.amount_fen;
      KEHOU_TRY(CheckFeeAllowed(charges, gross, "term_id"));
      auto it = existing.find(child);
      if (it == existing.end()) {
        run.AddNew(c, child, std::move(lines), gross);
        continue;
      }
      auto old = old_lines.find(it->second.Int("id"));
      KEHOU_TRY(run.Refresh(c, it->second, lines, old == old_lines.end() ? nullptr : &old->second));
    }
    return run.Finish(c, static_cast<int64_t>(children.size()));
  });
}

namespace {

struct BillFilter {  // the parameters of store::KEHOU_BILL_FILTER (kBillSums, kBillsPage, kBillsExport)
  db::Params params;
  int64_t term_id = 0;
};
Result<BillFilter> FilterOf(db::Conn& c, int64_t sid, const BillQuery& q) {
  KEHOU_ASSIGN_OR_RETURN(school::Term t, TermArg(c, sid, q.term_id));
  if (!q.status.empty() && q.status != "unpaid" && q.status != "paid" && q.status != "exempted")
    return Error::Invalid("状态须为 unpaid、paid 或 exempted", "status must be unpaid, paid or exempted", "status");
  BillFilter f;
  f.term_id = t.id;
  f.params = {db::Value(sid), db::Value(t.id), db::Value(q.status), db::Value(q.class_id.value_or(0)),
              db::Value(q.q.empty() ? std::string() : "%" + q.q + "%")};
  return f;
}

}  // namespace

Result<Json> ListBills(db::Db& db, const Principal& who, SchoolArg school, const BillQuery& q) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_ASSIGN_OR_RETURN(BillFilter f, FilterOf(c, sid, q));
    auto sums = c.QueryOne(store::kBillSums, f.params);
    db::Params p = f.params;
    p.push_back(q.page_size);
    p.push_back((q.page - 1) * q.page_size);
    Json items = Json::array();
    for (const auto& r : c.Query(store::kBillsPage, p)) items.push_back(BillJson(c, r, false, TodayLocal()));
    return Json{{"items", items},
                {"total", sums->Int("n")},
                {"page", q.page},
                {"page_size", q.page_size},
                {"sums",
                 {{"due_fen", sums->Int("due_fen")},
                  {"paid_fen", sums->Int("paid_fen")},
                  {"reduction_fen", sums->Int("reduction_fen")}}},
                {"term_id", f.term_id}};
  });
}

Result<FileOut> ExportBills(db::Db& db, const Principal& who, SchoolArg school, const BillQuery& q) {
  auto rows = db.Read([&](db::Conn& c) -> Result<std::vector<std::vector<std::string>>> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_ASSIGN_OR_RETURN(BillFilter f, FilterOf(c, sid, q));
    std::vector<std::vector<std::string>> out;
    static const std::map<std::string, std::string> kStatus{{"unpaid", "未缴"}, {"paid", "已缴"}, {"exempted", "已免"}};
    for (const auto& r : c.Query(store::kBillsExport, f.params)) {
      int64_t due = r.Int("gross_fen") - r.Int("reduction_fen");
      out.push_back({r.Text("student_no"), r.Text("student_name"), r.Text("class_name"), FormatYuan(r.Int("gross_fen")),
                     FormatYuan(r.Int("reduction_fen")), FormatYuan(due), FormatYuan(r.Int("paid_fen")),
                     kStatus.count(r.Text("status")) ? kStatus.at(r.Text("status")) : r.Text("status")});
    }
    return out;
  });
  if (!rows.ok()) return rows.error();
  KEHOU_ASSIGN_OR_RETURN(
      std::string book,
      people::BuildXlsx("账单", {"学号", "姓名", "班级", "应收", "减免", "应缴", "已缴", "状态"}, *rows));
  db.Write([&](db::Conn& c) {
    Json what{{"rows", static_cast<int64_t>(rows->size())}, {"status", q.status}};
    auth::Audit(c, who, {"export", "fee_bills", q.term_id, nullptr, &what, std::nullopt});
  });
  return FileOut{std::move(book), std::string(people::kXlsxContentType), "课后服务费账单.xlsx"};
}

Result<Json> GetBill(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const Date& today) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(db::Row b, BillFor(c, who, school, id));
    return BillJson(c, b, true, today);
  });
}

Result<Json> MyBills(db::Db& db, const Principal& who, const Date& today) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    Json items = Json::array();
    if (!who.guardian_id) return Json{{"items", items}};
    for (const auto& r : c.Query(store::kBillsOfGuardian, {*who.guardian_id}))
      items.push_back(BillJson(c, r, true, today));
    return Json{{"items", items}};
  });
}

Result<Json> AddExemption(db::Db& db, const Principal& who, SchoolArg school, int64_t bill_id, const Json& body,
                          const Date& today) {
  BodyReader r(body);
  auto category = r.Text("category", {.required = true, .max_len = 20, .label = "类别"});
  auto mode = r.Text("mode", {.required = true, .max_len = 10, .label = "方式"});
  auto value = r.Int("value", {.min = 0, .max = kMaxFeeFen, .label = "减免值"});
  auto reason = r.Text("reason", {.max_len = 200, .label = "理由"});
  auto by = r.Text("decided_by", {.required = true, .max_len = 100, .label = "决定人（领导小组）"});
  auto on = r.Date("decided_on", {.required = true, .label = "决定日期"});
  auto ref = r.Text("decision_ref", {.required = true, .max_len = 100, .label = "会议纪要编号"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  if (!IsExemptionCategory(*category))
    return Error::Invalid("类别须为留守儿童、低收入家庭、残疾儿童或其他",
                          "category must be left_behind, low_income, disability or other", "category");
  auto m = ParseReductionMode(*mode);
  if (!m) return Error::Invalid("方式须为 full、amount 或 percent", "mode must be full, amount or percent", "mode");
  Reduction red{*m, *m == ReductionMode::kFull ? 0 : value.value_or(0)};
  KEHOU_TRY(CheckReduction(red));
  if (today < *on) return Error::Invalid("决定日期不能晚于今天", "decided_on is in the future", "decided_on");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(db::Row b, BillFor(c, who, school, bill_id));
    int64_t sid = b.Int("school_id");
    if (b.Int("paid_fen") > 0)
      return Error::Conflict("账单已缴费，减免请走退费流程", "the bill is paid: a reduction now is a refund", "id");
    int64_t now = NowMs();
    int64_t id = c.Insert(store::kInsertExemption,
                          {sid, bill_id, *category, *mode, red.value, reason.value_or(""), *by, FormatDate(*on), *ref,
                           who.user_id ? db::Value(who.user_id) : db::Null(), now});
    Recompute(c, sid, bill_id, now);
    KEHOU_TRY(PostBill(c, sid, bill_id, &who));
    Json before = BillJson(c, b, false, today);
    auto fresh = BillFor(c, who, school, bill_id);
    Json after = BillJson(c, *fresh, true, today);
    Json what{{"exemption_id", id},   {"category", *category},
              {"mode", *mode},        {"value", red.value},
              {"decided_by", *by},    {"decided_on", FormatDate(*on)},
              {"decision_ref", *ref}, {"reduction_fen", after["reduction_fen"]}};
    auth::Audit(c, who, {"exempt", "fee_bill", bill_id, &before, &what, sid});
    return after;
  });
}

}  // namespace kehou::fees
