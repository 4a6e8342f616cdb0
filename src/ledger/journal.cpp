// journal.cpp (ledger): the chart with balances, the journal (search, paging, XLSX), reversals and
// the documents the office enters (service.h).
#include "auth/audit.h"
#include "core/body.h"
#include "ledger/internal.h"
#include "ledger/store.h"
#include "people/xlsx.h"

namespace kehou::ledger {

using namespace internal;

namespace internal {

Result<school::Term> TermArg(db::Conn& c, int64_t school_id, std::optional<int64_t> term_id) {
  auto t = term_id ? school::TermOf(c, school_id, *term_id) : school::CurrentTerm(c, school_id);
  if (!t) return Error::NotFound("学期不存在", "no such term", "term_id");
  return *t;
}

Json TermJson(const school::Term& t) {
  return {
      {"id", t.id}, {"name", t.name}, {"start_date", FormatDate(t.dates.start)}, {"end_date", FormatDate(t.dates.end)}};
}

std::string Yuan(int64_t fen) {
  std::string sign = fen < 0 ? "-" : "";
  int64_t a = fen < 0 ? -fen : fen;
  std::string cents = std::to_string(a % 100);
  if (cents.size() < 2) cents = "0" + cents;
  return sign + "¥" + std::to_string(a / 100) + "." + cents;
}

db::Value UserOf(const Principal& who) { return who.user_id ? db::Value(who.user_id) : db::Null(); }
std::string NameOf(const Principal& who) { return who.display_name.empty() ? who.login : who.display_name; }

}  // namespace internal

namespace {

// The journal's filter of a query, its account and month checked.
Result<store::JournalFilter> FilterOf(int64_t sid, int64_t term_id, const JournalQuery& q) {
  store::JournalFilterOf of{q.source_type, q.account, "", "", q.q};
  if (!q.account.empty() && !FindAccount(q.account)) return Error::Invalid("科目不存在", "unknown account", "account");
  if (!q.month.empty()) {
    auto m = ParseMonth(q.month);
    if (!m) return Error::Invalid("月份格式须为 YYYY-MM", "month must be YYYY-MM", "month");
    of.from = FormatDate(FirstDay(*m));
    of.to = FormatDate(LastDay(*m));
  }
  return store::JournalWhere(sid, term_id, of);
}

Json LinesOf(db::Conn& c, int64_t sid, int64_t entry_id) {
  Json lines = Json::array();
  for (const auto& l : c.Query(store::kEntryLines, {sid, entry_id})) {
    const Account* a = FindAccount(l.Text("account_code"));
    lines.push_back({{"account", l.Text("account_code")},
                     {"name", a ? a->name : ""},
                     {"debit_fen", l.Int("debit_fen")},
                     {"credit_fen", l.Int("credit_fen")}});
  }
  return lines;
}

Json EntryJson(db::Conn& c, int64_t sid, const db::Row& e) {
  return {{"id", e.Int("id")},
          {"entry_date", e.Text("entry_date")},
          {"source_type", e.Text("source_type")},
          {"source_id", e.Int("source_id")},
          {"source_ref", e.Text("source_ref")},
          {"memo", e.Text("memo")},
          {"reverses_id", !e.OptInt("reverses_id") ? Json(nullptr) : Json(e.Int("reverses_id"))},
          {"reversed_by", !e.OptInt("reversed_by") ? Json(nullptr) : Json(e.Int("reversed_by"))},
          {"total_fen", e.Int("total_fen")},
          {"created_at", FormatInstant(e.Int("created_at"))},
          {"lines", LinesOf(c, sid, e.Int("id"))}};
}

}  // namespace

Result<Json> ListAccounts(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> term_id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_ASSIGN_OR_RETURN(school::Term t, TermArg(c, sid, term_id));
    auto mv = Movements(c, sid, t.id);
    Json items = Json::array();
    int64_t debit = 0, credit = 0;
    const char* kinds[] = {"asset", "liability", "income", "expense"};
    for (const auto& a : Chart()) {
      Movement m = mv.count(a.code) ? mv[a.code] : Movement{};
      debit += m.debit_fen;
      credit += m.credit_fen;
      bool debit_normal = a.kind == AccountKind::kAsset || a.kind == AccountKind::kExpense;
      items.push_back({{"code", a.code},
                       {"name", a.name},
                       {"name_en", a.name_en},
                       {"kind", kinds[static_cast<int>(a.kind)]},
                       {"line", a.line},
                       {"debit_fen", m.debit_fen},
                       {"credit_fen", m.credit_fen},
                       {"balance_fen", debit_normal ? m.debit_fen - m.credit_fen : m.credit_fen - m.debit_fen}});
    }
    return Json{{"term", TermJson(t)}, {"items", items}, {"debit_fen", debit}, {"credit_fen", credit}};
  });
}

