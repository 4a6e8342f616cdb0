// scheduler.cpp (fees): see scheduler.h.
#include "fees/scheduler.h"

#include <spdlog/spdlog.h>

#include "auth/audit.h"
#include "fees/service.h"
#include "fees/store.h"

namespace kehou::fees {

namespace {
constexpr const char* kSchedulerLogin = "scheduler";  // the audit's "who" of the scheduled run
}  // namespace

bool ReminderTimeOf(int64_t epoch_ms) {
  int64_t minute = (epoch_ms - LocalInstant(LocalDate(epoch_ms), 0)) / 60'000;
  return minute >= kReminderFromMinute;
}

nlohmann::json ReminderTick(db::Db& db, const Date& today) {
  const std::string day = FormatDate(today);
  auto terms = db.Read([&](db::Conn& c) { return c.Query(store::kOpenTerms, {day}); });
  int64_t open = 0, reminded = 0, messages = 0;
  for (const auto& t : terms) {
    const int64_t sid = t.Int("school_id"), term = t.Int("term_id");
    db.Write([&](db::Conn& c) {
      auto r = RemindUnpaid(c, sid, term, today);
      if (!r.ok()) return;  // payment is not open today: nothing to remind
      ++open;
      reminded += (*r)["reminded"].get<int64_t>();
      messages += (*r)["messages"].get<int64_t>();
      if ((*r)["reminded"].get<int64_t>() > 0)
        auth::AuditAnonymous(c, kSchedulerLogin, "kehou", {"fee_remind", "term", term, nullptr, &*r, sid});
    });
  }
  return {{"day", day},
          {"schools", static_cast<int64_t>(terms.size())},
          {"open", open},
          {"reminded", reminded},
          {"messages", messages}};
}

ReminderScheduler::ReminderScheduler(db::Db& db, std::function<int64_t()> now)
    : db_(db),
      now_(now ? std::move(now) : [] { return NowMs(); }),
      // The first look is one poll after the start: a restart does not send at once.
      task_({.name = "fees reminders", .period_ms = kReminderPollMs, .first_after_period = true},
            [this](const std::atomic<bool>&) {
              Tick();
              return false;
            }) {}

void ReminderScheduler::Tick() {
  const int64_t now = now_();
  if (!ReminderTimeOf(now)) return;
  auto out = ReminderTick(db_, LocalDate(now));
  if (out["reminded"].get<int64_t>() > 0)
    spdlog::info("fees: reminded {} unpaid bills ({} messages)", out["reminded"].get<int64_t>(),
                 out["messages"].get<int64_t>());
}

}  // namespace kehou::fees
