// disclosure.cpp (ledger): the monthly public disclosure (公示): computed from the ledger, published
// as a frozen snapshot, read by guardians of the school's children as a page and a PDF (service.h).
#include "auth/audit.h"
#include "core/body.h"
#include "ledger/internal.h"
#include "ledger/store.h"
#include "pdf/table.h"

namespace kehou::ledger {

using namespace internal;

namespace {

Json Totals(const std::map<std::string, int64_t>& by) {
  int64_t in = 0, out = 0;
  for (const auto& l : Lines()) (l.income ? in : out) += by.at(l.key);
  return {{"income_fen", in}, {"expense_fen", out}, {"surplus_fen", in - out}};
}

int64_t LastEntryId(db::Conn& c, int64_t sid) { return c.QueryOne(store::kLastEntryId, {sid})->Int("id"); }

Result<Json> PreviewIn(db::Conn& c, int64_t sid, std::optional<int64_t> term_id, const std::string& month,
                       const Date& today, Month* out_month, school::Term* out_term) {
  auto m = ParseMonth(month);
  if (!m) return Error::Invalid("月份格式须为 YYYY-MM", "month must be YYYY-MM", "month");
  std::optional<school::Term> t;
  if (term_id) {
    t = school::TermOf(c, sid, *term_id);
  } else {  // the term the month falls in, else the current one
    t = school::TermOverlapping(c, sid, FirstDay(*m), LastDay(*m));
    if (!t) t = school::CurrentTerm(c, sid);
  }
  if (!t) return Error::NotFound("学期不存在", "no such term", "term_id");
  KEHOU_TRY(CheckDisclosureMonth(*m, t->dates.start, t->dates.end, today));
  if (out_month) *out_month = *m;
  if (out_term) *out_term = *t;
  Json j = ComputeDisclosure(c, sid, t->id, *m);
  j["term"] = TermJson(*t);
  auto s = c.QueryOne(store::kSchoolName, {sid});
  j["school_name"] = s ? s->Text("name") : "";
  return j;
}

Json Summary(const db::Row& r) {
  Json snap = Json::parse(r.Text("snapshot"));
  return {{"id", r.Int("id")},
          {"month", r.Text("month")},
          {"term_id", r.Int("term_id")},
          {"school_name", snap.value("school_name", "")},
          {"term_name", snap["term"].value("name", "")},
          {"published_at", FormatInstant(r.Int("published_at"))},
          {"month_totals", snap["month_totals"]},
          {"term_totals", snap["term_totals"]},
          {"has_corrections", snap.value("has_corrections", false)}};
}

// The disclosure row the principal may read: staff of its school; a guardian of a child of it.
Result<db::Row> DisclosureFor(db::Conn& c, const Principal& who, SchoolArg school, int64_t id) {
  Error nf = Error::NotFound("公示不存在", "no such disclosure", "id");
  if (who.role == auth::Role::kGuardian) {
    if (!who.guardian_id) return nf;
    auto r = c.QueryOne(store::kDisclosureOfGuardian, {id, *who.guardian_id});
    if (!r) return nf;
    return *r;
  }
  KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
  auto r = c.QueryOne(store::kDisclosureOfSchool, {id, sid});
  if (!r) return nf;
  return *r;
}

}  // namespace

Json ComputeDisclosure(db::Conn& c, int64_t sid, int64_t term_id, const Month& month) {
  std::string first = FormatDate(FirstDay(month)), last = FormatDate(LastDay(month));
  const int64_t cutoff = LastEntryId(c, sid);
  Json prev = nullptr;
  std::map<std::string, Movement> mv_month, mv_term, mv_corr;
  // The previous published disclosure of the term: what was posted since, dated in the months it
  // covered, is a correction of it. Without one nothing is a correction.
  if (auto p = c.QueryOne(store::kPreviousDisclosure, {sid, term_id, FormatMonth(month)})) {
    auto pm = ParseMonth(p->Text("month"));
    prev = {{"id", p->Int("id")}, {"month", p->Text("month")}};
    for (const auto& r :
         c.Query(store::kMovementsCorrections, {sid, term_id, FormatDate(LastDay(*pm)), p->Int("cutoff_entry_id")}))
      mv_corr[r.Text("account_code")] = {r.Int("debit_fen"), r.Int("credit_fen")};
  }
  // The month and the term to its end from the monthly sums (sql/0310), which equal the lines.
  for (const auto& r : c.Query(store::kMonthSumsDisclosure, {sid, term_id, FormatMonth(month)})) {
    mv_month[r.Text("account_code")] = {r.Int("month_debit_fen"), r.Int("month_credit_fen")};
    mv_term[r.Text("account_code")] = {r.Int("term_debit_fen"), r.Int("term_credit_fen")};
  }
  auto in_month = ByLine(mv_month), term = ByLine(mv_term), corr = ByLine(mv_corr);
  Json lines = Json::array();
  bool has_corr = false;
  for (const auto& l : Lines()) {
    has_corr = has_corr || corr[l.key] != 0;
    lines.push_back({{"key", l.key},
                     {"name", l.name},
                     {"name_en", l.name_en},
                     {"income", l.income},
                     {"month_fen", in_month[l.key]},
                     {"term_fen", term[l.key]},
                     {"correction_fen", corr[l.key]}});
  }
  auto count = c.QueryOne(store::kCountTermEntries, {sid, term_id, last});
  return {{"month", FormatMonth(month)},
          {"from", first},
          {"to", last},
          {"cutoff_entry_id", cutoff},
          {"entries", count->Int("n")},
          {"lines", lines},
          {"month_totals", Totals(in_month)},
          {"term_totals", Totals(term)},
          {"correction_totals", Totals(corr)},
          {"has_corrections", has_corr},
          // Income is what was received (docs/ARCHITECTURE.md, money): bills issued and not yet
          // paid at the month's end are receivables (1122), shown beside the lines, not income.
          {"receivable_fen", mv_term[kAcctReceivable].debit_fen - mv_term[kAcctReceivable].credit_fen},
          {"corrects", prev}};
}

Result<Json> PreviewDisclosure(db::Db& db, const Principal& who, SchoolArg school, const std::string& month,
                               std::optional<int64_t> term_id, const Date& today) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_ASSIGN_OR_RETURN(Json j, PreviewIn(c, sid, term_id, month, today, nullptr, nullptr));
    auto pub = c.QueryOne(store::kPublishedId, {sid, j["term"]["id"].get<int64_t>(), month});
    j["published_id"] = pub ? Json(pub->Int("id")) : Json(nullptr);
    return j;
  });
}

