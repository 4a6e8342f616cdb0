// reminders.cpp (fees): payment reminders to guardians of unpaid bills (service.h).
#include "auth/audit.h"
#include "core/body.h"
#include "fees/internal.h"
#include "fees/service.h"
#include "fees/store.h"
#include "notify/outbox.h"

namespace kehou::fees {

using namespace internal;

namespace {

std::string Yuan(int64_t fen) {
  return std::to_string(fen / 100) + "." + (fen % 100 < 10 ? "0" : "") + std::to_string(fen % 100);
}

}  // namespace

Result<Json> RemindUnpaid(db::Conn& c, int64_t sid, std::optional<int64_t> term_id, const Date& today) {
  KEHOU_ASSIGN_OR_RETURN(school::Term t, TermArg(c, sid, term_id));
  KEHOU_TRY(CheckOpen(c, sid, t, today));
  KEHOU_ASSIGN_OR_RETURN(DateRange w, WindowOf(c, sid, t));
  Date last_day = w.last;
  for (const auto& late : LateWindows(c, sid, t.id))
    if (late.Contains(today) && last_day < late.last) last_day = late.last;
  const std::string day = FormatDate(today);
  const int64_t now = NowMs();
  int64_t unpaid = 0, reminded = 0, already = 0, messages = 0;
  for (auto& b : c.Query(store::kUnpaid, {sid, t.id})) {
    ++unpaid;
    int64_t bill = b.Int("id");
    if (auto last = c.QueryOne(store::kLastReminder, {sid, bill}); last && last->OptText("last_day")) {
      auto d = ParseDate(last->Text("last_day"));
      if (d && DaysFromCivil(today) - DaysFromCivil(*d) < kReminderEveryDays) {
        ++already;
        continue;
      }
    }
    auto guardians = c.Query(store::kGuardians, {b.Int("student_id")});
    const std::string title = "课后服务费缴费提醒";
    const std::string text = b.Text("name") + " 的" + t.name + "课后服务费尚有 " + Yuan(b.Int("due_fen")) +
                             " 元未缴，请于 " + FormatDate(last_day) + " 前在“账单”页缴费。";
    for (auto& g : guardians)
      if (notify::Enqueue(c, sid, "fee_reminder:" + std::to_string(bill) + ":" + day,
                          {"guardian", g.Int("guardian_id")}, title, text, now))
        ++messages;
    c.Exec(store::kInsertReminder, {sid, bill, day, static_cast<int64_t>(guardians.size()), now});
    ++reminded;
  }
  return Json{{"day", day},           {"term_id", t.id},          {"unpaid", unpaid},
              {"reminded", reminded}, {"already_today", already}, {"messages", messages}};
}

Result<Json> SendReminders(db::Db& db, const Principal& who, SchoolArg school, const Json& body, const Date& today) {
  BodyReader r(body);
  auto term = r.Id("term_id", {.required = true, .label = "学期"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_ASSIGN_OR_RETURN(Json out, RemindUnpaid(c, sid, term, today));
    auth::Audit(c, who, {"fee_remind", "term", out["term_id"].get<int64_t>(), nullptr, &out, sid});
    return out;
  });
}

}  // namespace kehou::fees
