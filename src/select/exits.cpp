// exits.cpp (select): an exit (准出) releases the child's seats of its term (issue 11).
#include "select/service.h"

#include <set>

#include "auth/audit.h"
#include "core/time.h"
#include "select/internal.h"

namespace kehou::select {

using namespace internal;
// ---------------------------------------------------------------- exits (issue 11)

namespace {
// The child's confirmed seats in sections of the exit's term.
constexpr const char* kExitSeats =
    "SELECT sel.id, sel.section_id, sel.round_id FROM selections sel"
    " JOIN sections x ON x.id = sel.section_id JOIN courses co ON co.id = x.course_id"
    " WHERE sel.school_id = $1 AND sel.student_id = $2 AND sel.status = 'confirmed'"
    " AND (co.term_id = $3 OR (co.term_id IS NULL AND EXISTS"
    "   (SELECT 1 FROM terms t WHERE t.id = $3 AND t.school_id = $1 AND t.is_current = 1)))"
    " ORDER BY sel.id";
}  // namespace

int ReleaseExitSeats(db::Conn& c, const auth::Principal& who, const enroll::ExitEvent& e, int64_t now) {
  if (e.today < e.effective_date) return 0;  // a future exit: nothing until its day
  int released = 0;
  std::set<int64_t> rounds;
  for (const auto& r : c.Query(kExitSeats, {e.school_id, e.student_id, e.term_id})) {
    int64_t n = c.Exec("UPDATE selections SET status = 'dropped', dropped_at = $2 WHERE id = $1 AND status = 'confirmed'",
                       {r.Int(0), now});
    if (n != 1) continue;
    PassSeat(c, r.Int(1), now);
    Json before{{"section_id", r.Int(1)}, {"student_id", e.student_id}, {"status", "confirmed"}};
    Json after{{"status", "dropped"}, {"exit_id", e.exit_id}, {"effective_date", FormatDate(e.effective_date)}};
    auth::Audit(c, who, {"exit_release", "selection", r.Int(0), &before, &after, e.school_id});
    if (auto rid = r.OptInt(2)) rounds.insert(*rid);
    ++released;
  }
  for (int64_t rid : rounds) Invalidate(rid);
  return released;
}

void OnExitRecorded(db::Conn& c, const auth::Principal& who, const enroll::ExitEvent& e) {
  ReleaseExitSeats(c, who, e, NowMs());
}

int ReleaseDueExits(db::Db& db, const Date& today, int64_t now) {
  constexpr const char* kDue =
      "SELECT e.id, e.school_id, e.term_id, e.student_id, e.effective_date FROM exits e"
      " WHERE e.effective_date <= $1 AND EXISTS (SELECT 1 FROM selections sel"
      "   JOIN sections x ON x.id = sel.section_id JOIN courses co ON co.id = x.course_id"
      "   WHERE sel.school_id = e.school_id AND sel.student_id = e.student_id AND sel.status = 'confirmed'"
      "   AND (co.term_id = e.term_id OR (co.term_id IS NULL AND EXISTS"
      "     (SELECT 1 FROM terms t WHERE t.id = e.term_id AND t.is_current = 1))))"
      " ORDER BY e.id";
  std::string day = FormatDate(today);
  bool any = db.Read([&](db::Conn& c) { return !c.Query(kDue, {day}).empty(); });
  if (!any) return 0;
  return db.Write([&](db::Conn& c) {
    auth::Principal system;
    system.role = auth::Role::kSysAdmin;
    system.scope = auth::Scope::kAll;
    system.display_name = "系统";
    system.login = "system";
    int released = 0;
    for (const auto& r : c.Query(kDue, {day})) {
      auto eff = ParseDate(r.Text(4));
      if (!eff) continue;
      enroll::ExitEvent e{r.Int(0), r.Int(1), r.Int(2), r.Int(3), *eff, today};
      released += ReleaseExitSeats(c, system, e, now);
    }
    return released;
  });
}
}  // namespace kehou::select
