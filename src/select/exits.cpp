// exits.cpp (select): an exit (准出) releases the child's seats of its term (issue 11).
#include <set>

#include "auth/audit.h"
#include "core/time.h"
#include "select/internal.h"
#include "select/service.h"
#include "select/store.h"

namespace kehou::select {

using namespace internal;
// ---------------------------------------------------------------- exits (issue 11)

int ReleaseExitSeats(db::Conn& c, const auth::Principal& who, const enroll::ExitEvent& e, int64_t now) {
  if (e.today < e.effective_date) return 0;  // a future exit: nothing until its day
  int released = 0;
  std::set<int64_t> rounds;
  for (const auto& r : store::ExitSeats(c, e.school_id, e.student_id, e.term_id)) {
    int64_t n = c.Exec(store::kDropSelectionById, {r.id, now});
    if (n != 1) continue;
    PassSeat(c, r.section_id, now);
    Json before{{"section_id", r.section_id}, {"student_id", e.student_id}, {"status", "confirmed"}};
    Json after{{"status", "dropped"}, {"exit_id", e.exit_id}, {"effective_date", FormatDate(e.effective_date)}};
    auth::Audit(c, who, {"exit_release", "selection", r.id, &before, &after, e.school_id});
    if (r.round_id) rounds.insert(*r.round_id);
    ++released;
  }
  for (int64_t rid : rounds) Invalidate(rid);
  return released;
}

void OnExitRecorded(db::Conn& c, const auth::Principal& who, const enroll::ExitEvent& e) {
  ReleaseExitSeats(c, who, e, NowMs());
}

int ReleaseDueExits(db::Db& db, const Date& today, int64_t now) {
  std::string day = FormatDate(today);
  bool any = db.Read([&](db::Conn& c) { return !store::DueExits(c, day).empty(); });
  if (!any) return 0;
  return db.Write([&](db::Conn& c) {
    auth::Principal system;
    system.role = auth::Role::kSysAdmin;
    system.scope = auth::Scope::kAll;
    system.display_name = "系统";
    system.login = "system";
    int released = 0;
    for (const auto& r : store::DueExits(c, day)) {
      auto eff = ParseDate(r.effective_date);
      if (!eff) continue;
      enroll::ExitEvent e{r.id, r.school_id, r.term_id, r.student_id, *eff, today};
      released += ReleaseExitSeats(c, system, e, now);
    }
    return released;
  });
}
}  // namespace kehou::select