Result<Json> ListJournal(db::Db& db, const Principal& who, SchoolArg school, const JournalQuery& q) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_ASSIGN_OR_RETURN(school::Term t, TermArg(c, sid, q.term_id));
    KEHOU_ASSIGN_OR_RETURN(store::JournalFilter f, FilterOf(sid, t.id, q));
    int64_t total = store::CountJournal(c, f);
    Movement sums = store::JournalSums(c, f);
    Json items = Json::array();
    for (const auto& e : store::JournalPage(c, f, q.page_size, (q.page - 1) * q.page_size))
      items.push_back(EntryJson(c, sid, e));
    return Json{{"term", TermJson(t)},
                {"items", items},
                {"total", total},
                {"page", q.page},
                {"page_size", q.page_size},
                {"debit_fen", sums.debit_fen},
                {"credit_fen", sums.credit_fen}};
  });
}

Result<FileOut> ExportJournal(db::Db& db, const Principal& who, SchoolArg school, const JournalQuery& q) {
  auto rows = db.Read([&](db::Conn& c) -> Result<std::vector<std::vector<std::string>>> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_ASSIGN_OR_RETURN(school::Term t, TermArg(c, sid, q.term_id));
    KEHOU_ASSIGN_OR_RETURN(store::JournalFilter f, FilterOf(sid, t.id, q));
    std::vector<std::vector<std::string>> out;
    for (const auto& r : store::JournalExportLines(c, f)) {
      const std::string account = r.Text("account_code");
      const Account* a = FindAccount(account);
      const int64_t debit = r.Int("debit_fen"), credit = r.Int("credit_fen");
      out.push_back({std::to_string(r.Int("id")), r.Text("entry_date"),
                     r.Text("source_type") + " #" + std::to_string(r.Int("source_id")), r.Text("source_ref"),
                     r.Text("memo"), account, a ? a->name : "", debit ? Yuan(debit) : "", credit ? Yuan(credit) : ""});
    }
    return out;
  });
  if (!rows.ok()) return rows.error();
  KEHOU_ASSIGN_OR_RETURN(
      std::string book,
      people::BuildXlsx("记账凭证",
                        {"凭证号", "日期", "原始凭证", "单据号", "摘要", "科目编码", "科目", "借方", "贷方"}, *rows));
  db.Write([&](db::Conn& c) {
    Json what{{"rows", static_cast<int64_t>(rows->size())}};
    auth::Audit(c, who, {"export", "ledger_entries", q.term_id, nullptr, &what, std::nullopt});
  });
  return FileOut{std::move(book), std::string(people::kXlsxContentType), "记账凭证.xlsx"};
}

Result<Json> ReverseEntry(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const Json& body,
                          const Date& today) {
  BodyReader r(body);
  auto reason = r.Text("reason", {.required = true, .max_len = 200, .label = "冲销原因"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    std::optional<int64_t> by;
    if (who.user_id) by = who.user_id;
    KEHOU_ASSIGN_OR_RETURN(int64_t rev, Reverse(c, sid, id, today, "冲销 #" + std::to_string(id) + "：" + *reason, by));
    Json what{{"reversal_id", rev}, {"reason", *reason}};
    auth::Audit(c, who, {"reverse", "ledger_entry", id, nullptr, &what, sid});
    return EntryJson(c, sid, *c.QueryOne(store::kEntryById, {sid, rev}));
  });
}

