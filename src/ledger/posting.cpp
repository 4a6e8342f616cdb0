// posting.cpp (ledger): Post, PostToTarget, Reverse, Movements (service.h).
#include <map>
#include <set>
#include <tuple>

#include "ledger/service.h"
#include "ledger/store.h"
#include "school/service.h"

namespace kehou::ledger {

namespace {

// Rows of one multi-row INSERT of ledger lines (5 parameters each; SQLite allows 32,766).
constexpr size_t kLinesPerInsert = 200;

bool KnownSource(const std::string& s) {
  for (const char* k : {kSourceBill, kSourcePayment, kSourceRefund, kSourcePayRun, kSourceExpense, kSourceIncome,
                        kSourceSuspenseIn, kSourceSuspenseMatch, kSourceSuspenseRefund})
    if (s == k) return true;
  return false;
}

std::map<std::string, Movement> MovementsOf(const db::Rows& rows) {
  std::map<std::string, Movement> out;
  for (const auto& r : rows) out[r.Text("account_code")] = {r.Int("debit_fen"), r.Int("credit_fen")};
  return out;
}

Status CheckTerm(db::Conn& c, int64_t school_id, int64_t term_id) {
  if (!school::TermOf(c, school_id, term_id)) return Error::NotFound("学期不存在", "no such term", "term_id");
  if (TermClosed(c, school_id, term_id))
    return Error::RuleBroken("该学期决算已批准，账目已冻结，不能再记账",
                             "the term's final accounts are approved; the term is closed", "term_id");
  return {};
}

// Adds the lines of `ps` to ledger_month_sums (sql/0310), summed first by school, term, month and
// account so that one upsert row stands for each (PostgreSQL refuses a row updated twice by one
// statement): a bill run of 2,400 entries is a handful of rows.
void AddToMonthSums(db::Conn& c, const std::vector<const Posting*>& ps) {
  std::map<std::tuple<int64_t, int64_t, std::string, std::string>, Movement> sums;
  for (const Posting* p : ps)
    for (const auto& l : p->lines) {
      auto& m = sums[{p->school_id, p->term_id, FormatDate(p->date).substr(0, 7), l.account}];
      m.debit_fen += l.debit_fen;
      m.credit_fen += l.credit_fen;
    }
  db::Params vals;
  size_t rows = 0;
  auto flush = [&] {
    if (rows == 0) return;
    c.Exec(store::MonthSumsUpsertSql(rows), vals);
    vals.clear();
    rows = 0;
  };
  for (const auto& [key, m] : sums) {
    const auto& [sid, term, month, account] = key;
    vals.insert(vals.end(), {db::Value(sid), db::Value(term), db::Value(month), db::Value(account),
                             db::Value(m.debit_fen), db::Value(m.credit_fen)});
    if (++rows == kLinesPerInsert) flush();
  }
  flush();
}

int64_t Write(db::Conn& c, const Posting& p, std::optional<int64_t> reverses, const std::string& type) {
  int64_t id =
      c.Insert(store::kInsertEntry, {p.school_id, p.term_id, FormatDate(p.date), type, p.source_id, p.source_ref,
                                     p.memo, db::Opt(reverses), TotalDebit(p.lines), db::Opt(p.created_by), NowMs()});
  // The entry's lines in one statement (a payment has 4-5): one round trip instead of one a line.
  static const std::vector<std::string> kInsertLines = [] {
    std::vector<std::string> v(kMaxLines + 1);
    for (size_t n = 1; n <= kMaxLines; ++n) v[n] = store::InsertLinesSql(n);
    return v;
  }();
  db::Params vals;
  vals.reserve(p.lines.size() * 5);
  for (const auto& l : p.lines)
    vals.insert(vals.end(), {db::Value(p.school_id), db::Value(id), db::Value(l.account), db::Value(l.debit_fen),
                             db::Value(l.credit_fen)});
  c.Exec(kInsertLines[p.lines.size()], vals);
  AddToMonthSums(c, {&p});
  return id;
}

// What every posting must be, whatever its term: a known source, bounded texts, balanced lines.
Status CheckPosting(const Posting& p) {
  if (!KnownSource(p.source_type))
    return Error::Invalid("未知的原始凭证类型：" + p.source_type, "unknown source type " + p.source_type,
                          "source_type");
  if (p.source_ref.size() > 100 || p.memo.size() > 400)
    return Error::Invalid("凭证号或摘要过长", "source_ref or memo too long", "memo");
  return CheckBalanced(p.lines);
}

}  // namespace

Result<int64_t> Post(db::Conn& c, const Posting& p) {
  KEHOU_TRY(CheckPosting(p));
  KEHOU_TRY(CheckTerm(c, p.school_id, p.term_id));
  return Write(c, p, std::nullopt, p.source_type);
}

Status PostMany(db::Conn& c, const std::vector<Posting>& ps) {
  std::set<std::pair<int64_t, int64_t>> terms;
  for (const auto& p : ps) {
    KEHOU_TRY(CheckPosting(p));
    if (terms.insert({p.school_id, p.term_id}).second) KEHOU_TRY(CheckTerm(c, p.school_id, p.term_id));
  }
  // Entries one by one (their ids), the lines kLinesPerInsert rows a statement.
  db::Params vals;
  size_t rows = 0;
  auto flush = [&] {
    if (rows == 0) return;
    c.Exec(store::InsertLinesSql(rows), vals);
    vals.clear();
    rows = 0;
  };
  const int64_t now = NowMs();
  for (const auto& p : ps) {
    int64_t id = c.Insert(store::kInsertEntry,
                          {p.school_id, p.term_id, FormatDate(p.date), p.source_type, p.source_id, p.source_ref, p.memo,
                           db::Null(), TotalDebit(p.lines), db::Opt(p.created_by), now});
    for (const auto& l : p.lines) {
      vals.insert(vals.end(), {db::Value(p.school_id), db::Value(id), db::Value(l.account), db::Value(l.debit_fen),
                               db::Value(l.credit_fen)});
      if (++rows == kLinesPerInsert) flush();
    }
  }
  flush();
  std::vector<const Posting*> all;
  all.reserve(ps.size());
  for (const auto& p : ps) all.push_back(&p);
  AddToMonthSums(c, all);
  return {};
}

Result<std::optional<int64_t>> PostToTarget(db::Conn& c, const Posting& target) {
  std::map<std::string, int64_t> want;  // account -> net debit
  for (const auto& l : target.lines) want[l.account] += l.debit_fen - l.credit_fen;
  auto have = MovementsOf(c.Query(store::kSourceMovements, {target.school_id, target.source_type, target.source_id}));
  for (const auto& [code, mv] : have) want[code] -= mv.debit_fen - mv.credit_fen;
  Posting delta = target;
  delta.lines.clear();
  for (const auto& [code, net] : want) {
    if (net > 0) delta.lines.push_back({code, net, 0});
    if (net < 0) delta.lines.push_back({code, 0, -net});
  }
  if (delta.lines.empty()) return std::optional<int64_t>{};
  KEHOU_ASSIGN_OR_RETURN(int64_t id, Post(c, delta));
  return std::optional<int64_t>{id};
}

Result<int64_t> Reverse(db::Conn& c, int64_t school_id, int64_t entry_id, const Date& date, const std::string& memo,
                        std::optional<int64_t> by) {
  auto e = c.QueryOne(store::kLoadEntry, {school_id, entry_id});
  if (!e) return Error::NotFound("记账凭证不存在", "no such entry", "id");
  if (e->Text("source_type") == "reversal")
    return Error::Conflict("冲销凭证不能再冲销", "a reversal cannot be reversed", "id");
  if (c.QueryOne(store::kReversalOf, {school_id, entry_id}))
    return Error::Conflict("该凭证已冲销", "the entry is already reversed", "id");
  Posting p;
  p.school_id = school_id;
  p.term_id = e->Int("term_id");
  p.date = date;
  p.source_id = e->Int("source_id");
  p.source_ref = e->Text("source_ref");
  p.memo = memo.substr(0, 400);
  p.created_by = by;
  std::vector<PostingLine> orig;
  for (const auto& r : c.Query(store::kEntryLines, {school_id, entry_id}))
    orig.push_back({r.Text("account_code"), r.Int("debit_fen"), r.Int("credit_fen")});
  p.lines = Reversed(orig);
  KEHOU_TRY(CheckBalanced(p.lines));
  KEHOU_TRY(CheckTerm(c, school_id, p.term_id));
  return Write(c, p, entry_id, "reversal");
}

bool TermClosed(db::Conn& c, int64_t school_id, int64_t term_id) {
  return c.QueryOne(store::kTermClosed, {school_id, term_id}).has_value();
}

std::map<std::string, Movement> Movements(db::Conn& c, int64_t school_id, std::optional<int64_t> term_id) {
  if (term_id) return MovementsOf(c.Query(store::kMovementsTerm, {school_id, *term_id}));
  return MovementsOf(c.Query(store::kMovementsAll, {school_id}));
}

}  // namespace kehou::ledger