Result<Json> PublishDisclosure(db::Db& db, const Principal& who, SchoolArg school, const Json& body,
                               const Date& today) {
  BodyReader r(body);
  auto month = r.Text("month", {.required = true, .max_len = 7, .label = "月份"});
  auto term_id = r.Id("term_id", {.label = "学期"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    Month m;
    school::Term t;
    KEHOU_ASSIGN_OR_RETURN(Json snap, PreviewIn(c, sid, term_id, *month, today, &m, &t));
    if (c.QueryOne(store::kPublished, {sid, t.id, FormatMonth(m)}))
      return Error::Conflict("该月已公示；公示后不能修改，之后的更正将在下月公示中列明",
                             "the month is already published; corrections show on the next disclosure", "month");
    int64_t now = NowMs();
    int64_t id = c.Insert(store::kInsertDisclosure, {sid, t.id, FormatMonth(m), snap["cutoff_entry_id"].get<int64_t>(),
                                                     snap.dump(), UserOf(who), now});
    Json what{{"month", FormatMonth(m)}, {"term_totals", snap["term_totals"]}};
    auth::Audit(c, who, {"publish", "ledger_disclosure", id, nullptr, &what, sid});
    snap["id"] = id;
    snap["published_at"] = FormatInstant(now);
    return snap;
  });
}

Result<Json> ListDisclosures(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> term_id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    Json items = Json::array();
    for (const auto& r : c.Query(store::kDisclosuresOfSchool, {sid, term_id.value_or(0)})) items.push_back(Summary(r));
    return Json{{"items", items}};
  });
}

Result<Json> GetDisclosure(db::Db& db, const Principal& who, SchoolArg school, int64_t id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(db::Row r, DisclosureFor(c, who, school, id));
    Json j = Json::parse(r.Text("snapshot"));
    j["id"] = r.Int("id");
    j["published_at"] = FormatInstant(r.Int("published_at"));
    j["published_local"] = FormatLocalMinute(r.Int("published_at"));  // school-local, for print
    return j;
  });
}

Result<Json> MyDisclosures(db::Db& db, const Principal& who) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    Json items = Json::array();
    if (!who.guardian_id) return Json{{"items", items}};
    for (const auto& r : c.Query(store::kDisclosuresOfGuardian, {*who.guardian_id})) items.push_back(Summary(r));
    return Json{{"items", items}};
  });
}

Result<FileOut> DisclosurePdf(db::Db& db, const Principal& who, SchoolArg school, int64_t id) {
  KEHOU_ASSIGN_OR_RETURN(Json j, GetDisclosure(db, who, school, id));
  pdf::TableDocument doc;
  std::string school_name = j.value("school_name", "");
  doc.title = school_name + " 课后服务收支公示（" + j.value("month", "") + "）";
  doc.header_left = school_name;
  doc.subtitles = {
      "学期：" + j["term"].value("name", "") + "　统计期间：" + j.value("from", "") + " 至 " + j.value("to", ""),
      "公示时间：" + j.value("published_local", "") + "　金额单位：元"};
  doc.columns = {{"项目", 3},
                 {"收/支", 1, pdf::Align::kCenter},
                 {"本月", 2, pdf::Align::kEnd},
                 {"本学期累计", 2, pdf::Align::kEnd},
                 {"更正", 2, pdf::Align::kEnd}};
  for (const auto& l : j["lines"])
    doc.rows.push_back({l.value("name", ""), l.value("income", false) ? "收入" : "支出",
                        Yuan(l.value("month_fen", int64_t{0})), Yuan(l.value("term_fen", int64_t{0})),
                        Yuan(l.value("correction_fen", int64_t{0}))});
  for (auto [key, label] : {std::pair{"income_fen", "收入合计"}, {"expense_fen", "支出合计"}, {"surplus_fen", "结余"}})
    doc.rows.push_back({label, "", Yuan(j["month_totals"].value(key, int64_t{0})),
                        Yuan(j["term_totals"].value(key, int64_t{0})),
                        Yuan(j["correction_totals"].value(key, int64_t{0}))});
  doc.footer_left = "数据来自学校课后服务账簿，共 " + std::to_string(j.value("entries", int64_t{0})) + " 笔记账凭证";
  KEHOU_ASSIGN_OR_RETURN(pdf::RenderedPdf out, pdf::RenderTable(doc));
  return FileOut{std::move(out.bytes), std::string(pdf::kPdfContentType), "收支公示-" + j.value("month", "") + ".pdf"};
}

}  // namespace kehou::ledger
