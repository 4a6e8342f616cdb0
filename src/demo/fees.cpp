#include "demo/fees.h"

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "access/principal.h"
#include "fees/service.h"
#include "school/service.h"

namespace kehou::demo {
namespace {

using Json = nlohmann::json;

constexpr const char* kDocRef = "青山县发展和改革局 青发改价〔2026〕18号";
constexpr int64_t kBasicFen = 30000;      // 300 yuan a term
constexpr int64_t kMaterialsFen = 2000;   // 20 yuan
constexpr int64_t kCourseFen[] = {8000, 10000, 12000};

Error Failed(const std::string& what, const Error& e) {
  return Error::Make(e.code, "演示收费数据：" + what + "失败：" + e.message, "demo fees: " + what + ": " + e.message, e.field);
}

Result<auth::Principal> Login(db::Db& db, int64_t school_id, const char* login, auth::Role role) {
  auth::Principal p;
  auto u = db.Read([&](db::Conn& c) {
    return c.QueryOne("SELECT id, display_name FROM users WHERE login = $1 AND school_id = $2", {std::string(login), school_id});
  });
  if (!u) return Error::Internal(std::string("演示学校没有 ") + login + " 账号", "missing demo login");
  p.user_id = u->Int(0);
  p.display_name = u->Text(1);
  p.login = login;
  p.role = role;
  p.school_id = school_id;
  p.scope = auth::Scope::kSchool;
  p.client = "kehou demo";
  return p;
}

}  // namespace

Result<DemoFees> CreateDemoFees(db::Db& db, int64_t school_id) {
  DemoFees out;
  KEHOU_ASSIGN_OR_RETURN(auth::Principal office, Login(db, school_id, "office", auth::Role::kOfficeDirector));
  KEHOU_ASSIGN_OR_RETURN(auth::Principal leader, Login(db, school_id, "principal", auth::Role::kPrincipal));
  auto term = school::CurrentTerm(db, school_id);
  if (!term) return Error::Internal("演示学校没有当前学期", "the demo school has no current term");
  auto made = db.Write([&](db::Conn& c) { return fees::EnsureTestMerchant(c, school_id); });
  if (!made.ok()) return Failed("测试收款通道", made.error());

  auto standard = [&](Json body) -> Status {
    body["term_id"] = term->id;
    body["doc_ref"] = kDocRef;
    auto s = fees::CreateStandard(db, office, std::nullopt, body);
    if (!s.ok()) return Failed("收费标准", s.error());
    ++out.standards;
    return Ok();
  };
  KEHOU_TRY(standard({{"kind", "basic"}, {"name", "课后服务基本服务费"}, {"amount_fen", kBasicFen}}));
  KEHOU_TRY(standard({{"kind", "materials"}, {"name", "活动材料费"}, {"amount_fen", kMaterialsFen}}));
  auto courses = db.Read([&](db::Conn& c) {
    return c.Query("SELECT DISTINCT c.id FROM courses c JOIN sections s ON s.course_id = c.id"
                   " JOIN round_sections rs ON rs.section_id = s.id WHERE c.school_id = $1 ORDER BY c.id",
                   {school_id});
  });
  size_t k = 0;
  for (const auto& r : courses)
    KEHOU_TRY(standard({{"kind", "course"}, {"course_id", r.Int(0)}, {"amount_fen", kCourseFen[k++ % std::size(kCourseFen)]}}));

  const Date today = TodayLocal();
  auto issued = fees::IssueBills(db, office, std::nullopt, {{"term_id", term->id}}, today);
  if (!issued.ok()) return Failed("出账", issued.error());
  out.bills = (*issued)["created"].get<int64_t>();

  // The demo guardians' children keep an unpaid bill (the phone page's 缴费 button).
  std::set<int64_t> keep;
  auto bills = db.Read([&](db::Conn& c) {
    for (const auto& r : c.Query("SELECT b.id FROM fee_bills b JOIN student_guardians g ON g.student_id = b.student_id"
                                 " JOIN users u ON u.guardian_id = g.guardian_id WHERE b.school_id = $1 AND b.term_id = $2",
                                 {school_id, term->id}))
      keep.insert(r.Int(0));
    return c.Query("SELECT b.id, b.gross_fen, st.left_behind, st.low_income, st.disability FROM fee_bills b"
                   " JOIN students st ON st.id = b.student_id WHERE b.school_id = $1 AND b.term_id = $2 ORDER BY b.id",
                   {school_id, term->id});
  });

  // Exemptions decided by the leadership group: the first children with a special-care flag.
  const std::string decided_on = FormatDate(AddDays(term->dates.start, 7) < today ? AddDays(term->dates.start, 7) : today);
  std::set<int64_t> exempted;
  for (const auto& b : bills) {
    if (out.exemptions >= 4 || keep.count(b.Int(0))) continue;
    std::string category = b.Int(2) ? "left_behind" : b.Int(3) ? "low_income" : b.Int(4) ? "disability" : "";
    if (category.empty()) continue;
    Json body{{"category", category}, {"mode", category == "left_behind" ? "percent" : "full"},
              {"reason", "经学校课后服务工作领导小组研究决定"}, {"decided_by", "课后服务工作领导小组"},
              {"decided_on", decided_on}, {"decision_ref", "领导小组会议纪要〔2026〕第3号"}};
    if (category == "left_behind") body["value"] = 50;
    auto e = fees::AddExemption(db, leader, std::nullopt, b.Int(0), body, today);
    if (!e.ok()) return Failed("减免", e.error());
    ++out.exemptions;
    if ((*e)["status"] == "exempted") exempted.insert(b.Int(0));
  }

  // Payments through the local test provider: signed, encrypted notifications into the callback.
  int64_t now = NowMs();
  std::vector<int64_t> unpaid;
  for (const auto& b : bills)
    if (!keep.count(b.Int(0)) && !exempted.count(b.Int(0))) unpaid.push_back(b.Int(0));
  size_t next = 0;
  auto notify = [&](int64_t bill, int64_t amount) -> Result<std::string> {
    auto n = fees::MakeTestNotification(db, office, std::nullopt, {{"bill_id", bill}, {"amount_fen", amount}});
    if (!n.ok()) return Failed("测试通知", n.error());
    const Json& h = (*n)["headers"];
    fees::wechatpay::Headers headers{h["Wechatpay-Timestamp"], h["Wechatpay-Nonce"], h["Wechatpay-Signature"],
                                     h["Wechatpay-Serial"]};
    auto a = fees::HandleWeChatPayCallback(db, school_id, headers, (*n)["body"].get<std::string>(), now, "kehou demo");
    if (!a.ok()) return Failed("支付回调", a.error());
    return (*a)["outcome"].get<std::string>();
  };
  auto outstanding = [&](int64_t bill) {
    auto b = fees::GetBill(db, office, std::nullopt, bill, today);
    return b.ok() ? (*b)["outstanding_fen"].get<int64_t>() : 0;
  };
  for (; next < unpaid.size() && out.paid < kDemoPaidBills; ++next) {
    KEHOU_ASSIGN_OR_RETURN(std::string outcome, notify(unpaid[next], outstanding(unpaid[next])));
    if (outcome == "paid") ++out.paid;
  }
  // One callback whose amount is not the bill's: it lands in the exceptions queue.
  if (next < unpaid.size()) {
    KEHOU_ASSIGN_OR_RETURN(std::string outcome, notify(unpaid[next], outstanding(unpaid[next]) - 100));
    if (outcome == "exception") ++out.exceptions;
    ++next;
  }
  // Refunds: one child paid but never attended (full), one leaves from today (the unused part by
  // school days), both approved by the principal.
  std::vector<int64_t> paid_bills(unpaid.begin(), unpaid.begin() + std::min<size_t>(unpaid.size(), 2));
  for (size_t i = 0; i < paid_bills.size() && i < static_cast<size_t>(out.paid); ++i) {
    Json body = i == 0 ? Json{{"kind", "full"}, {"reason", "缴费后未参加课后服务，全额退还"}}
                       : Json{{"kind", "prorated"}, {"reason", "转学，退还未使用部分"}, {"effective_date", FormatDate(today)}};
    auto rq = fees::RequestRefund(db, office, std::nullopt, paid_bills[i], body, today);
    if (!rq.ok()) {
      if (rq.error().code == ErrorCode::kRuleBroken) continue;  // a demo made after the term: nothing unused
      return Failed("退费申请", rq.error());
    }
    auto ok = fees::ApproveRefund(db, leader, std::nullopt, rq->at("refunds").back().at("id").get<int64_t>(), today);
    if (!ok.ok()) return Failed("退费审批", ok.error());
    ++out.refunds;
    if (i == 0) {  // the full refund is already paid out (a bank file batch marked paid); the prorated one waits
      auto batch = fees::CreatePayoutBatch(db, office, std::nullopt, today);
      if (!batch.ok()) return Failed("退费发放批次", batch.error());
      auto paid = fees::MarkPayoutPaid(db, office, std::nullopt, (*batch)["id"].get<int64_t>(),
                                       {{"bank_ref", "演示银行回单 HD" + FormatDate(today)}}, today);
      if (!paid.ok()) return Failed("退费发放", paid.error());
    }
  }
  // A second payment for a bill already paid lands in suspense too; the office refunded it to the
  // payer (resolved), while the amount-mismatch one above waits in suspense for the office.
  if (!paid_bills.empty()) {
    auto again = fees::GetBill(db, office, std::nullopt, paid_bills.back(), today);
    int64_t due = again.ok() ? (*again)["due_fen"].get<int64_t>() : 0;
    KEHOU_ASSIGN_OR_RETURN(std::string outcome, due > 0 ? notify(paid_bills.back(), due) : Result<std::string>("none"));
    if (outcome == "exception") {
      ++out.exceptions;
      auto open = fees::ListExceptions(db, office, std::nullopt, "open", 1, 1);
      if (open.ok() && !(*open)["items"].empty()) {
        auto done = fees::ResolveException(db, office, std::nullopt, (*open)["items"][0]["id"].get<int64_t>(),
                                           {{"action", "refund"}, {"resolution", "重复缴费，已原路退回付款人"}});
        if (!done.ok()) return Failed("异常收款处理", done.error());
      }
    }
  }
  // Cash at the office needs the payment window: when today is past it (but in the term), the
  // office opens a late window from today, which also lets the demo guardian pay.
  auto w = fees::ListStandards(db, office, std::nullopt, term->id);
  if (w.ok() && w->contains("pay_window") && !(today < term->dates.start) && !(term->dates.end < today)) {
    Date last = ParseDate((*w)["pay_window"]["last"].get<std::string>()).value_or(today);
    Date first = ParseDate((*w)["pay_window"]["first"].get<std::string>()).value_or(today);
    if (today < first || last < today) {
      Date until = AddDays(today, kDemoLateWindowDays);
      if (term->dates.end < until) until = term->dates.end;
      auto lw = fees::OpenLateWindow(db, office, std::nullopt,
                                     {{"term_id", term->id}, {"opens_on", FormatDate(today)}, {"closes_on", FormatDate(until)},
                                      {"reason", "演示：已过学期第3-4周，开放补缴时段"}});
      if (!lw.ok()) return Failed("补缴时段", lw.error());
    }
    for (; next < unpaid.size() && out.cash < kDemoCashBills; ++next) {
      auto cash = fees::RecordCash(db, office, std::nullopt, unpaid[next],
                                   {{"amount_fen", outstanding(unpaid[next])}, {"receipt_no", "XJ2026" + std::to_string(1000 + out.cash)}},
                                   today);
      if (!cash.ok()) return Failed("现金缴费", cash.error());
      ++out.cash;
    }
  }
  return out;
}

}  // namespace kehou::demo
