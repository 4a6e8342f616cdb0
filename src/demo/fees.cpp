#include "demo/fees.h"

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "access/principal.h"
#include "demo/money_actors.h"
#include "demo/store.h"
#include "fees/service.h"
#include "school/service.h"

namespace kehou::demo {
namespace {

using Json = nlohmann::json;

constexpr const char* kDocRef = "青山县发展和改革局 青发改价〔2026〕18号";
constexpr int64_t kBasicFen = 30000;     // 300 yuan a term
constexpr int64_t kMaterialsFen = 2000;  // 20 yuan
constexpr int64_t kCourseFen[] = {8000, 10000, 12000};

Error Failed(const std::string& what, const Error& e) { return DemoStepFailed("收费数据", "fees", what, e); }

// What the steps of CreateDemoFees share: who acts, the term, the bills and what became of them.
struct FeesRun {
  db::Db& db;
  int64_t school_id;
  MoneyActors who;
  school::Term term;
  Date today;
  DemoFees out;
  std::vector<store::BillRow> bills;  // the term's, with the children's special-care flags
  std::set<int64_t> keep;             // the demo guardians' children's bills: left unpaid
  std::set<int64_t> exempted;         // exempted in full
  std::vector<int64_t> unpaid;        // the others in bill order; [0, next) have been paid or queued
  size_t next = 0;
};

// Fee standards with the price authority's reference: basic, materials, each selection course.
Status MakeStandards(FeesRun& run) {
  auto standard = [&](Json body) -> Status {
    body["term_id"] = run.term.id;
    body["doc_ref"] = kDocRef;
    auto s = fees::CreateStandard(run.db, run.who.office, std::nullopt, body);
    if (!s.ok()) return Failed("收费标准", s.error());
    ++run.out.standards;
    return Ok();
  };
  KEHOU_TRY(standard({{"kind", "basic"}, {"name", "课后服务基本服务费"}, {"amount_fen", kBasicFen}}));
  KEHOU_TRY(standard({{"kind", "materials"}, {"name", "活动材料费"}, {"amount_fen", kMaterialsFen}}));
  auto courses = run.db.Read([&](db::Conn& c) { return store::CoursesInRounds(c, run.school_id); });
  size_t k = 0;
  for (const int64_t course : courses)
    KEHOU_TRY(
        standard({{"kind", "course"}, {"course_id", course}, {"amount_fen", kCourseFen[k++ % std::size(kCourseFen)]}}));
  return Ok();
}

// The bill run of the term, then the bills and which ones the demo guardians keep unpaid (the
// phone page's 缴费 button).
Status IssueAndReadBills(FeesRun& run) {
  auto issued = fees::IssueBills(run.db, run.who.office, std::nullopt, {{"term_id", run.term.id}}, run.today);
  if (!issued.ok()) return Failed("出账", issued.error());
  run.out.bills = (*issued)["created"].get<int64_t>();
  run.bills = run.db.Read([&](db::Conn& c) {
    for (const int64_t bill : store::BillsOfGuardianAccounts(c, run.school_id, run.term.id)) run.keep.insert(bill);
    return store::BillsOfTerm(c, run.school_id, run.term.id);
  });
  return Ok();
}

// Exemptions decided by the leadership group: the first children with a special-care flag.
Status DecideExemptions(FeesRun& run) {
  const Date week2 = AddDays(run.term.dates.start, 7);
  const std::string decided_on = FormatDate(week2 < run.today ? week2 : run.today);
  for (const auto& b : run.bills) {
    if (run.out.exemptions >= 4 || run.keep.count(b.id)) continue;
    std::string category = b.left_behind  ? "left_behind"
                           : b.low_income ? "low_income"
                           : b.disability ? "disability"
                                          : "";
    if (category.empty()) continue;
    Json body{{"category", category},
              {"mode", category == "left_behind" ? "percent" : "full"},
              {"reason", "经学校课后服务工作领导小组研究决定"},
              {"decided_by", "课后服务工作领导小组"},
              {"decided_on", decided_on},
              {"decision_ref", "领导小组会议纪要〔2026〕第3号"}};
    if (category == "left_behind") body["value"] = 50;
    auto e = fees::AddExemption(run.db, run.who.leader, std::nullopt, b.id, body, run.today);
    if (!e.ok()) return Failed("减免", e.error());
    ++run.out.exemptions;
    if ((*e)["status"] == "exempted") run.exempted.insert(b.id);
  }
  for (const auto& b : run.bills)
    if (!run.keep.count(b.id) && !run.exempted.count(b.id)) run.unpaid.push_back(b.id);
  return Ok();
}

int64_t Outstanding(FeesRun& run, int64_t bill) {
  auto b = fees::GetBill(run.db, run.who.office, std::nullopt, bill, run.today);
  return b.ok() ? (*b)["outstanding_fen"].get<int64_t>() : 0;
}

// One signed, encrypted notification of the test provider into the public callback -> its outcome.
Result<std::string> Notify(FeesRun& run, int64_t bill, int64_t amount) {
  auto n =
      fees::MakeTestNotification(run.db, run.who.office, std::nullopt, {{"bill_id", bill}, {"amount_fen", amount}});
  if (!n.ok()) return Failed("测试通知", n.error());
  const Json& h = (*n)["headers"];
  fees::wechatpay::Headers headers{h["Wechatpay-Timestamp"], h["Wechatpay-Nonce"], h["Wechatpay-Signature"],
                                   h["Wechatpay-Serial"]};
  auto a = fees::HandleWeChatPayCallback(run.db, run.school_id, headers, (*n)["body"].get<std::string>(), NowMs(),
                                         "kehou demo");
  if (!a.ok()) return Failed("支付回调", a.error());
  return (*a)["outcome"].get<std::string>();
}

// Most bills paid through the local test provider (signed and encrypted notifications, verified and
// matched as the callback does, in one transaction); then one callback whose amount is not the
// bill's: it lands in the exceptions queue.
Status PayMost(FeesRun& run) {
  const size_t count = run.unpaid.size() * kDemoPaidPercent / 100;
  std::vector<int64_t> ids(run.unpaid.begin(), run.unpaid.begin() + static_cast<std::ptrdiff_t>(count));
  auto paid = fees::PayManyWithTestProvider(run.db, run.school_id, ids, "kehou demo");
  if (!paid.ok()) return Failed("测试通道缴费", paid.error());
  run.out.paid = *paid;
  run.next = count;
  if (run.next < run.unpaid.size()) {
    int64_t bill = run.unpaid[run.next++];
    KEHOU_ASSIGN_OR_RETURN(std::string outcome, Notify(run, bill, Outstanding(run, bill) - 100));
    if (outcome == "exception") ++run.out.exceptions;
  }
  return Ok();
}

// Refunds: one child paid but never attended (full), one leaves from today (the unused part by
// school days), both approved by the principal; the full one already paid out by a bank batch.
Status MakeRefunds(FeesRun& run) {
  for (size_t i = 0; i < 2 && i < run.unpaid.size() && i < static_cast<size_t>(run.out.paid); ++i) {
    Json body =
        i == 0
            ? Json{{"kind", "full"}, {"reason", "缴费后未参加课后服务，全额退还"}}
            : Json{{"kind", "prorated"}, {"reason", "转学，退还未使用部分"}, {"effective_date", FormatDate(run.today)}};
    auto rq = fees::RequestRefund(run.db, run.who.office, std::nullopt, run.unpaid[i], body, run.today);
    if (!rq.ok()) {
      if (rq.error().code == ErrorCode::kRuleBroken) continue;  // a demo made after the term: nothing unused
      return Failed("退费申请", rq.error());
    }
    auto ok = fees::ApproveRefund(run.db, run.who.leader, std::nullopt,
                                  rq->at("refunds").back().at("id").get<int64_t>(), run.today);
    if (!ok.ok()) return Failed("退费审批", ok.error());
    ++run.out.refunds;
    if (i > 0) continue;  // the prorated one waits for the next bank batch
    auto batch = fees::CreatePayoutBatch(run.db, run.who.office, std::nullopt, run.today);
    if (!batch.ok()) return Failed("退费发放批次", batch.error());
    auto paid = fees::MarkPayoutPaid(run.db, run.who.office, std::nullopt, (*batch)["id"].get<int64_t>(),
                                     {{"bank_ref", "演示银行回单 HD" + FormatDate(run.today)}}, run.today);
    if (!paid.ok()) return Failed("退费发放", paid.error());
  }
  return Ok();
}

// A second payment for a bill already paid lands in suspense too; the office refunded it to the
// payer (resolved), while the amount-mismatch one waits in suspense for the office.
Status DuplicateRefunded(FeesRun& run) {
  if (run.unpaid.empty() || run.out.paid == 0) return Ok();
  const int64_t bill = run.unpaid[std::min<size_t>(run.unpaid.size(), 2) - 1];
  auto again = fees::GetBill(run.db, run.who.office, std::nullopt, bill, run.today);
  int64_t due = again.ok() ? (*again)["due_fen"].get<int64_t>() : 0;
  if (due <= 0) return Ok();
  KEHOU_ASSIGN_OR_RETURN(std::string outcome, Notify(run, bill, due));
  if (outcome != "exception") return Ok();
  ++run.out.exceptions;
  auto open = fees::ListExceptions(run.db, run.who.office, std::nullopt, "open", 1, 1);
  if (!open.ok() || (*open)["items"].empty()) return Ok();
  auto done = fees::ResolveException(run.db, run.who.office, std::nullopt, (*open)["items"][0]["id"].get<int64_t>(),
                                     {{"action", "refund"}, {"resolution", "重复缴费，已原路退回付款人"}});
  if (!done.ok()) return Failed("异常收款处理", done.error());
  return Ok();
}

// Cash at the office needs the payment window: when today is past it (but in the term), the office
// opens a late window from today, which also lets the demo guardian pay.
Status CashAtOffice(FeesRun& run) {
  auto w = fees::ListStandards(run.db, run.who.office, std::nullopt, run.term.id);
  if (!w.ok() || !w->contains("pay_window") || run.today < run.term.dates.start || run.term.dates.end < run.today)
    return Ok();
  Date last = ParseDate((*w)["pay_window"]["last"].get<std::string>()).value_or(run.today);
  Date first = ParseDate((*w)["pay_window"]["first"].get<std::string>()).value_or(run.today);
  if (run.today < first || last < run.today) {
    Date until = AddDays(run.today, kDemoLateWindowDays);
    if (run.term.dates.end < until) until = run.term.dates.end;
    auto lw = fees::OpenLateWindow(run.db, run.who.office, std::nullopt,
                                   {{"term_id", run.term.id},
                                    {"opens_on", FormatDate(run.today)},
                                    {"closes_on", FormatDate(until)},
                                    {"reason", "演示：已过学期第3-4周，开放补缴时段"}});
    if (!lw.ok()) return Failed("补缴时段", lw.error());
  }
  for (; run.next < run.unpaid.size() && run.out.cash < kDemoCashBills; ++run.next) {
    const int64_t bill = run.unpaid[run.next];
    auto cash = fees::RecordCash(
        run.db, run.who.office, std::nullopt, bill,
        {{"amount_fen", Outstanding(run, bill)}, {"receipt_no", "XJ2026" + std::to_string(1000 + run.out.cash)}},
        run.today);
    if (!cash.ok()) return Failed("现金缴费", cash.error());
    ++run.out.cash;
  }
  return Ok();
}

}  // namespace

Result<DemoFees> CreateDemoFees(db::Db& db, int64_t school_id) {
  KEHOU_ASSIGN_OR_RETURN(MoneyActors who, LoadMoneyActors(db, school_id));
  auto term = school::CurrentTerm(db, school_id);
  if (!term) return Error::Internal("演示学校没有当前学期", "the demo school has no current term");
  auto made = db.Write([&](db::Conn& c) { return fees::EnsureTestMerchant(c, school_id); });
  if (!made.ok()) return Failed("测试收款通道", made.error());
  FeesRun run{db, school_id, std::move(who), *term, TodayLocal(), {}, {}, {}, {}, {}, 0};
  for (auto step :
       {MakeStandards, IssueAndReadBills, DecideExemptions, PayMost, MakeRefunds, DuplicateRefunded, CashAtOffice})
    KEHOU_TRY(step(run));
  return run.out;
}

}  // namespace kehou::demo
