// refunds.cpp (fees): refunds requested by the office and approved by a leader (service.h).
#include <algorithm>

#include "auth/audit.h"
#include "core/body.h"
#include "fees/internal.h"
#include "fees/service.h"
#include "fees/store.h"

namespace kehou::fees {

using namespace internal;

namespace {

// Refunds requested or approved so far for the bill.
int64_t Refunded(db::Conn& c, int64_t sid, int64_t bill_id) {
  return c.QueryOne(store::kRefundedFen, {sid, bill_id})->Int("refunded_fen");
}

}  // namespace

Result<Json> RequestRefund(db::Db& db, const Principal& who, SchoolArg school, int64_t bill_id, const Json& body,
                           const Date& today) {
  BodyReader r(body);
  auto kind = r.Text("kind", {.required = true, .max_len = 10, .label = "退费类型"});
  auto reason = r.Text("reason", {.required = true, .max_len = 200, .label = "退费原因"});
  auto effective = r.Date("effective_date", {.label = "退出生效日期"});
  auto course = r.Id("course_id", {.label = "取消的课程"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  if (*kind != "full" && *kind != "prorated" && *kind != "course")
    return Error::Invalid("退费类型须为 full、prorated 或 course", "kind must be full, prorated or course", "kind");
  if (*kind == "prorated" && !effective)
    return Error::Invalid("按剩余天数退费须填写退出生效日期", "effective_date is required", "effective_date");
  if (*kind == "course" && !course)
    return Error::Invalid("课程取消退费须指定课程", "course_id is required", "course_id");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(db::Row b, BillFor(c, who, school, bill_id));
    int64_t sid = b.Int("school_id");
    int64_t paid = b.Int("paid_fen");
    int64_t left = paid - Refunded(c, sid, bill_id);
    if (left <= 0)
      return Error::RuleBroken("该账单没有可退的金额（未缴费或已全部退还）", "nothing left to refund", "id");
    auto t = school::TermOf(c, sid, b.Int("term_id"));
    if (!t) return Error::NotFound("学期不存在", "no such term", "term_id");
    int64_t amount = 0;
    if (*kind == "full") {
      amount = left;
    } else if (*kind == "prorated") {
      amount = ProratedRefundFen(paid, t->dates, *effective);
    } else {
      for (const auto& l : store::BillLines(c, sid, bill_id))
        if (l.kind == "course" && l.standard_id) {
          auto s = c.QueryOne(store::kLoadStandard, {sid, *l.standard_id});
          if (s && s->Int("course_key") == *course) amount = l.amount_fen;
        }
      if (amount == 0)
        return Error::NotFound("账单中没有该课程的费用", "the bill has no fee for that course", "course_id");
    }
    amount = std::min(amount, left);
    if (amount <= 0)
      return Error::RuleBroken("退出生效日期在学期结束之后，没有未使用的部分", "nothing of the term is left unused",
                               "effective_date");
    int64_t now = NowMs();
    int64_t id =
        c.Insert(store::kInsertRefund,
                 {sid, bill_id, *kind, amount, *reason, effective ? db::Value(FormatDate(*effective)) : db::Null(),
                  db::Opt(course), who.user_id ? db::Value(who.user_id) : db::Null(), now});
    Json what{{"refund_id", id}, {"kind", *kind}, {"amount_fen", amount}, {"reason", *reason}};
    auth::Audit(c, who, {"refund_request", "fee_bill", bill_id, nullptr, &what, sid});
    return BillJson(c, *BillFor(c, who, school, bill_id), true, today);
  });
}

Result<Json> ApproveRefund(db::Db& db, const Principal& who, SchoolArg school, int64_t refund_id, const Date& today) {
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto r = c.QueryOne(store::kLoadRefund, {sid, refund_id});
    if (!r) return Error::NotFound("退费申请不存在", "no such refund", "id");
    if (r->Text("status") != "requested")
      return Error::Conflict("该退费已审批", "the refund is already approved", "id");
    int64_t now = NowMs();
    std::string name = who.display_name.empty() ? who.login : who.display_name;
    c.Exec(store::kApproveRefund, {sid, refund_id, who.user_id ? db::Value(who.user_id) : db::Null(), name, now});
    KEHOU_TRY(PostRefund(c, sid, refund_id, &who));
    Json what{{"refund_id", refund_id}, {"amount_fen", r->Int("amount_fen")}, {"approved_by", name}};
    auth::Audit(c, who, {"refund_approve", "fee_bill", r->Int("bill_id"), nullptr, &what, sid});
    return BillJson(c, *BillFor(c, who, school, r->Int("bill_id")), true, today);
  });
}

Result<Json> ListRefunds(db::Db& db, const Principal& who, SchoolArg school, const std::string& status, int64_t page,
                         int64_t page_size) {
  if (!status.empty() && status != "requested" && status != "approved")
    return Error::Invalid("状态须为 requested 或 approved", "status must be requested or approved", "status");
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    int64_t total = c.QueryOne(store::kCountRefunds, {sid, status})->Int("n");
    Json items = Json::array();
    for (const auto& x : c.Query(store::kListRefunds, {sid, status, page_size, (page - 1) * page_size}))
      items.push_back({{"id", x.Int("id")},
                       {"bill_id", x.Int("bill_id")},
                       {"student_name", x.Text("student_name")},
                       {"kind", x.Text("kind")},
                       {"amount_fen", x.Int("amount_fen")},
                       {"reason", x.Text("reason")},
                       {"status", x.Text("status")},
                       {"approver_name", x.Text("approver_name")},
                       {"created_at", FormatInstant(x.Int("created_at"))}});
    return Json{{"items", items}, {"total", total}, {"page", page}, {"page_size", page_size}};
  });
}

}  // namespace kehou::fees
