#include "demo/pay.h"

#include <nlohmann/json.hpp>

#include "access/principal.h"
#include "attendance/store.h"
#include "catalog/service.h"
#include "core/time.h"
#include "fees/service.h"
#include "pay/service.h"
#include "school/service.h"

namespace kehou::demo {
namespace {

using Json = nlohmann::json;

constexpr int kDemoPayMonths = 2;         // the months before this one with roll calls
constexpr int64_t kDemoDifferenceFen = 100;  // the statement's one amount that differs (1 yuan less)

Error Failed(const std::string& what, const Error& e) {
  return Error::Make(e.code, "演示课酬数据：" + what + "失败：" + e.message, "demo pay: " + what + ": " + e.message, e.field);
}

std::optional<auth::Principal> Login(db::Conn& c, int64_t school_id, const char* login, auth::Role role) {
  auto u = c.QueryOne("SELECT id, display_name, staff_id FROM users WHERE login = $1 AND school_id = $2",
                      {std::string(login), school_id});
  if (!u) return std::nullopt;
  auth::Principal p;
  p.user_id = u->Int(0);
  p.display_name = u->Text(1);
  p.staff_id = u->OptInt(2);
  p.login = login;
  p.role = role;
  p.school_id = school_id;
  p.scope = auth::Scope::kSchool;
  p.client = "kehou demo";
  return p;
}

}  // namespace

Result<DemoPay> CreateDemoPay(db::Db& db, int64_t school_id) {
  DemoPay out;
  std::optional<auth::Principal> office, leader, teacher;
  db.Read([&](db::Conn& c) {
    office = Login(c, school_id, "office", auth::Role::kOfficeDirector);
    leader = Login(c, school_id, "principal", auth::Role::kPrincipal);
    teacher = Login(c, school_id, "teacher", auth::Role::kTeacher);
  });
  if (!office || !leader) return Error::Internal("演示学校没有 office/principal 账号", "missing demo logins");
  const Date today = TodayLocal();
  const pay::Month last = pay::PreviousMonth(pay::MonthOf(today));
  const pay::Month before = pay::PreviousMonth(last);
  // 1. Roll calls of the months before this one: every session of each teaching day, as the office;
  // on last month's first day with one, a session of another teacher is held by the demo teacher.
  db.Write([&](db::Conn& c) {
    const int64_t now = NowMs();
    bool substituted = false;
    for (Date d = before.First(); d <= last.Last() && d < today; d = AddDays(d, 1)) {
      for (const auto& s : attendance::store::SessionsOn(c, school_id, d)) {
        auto roster = catalog::RosterOn(c, school_id, s.section_id, d);
        if (roster.empty()) continue;
        std::optional<int64_t> by = office->user_id;
        if (!substituted && teacher && teacher->staff_id && s.teacher_staff_id != teacher->staff_id &&
            pay::MonthOf(d) == last) {
          by = teacher->user_id;
          substituted = true;
        }
        for (const auto& k : roster)
          attendance::store::PutMark(c, school_id, s, k.student_id, attendance::Mark::kPresent, *by, now);
        ++out.marked_sessions;
      }
    }
  });
  // 2. The tiered factor rule and last two months' quality scores of the teachers who taught.
  if (auto s = pay::PutSettings(db, *leader, std::nullopt, {{"factor_rule", "tiered"}}); !s.ok())
    return Failed("绩效系数规则", s.error());
  auto taught = db.Read([&](db::Conn& c) {
    return c.Query("SELECT DISTINCT COALESCE(x.teacher_staff_id, co.teacher_staff_id) FROM sections x"
                   " JOIN courses co ON co.id = x.course_id WHERE x.school_id = $1"
                   " AND COALESCE(x.teacher_staff_id, co.teacher_staff_id) IS NOT NULL ORDER BY 1",
                   {school_id});
  });
  const int kScores[] = {95, 86, 72, 55};
  int k = 0;
  for (auto& r : taught)
    for (const auto& m : {before, last}) {
      auto s = pay::PutScore(db, *leader, std::nullopt,
                             {{"staff_id", r.Int(0)}, {"month", m.Text()}, {"score", kScores[k++ % 4]}, {"source", "家长满意度调查"}});
      if (!s.ok()) return Failed("质量评价分", s.error());
    }
  // 3. The month before last approved (frozen); last month computed, awaiting the principal.
  for (const auto& m : {before, last}) {
    auto run = pay::RunMonth(db, *office, std::nullopt, {{"month", m.Text()}}, today);
    if (!run.ok()) return Failed("课酬核算 " + m.Text(), run.error());
    if (m == before) {
      auto a = pay::ApproveRun(db, *leader, std::nullopt, (*run)["id"]);
      if (!a.ok()) return Failed("课酬审批", a.error());
      out.approved_run = (*run)["id"];
    } else {
      out.draft_run = (*run)["id"];
    }
  }
  // 4. Today's reconciliation: the test provider's statement with one amount 1 yuan less.
  std::string csv = db.Read([&](db::Conn& c) { return fees::TestProviderStatement(c, school_id, today); });
  if (auto at = csv.find(",`SUCCESS,`"); at != std::string::npos) {
    size_t from = at + 11, to = csv.find("\r\n", from);
    std::string amount = csv.substr(from, to - from);
    int64_t fen = 0;
    for (char ch : amount)
      if (ch >= '0' && ch <= '9') fen = fen * 10 + (ch - '0');
    fen -= kDemoDifferenceFen;
    std::string f = std::to_string(fen % 100);
    csv.replace(from, to - from, std::to_string(fen / 100) + "." + (f.size() < 2 ? "0" + f : f));
  }
  auto rec = fees::ImportStatement(db, *office, std::nullopt, {{"date", FormatDate(today)}, {"csv", csv}});
  if (!rec.ok()) return Failed("对账", rec.error());
  out.reconciliation = (*rec)["id"];
  // 5. Reminders, when payment is open today (the term's pay weeks or the late window).
  auto term = db.Read([&](db::Conn& c) { return school::CurrentTerm(c, school_id); });
  if (term) {
    auto sent = fees::SendReminders(db, *office, std::nullopt, {{"term_id", term->id}}, today);
    if (sent.ok()) out.reminded = (*sent)["reminded"];
  }
  return out;
}

}  // namespace kehou::demo
