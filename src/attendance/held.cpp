// held.cpp (attendance): the sessions that were held, for teacher pay (service.h HeldSessions).
#include <map>
#include <tuple>

#include "attendance/service.h"
#include "attendance/store.h"

namespace kehou::attendance {
namespace {

// One row per marked session with the roll taker's staff id when their role teaches.
constexpr const char* kMarkedSessions =
    "SELECT m.section_id, m.day, m.band,"
    " MAX(CASE WHEN u.role IN ('teacher','class_teacher','grade_leader','external_staff') THEN u.staff_id END)"
    " FROM attendance_marks m LEFT JOIN users u ON u.id = m.by_user_id"
    " WHERE m.school_id = $1 AND m.day >= $2 AND m.day <= $3"
    " GROUP BY m.section_id, m.day, m.band ORDER BY m.day, m.section_id, m.band";

}  // namespace

std::vector<HeldSession> HeldSessions(db::Conn& c, int64_t school_id, const Date& from, const Date& to) {
  std::vector<HeldSession> out;
  std::map<std::string, std::map<std::tuple<int64_t, std::string>, store::Session>> by_day;
  for (auto& r : c.Query(kMarkedSessions, {school_id, FormatDate(from), FormatDate(to)})) {
    auto day = ParseDate(r.Text(1));
    if (!day) continue;
    auto it = by_day.find(r.Text(1));
    if (it == by_day.end()) {
      std::map<std::tuple<int64_t, std::string>, store::Session> sessions;
      for (auto& s : store::SessionsOn(c, school_id, *day)) sessions.emplace(std::make_tuple(s.section_id, s.band), s);
      it = by_day.emplace(r.Text(1), std::move(sessions)).first;
    }
    auto s = it->second.find(std::make_tuple(r.Int(0), r.Text(2)));
    if (s == it->second.end()) continue;
    HeldSession h;
    h.section_id = r.Int(0);
    h.day = *day;
    h.band = r.Text(2);
    h.course = s->second.course;
    h.section = s->second.section;
    h.minutes = s->second.time.end - s->second.time.start;
    h.teacher_staff_id = r.OptInt(3) ? r.OptInt(3) : s->second.teacher_staff_id;
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace kehou::attendance
