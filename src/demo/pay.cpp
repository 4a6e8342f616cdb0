#include "demo/pay.h"

#include <nlohmann/json.hpp>

#include "access/principal.h"
#include "attendance/service.h"
#include "catalog/service.h"
#include "core/time.h"
#include "demo/money_actors.h"
#include "demo/store.h"
#include "fees/service.h"
#include "pay/service.h"
#include "school/service.h"

namespace kehou::demo {
namespace {

using Json = nlohmann::json;

constexpr int kDemoPayMonths = 2;            // the months before this one with roll calls
constexpr int64_t kDemoDifferenceFen = 100;  // the statement's one amount that differs (1 yuan less)

Error Failed(const std::string& what, const Error& e) { return DemoStepFailed("课酬数据", "pay", what, e); }

// 1. Roll calls of the months before this one: every session of each teaching day, as the office;
// on last month's first day with one, a session of another teacher is held by the demo teacher.
void MarkRollCalls(db::Db& db, int64_t school_id, const MoneyActors& who, const pay::Month& before,
                   const pay::Month& last, const Date& today, DemoPay& out) {
  db.Write([&](db::Conn& c) {
    const int64_t now = NowMs();
    bool substituted = false;
    const auto& teacher = who.teacher;
    for (Date d = before.First(); d <= last.Last() && d < today; d = AddDays(d, 1)) {
      for (const auto& s : attendance::SessionsOn(c, school_id, d)) {
        auto roster = catalog::RosterOn(c, school_id, s.section_id, d);
        if (roster.empty()) continue;
        int64_t by = who.office.user_id;
        if (!substituted && teacher && teacher->staff_id && s.teacher_staff_id != teacher->staff_id &&
            pay::MonthOf(d) == last) {
          by = teacher->user_id;
          substituted = true;
        }
        for (const auto& k : roster)
          attendance::RecordMark(c, school_id, s, k.student_id, attendance::Mark::kPresent, by, now);
        ++out.marked_sessions;
      }
    }
  });
}

// 2. The tiered factor rule and the two months' quality scores of the teachers who taught.
Status ScoreTeachers(db::Db& db, int64_t school_id, const MoneyActors& who, const pay::Month& before,
                     const pay::Month& last) {
  if (auto s = pay::PutSettings(db, who.leader, std::nullopt, {{"factor_rule", "tiered"}}); !s.ok())
    return Failed("绩效系数规则", s.error());
  auto taught = db.Read([&](db::Conn& c) { return store::SectionTeachers(c, school_id); });
  const int kScores[] = {95, 86, 72, 55};
  int k = 0;
  for (const int64_t staff : taught)
    for (const auto& m : {before, last}) {
      auto s = pay::PutScore(
          db, who.leader, std::nullopt,
          {{"staff_id", staff}, {"month", m.Text()}, {"score", kScores[k++ % 4]}, {"source", "家长满意度调查"}});
      if (!s.ok()) return Failed("质量评价分", s.error());
    }
  return Ok();
}

// 3. The month before last approved (frozen); last month computed, awaiting the principal.
Status RunPayMonths(db::Db& db, const MoneyActors& who, const pay::Month& before, const pay::Month& last,
                    const Date& today, DemoPay& out) {
  for (const auto& m : {before, last}) {
    auto run = pay::RunMonth(db, who.office, std::nullopt, {{"month", m.Text()}}, today);
    if (!run.ok()) return Failed("课酬核算 " + m.Text(), run.error());
    if (m == before) {
      auto a = pay::ApproveRun(db, who.leader, std::nullopt, (*run)["id"]);
      if (!a.ok()) return Failed("课酬审批", a.error());
      out.approved_run = (*run)["id"];
    } else {
      out.draft_run = (*run)["id"];
    }
  }
  return Ok();
}

// 4. Today's reconciliation: the test provider's statement with one amount 1 yuan less.
Status Reconcile(db::Db& db, int64_t school_id, const MoneyActors& who, const Date& today, DemoPay& out) {
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
  auto rec = fees::ImportStatement(db, who.office, std::nullopt, {{"date", FormatDate(today)}, {"csv", csv}});
  if (!rec.ok()) return Failed("对账", rec.error());
  out.reconciliation = (*rec)["id"];
  return Ok();
}

}  // namespace

Result<DemoPay> CreateDemoPay(db::Db& db, int64_t school_id) {
  DemoPay out;
  KEHOU_ASSIGN_OR_RETURN(MoneyActors who, LoadMoneyActors(db, school_id));
  const Date today = TodayLocal();
  const pay::Month last = pay::PreviousMonth(pay::MonthOf(today));
  const pay::Month before = pay::PreviousMonth(last);
  MarkRollCalls(db, school_id, who, before, last, today, out);
  KEHOU_TRY(ScoreTeachers(db, school_id, who, before, last));
  KEHOU_TRY(RunPayMonths(db, who, before, last, today, out));
  KEHOU_TRY(Reconcile(db, school_id, who, today, out));
  // 5. Reminders, when payment is open today (the term's pay weeks or the late window).
  auto term = db.Read([&](db::Conn& c) { return school::CurrentTerm(c, school_id); });
  if (term) {
    auto sent = fees::SendReminders(db, who.office, std::nullopt, {{"term_id", term->id}}, today);
    if (sent.ok()) out.reminded = (*sent)["reminded"];
  }
  return out;
}

}  // namespace kehou::demo
