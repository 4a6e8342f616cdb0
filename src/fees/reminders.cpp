// reminders.cpp (fees): payment reminders to guardians of unpaid bills (service.h).
#include "auth/audit.h"
#include "core/body.h"
#include "fees/internal.h"
#include "fees/service.h"
#include "notify/outbox.h"

namespace kehou::fees {

using namespace internal;

namespace {

constexpr const char* kUnpaid =
    "SELECT b.id, b.student_id, b.gross_fen - b.reduction_fen - b.paid_fen, st.name FROM fee_bills b"
    " JOIN students st ON st.id = b.student_id"
    " WHERE b.school_id = $1 AND b.term_id = $2 AND b.status = 'unpaid' AND b.gross_fen - b.reduction_fen - b.paid_fen "
    "> 0"
    " ORDER BY b.id";
constexpr const char* kLastReminder = "SELECT MAX(day) FROM fee_reminders WHERE school_id = $1 AND bill_id = $2";
constexpr const char* kInsertReminder =
    "INSERT INTO fee_reminders (school_id, bill_id, day, guardians, created_at) VALUES ($1, $2, $3, $4, $5)";
constexpr const char* kGuardians =
    "SELECT guardian_id FROM student_guardians WHERE student_id = $1 ORDER BY guardian_id";

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
  for (auto& b : c.Query(kUnpaid, {sid, t.id})) {
    ++unpaid;
    int64_t bill = b.Int(0);
    if (auto last = c.QueryOne(kLastReminder, {sid, bill}); last && !last->IsNull(0)) {
      auto d = ParseDate(last->Text(0));
      if (d && DaysFromCivil(today) - DaysFromCivil(*d) < kReminderEveryDays) {
        ++already;
        continue;
      }
    }
    auto guardians = c.Query(kGuardians, {b.Int(1)});
    const std::string title = "课后服务费缴费提醒";
    const std::string text = b.Text(3) + " 的" + t.name + "课后服务费尚有 " + Yuan(b.Int(2)) + " 元未缴，请于 " +
                             FormatDate(last_day) + " 前在“账单”页缴费。";
    for (auto& g : guardians)
      if (notify::Enqueue(c, sid, "fee_reminder:" + std::to_string(bill) + ":" + day, {"guardian", g.Int(0)}, title,
                          text, now))
        ++messages;
    c.Exec(kInsertReminder, {sid, bill, day, static_cast<int64_t>(guardians.size()), now});
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