Result<Json> CreateDocument(db::Db& db, const Principal& who, SchoolArg school, const Json& body, const Date& today) {
  BodyReader r(body);
  auto kind = r.Text("kind", {.required = true, .max_len = 10, .label = "类型"});
  auto term_id = r.Id("term_id", {.label = "学期"});
  auto date = r.Date("doc_date", {.required = true, .label = "日期"});
  auto account = r.Text("account", {.required = true, .max_len = 10, .label = "科目"});
  auto via = r.Text("via", {.required = true, .max_len = 10, .label = "收付方式"});
  auto amount = r.Int("amount_fen", {.required = true, .min = 1, .max = kMaxDocumentFen, .label = "金额"});
  auto invoice = r.Text("invoice_no", {.required = true, .max_len = 60, .label = "发票号/凭证号"});
  auto payee = r.Text("payee", {.max_len = 100, .label = "收付款单位"});
  auto memo = r.Text("memo", {.max_len = 200, .label = "摘要"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  bool expense = *kind == "expense";
  if (!expense && *kind != "income")
    return Error::Invalid("类型须为 expense 或 income", "kind must be expense or income", "kind");
  const Account* a = FindAccount(*account);
  if (!a || a->kind != (expense ? AccountKind::kExpense : AccountKind::kIncome) || *account == kAcctReductions ||
      *account == kAcctRefunds || *account == kAcctFeeIncome || *account == kAcctMaterialsIncome)
    return Error::Invalid(expense ? "支出科目须为支出类科目" : "收入科目须为财政补助等非收费收入科目",
                          expense ? "account must be an expense account" : "account must be a non-fee income account",
                          "account");
  bool via_ok = *via == kAcctCash || *via == kAcctBank ||
                (expense && (*via == kAcctTeacherPayPayable || *via == kAcctInstitutionsPayable));
  if (!via_ok)
    return Error::Invalid("收付方式须为现金、银行存款或应付款", "via must be cash, bank or a payable", "via");
  if (today < *date) return Error::Invalid("日期不能晚于今天", "doc_date is in the future", "doc_date");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_ASSIGN_OR_RETURN(school::Term t, TermArg(c, sid, term_id));
    if (*date < t.dates.start || t.dates.end < *date)
      return Error::Invalid("日期须在学期内（" + FormatDate(t.dates.start) + " 至 " + FormatDate(t.dates.end) + "）",
                            "doc_date must be within the term", "doc_date");
    int64_t now = NowMs();
    int64_t id = c.Insert(store::kInsertDocument, {sid, t.id, *kind, FormatDate(*date), *account, *via, *amount,
                                                   *invoice, payee.value_or(""), memo.value_or(""), UserOf(who), now});
    Posting p;
    p.school_id = sid;
    p.term_id = t.id;
    p.date = *date;
    p.source_type = expense ? kSourceExpense : kSourceIncome;
    p.source_id = id;
    p.source_ref = *invoice;
    p.memo = (memo && !memo->empty() ? *memo : a->name) + (payee && !payee->empty() ? "（" + *payee + "）" : "");
    if (who.user_id) p.created_by = who.user_id;
    if (expense) p.lines = {{*account, *amount, 0}, {*via, 0, *amount}};
    else p.lines = {{*via, *amount, 0}, {*account, 0, *amount}};
    KEHOU_ASSIGN_OR_RETURN(int64_t entry, Post(c, p));
    Json doc{{"id", id},
             {"kind", *kind},
             {"term_id", t.id},
             {"doc_date", FormatDate(*date)},
             {"account", *account},
             {"via", *via},
             {"amount_fen", *amount},
             {"invoice_no", *invoice},
             {"payee", payee.value_or("")},
             {"memo", memo.value_or("")}};
    auth::Audit(c, who, {"create", "ledger_document", id, nullptr, &doc, sid});
    return Json{{"document", doc}, {"entry_id", entry}};
  });
}

}  // namespace kehou::ledger
