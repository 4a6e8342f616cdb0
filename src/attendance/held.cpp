// held.cpp (attendance): the sessions that were held, for teacher pay (service.h HeldSessions), and
// the sessions of a day and single marks for the demo's history (SessionsOn, RecordMark).
#include <map>
#include <tuple>

#include "attendance/service.h"
#include "attendance/store.h"

namespace kehou::attendance {

std::vector<HeldSession> HeldSessions(db::Conn& c, int64_t school_id, const Date& from, const Date& to) {
  std::vector<HeldSession> out;
  std::map<std::string, std::map<std::tuple<int64_t, std::string>, store::Session>> by_day;
  for (const auto& m : store::MarkedSessions(c, school_id, from, to)) {
    auto day = ParseDate(m.day);
    if (!day) continue;
    auto it = by_day.find(m.day);
    if (it == by_day.end()) {
      std::map<std::tuple<int64_t, std::string>, store::Session> sessions;
      for (auto& s : store::SessionsOn(c, school_id, *day)) sessions.emplace(std::make_tuple(s.section_id, s.band), s);
      it = by_day.emplace(m.day, std::move(sessions)).first;
    }
    auto s = it->second.find(std::make_tuple(m.section_id, m.band));
    if (s == it->second.end()) continue;
    HeldSession h;
    h.section_id = m.section_id;
    h.day = *day;
    h.band = m.band;
    h.course = s->second.course;
    h.section = s->second.section;
    h.minutes = s->second.time.end - s->second.time.start;
    h.teacher_staff_id = m.taker_staff_id ? m.taker_staff_id : s->second.teacher_staff_id;
    out.push_back(std::move(h));
  }
  return out;
}

std::vector<Session> SessionsOn(db::Conn& c, int64_t school_id, const Date& day) {
  return store::SessionsOn(c, school_id, day);
}

void RecordMark(db::Conn& c, int64_t school_id, const Session& s, int64_t student_id, Mark m, int64_t user_id,
                int64_t now_ms) {
  store::PutMark(c, school_id, s, student_id, m, user_id, now_ms);
}

}  // namespace kehou::attendance
