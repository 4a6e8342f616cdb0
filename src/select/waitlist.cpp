// waitlist.cpp (select): waiting lists, offers of freed seats and their expiry.
#include "auth/audit.h"
#include "catalog/rules.h"
#include "core/time.h"
#include "select/enrolment.h"
#include "select/internal.h"
#include "select/service.h"
#include "select/store.h"

namespace kehou::select {

using namespace internal;
using catalog::ParseGrades;
using catalog::ParseSlots;

// ---------------------------------------------------------------- waiting lists

Result<Json> JoinWaitlist(db::Db& db, const auth::Principal& who, int64_t section_id, int64_t student_id) {
  if (!who.guardian_id) return Error::NotFound("学生不存在或无权访问", "no such child", "student_id");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    int64_t now = NowMs();
    KEHOU_ASSIGN_OR_RETURN(auto child, ChildOfGuardian(c, who, student_id));
    int64_t school = child.school_id;
    auto sec = store::SectionOfSchool(c, section_id, school);
    if (!sec) return Error::NotFound("教学班不存在或无权访问", "no such section", "section_id");
    auto grades = ParseGrades(sec->grades);
    if (!grades.ok() || !catalog::GradeIn(static_cast<int>(child.grade), *grades))
      return MakeError(kRuleBroken, "该课程不面向该生所在年级", "the course is not for the child's grade",
                       "section_id");
    if (auto s = CheckEnrolled(c, school, student_id, Round{}, now); !s.ok()) return s.error();
    if (sec->taken < sec->capacity)
      return MakeError(kConflict, "该教学班尚有空位，请直接选课", "the section has seats; take one", "section_id");
    if (store::HasSeatIn(c, student_id, section_id))
      return MakeError(kRuleBroken, "已在该教学班中", "already in this section", "section_id");
    if (store::IsWaitingFor(c, student_id, section_id))
      return MakeError(kConflict, "已在候补名单中", "already waiting", "section_id");
    int64_t id = c.Insert(store::kInsertWaitlist, {school, section_id, student_id, now});
    int64_t pos = store::WaitPosition(c, section_id, id);
    Json after{{"section_id", section_id}, {"student_id", student_id}};
    auth::Audit(c, who, {"waitlist_join", "waitlist", id, nullptr, &after, school});
    Json out{
        {"id", id}, {"section_id", section_id}, {"student_id", student_id}, {"status", "waiting"}, {"position", pos}};
    return out;
  });
}

Result<Json> AnswerOffer(db::Db& db, const auth::Principal& who, int64_t waitlist_id, bool accept) {
  if (!who.guardian_id) return Error::NotFound("候补不存在或无权访问", "no such waitlist entry");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    int64_t now = NowMs();
    // PostgreSQL: the per-child lock that take, drop and placement hold, taken before the child's
    // seats are read (else an accept racing a take on another server gives two seats in a slot).
    if (IsPg(c))
      if (auto of = store::WaitingChildOfGuardian(c, waitlist_id, *who.guardian_id)) store::LockChild(c, *of);
    ExpireOffersIn(c, now);
    auto w = store::WaitEntryOfGuardian(c, waitlist_id, *who.guardian_id);
    if (!w) return Error::NotFound("候补不存在或无权访问", "no such waitlist entry");
    int64_t school = w->school_id, section = w->section_id, student = w->student_id;
    if (w->status == "expired") return MakeError(kRuleBroken, "补录名额已过期，已顺延给下一位", "the offer expired");
    if (w->status != "offered") return MakeError(kConflict, "目前没有待确认的补录名额", "no open offer");
    if (accept) {
      // (declining needs no enrolment: it passes the seat on)
      if (auto s = CheckEnrolled(c, school, student, Round{}, now); !s.ok()) return s.error();
      auto sec = store::SectionOfSchool(c, section, school);
      auto child = store::ChildOfSchool(c, student, school);
      std::vector<catalog::Slot> slots;
      if (auto sl = ParseSlots(sec->slots); sl.ok()) slots = *sl;
      for (auto& h : LoadHeld(c, school, student, sec->term))
        if (auto clash = catalog::FirstClash(slots, h.slots))
          return MakeError(kRuleBroken,
                           "上课时间冲突：与已选的《" + h.course_name + "》同在" + catalog::DescribeSlotZh(*clash) +
                               "，请先退选或放弃补录",
                           "time clash with " + h.course_name, "waitlist_id");
      (void)child;
      // The seat was held for this offer (taken already counts it).
      int64_t sel = c.Insert(store::kInsertSelection,
                             {school, db::Null(), section, student, std::string("waitlist"), who.user_id, now});
      c.Exec(store::kAcceptOffer, {waitlist_id, now});
      Json after{{"section_id", section}, {"student_id", student}, {"selection_id", sel}};
      auth::Audit(c, who, {"waitlist_accept", "waitlist", waitlist_id, nullptr, &after, school});
      Json out{{"status", "accepted"}, {"selection_id", sel}, {"section_id", section}};
      return out;
    }
    c.Exec(store::kDeclineOffer, {waitlist_id, now});
    PassSeat(c, section, now);
    Json after{{"section_id", section}, {"student_id", student}};
    auth::Audit(c, who, {"waitlist_decline", "waitlist", waitlist_id, nullptr, &after, school});
    Json out{{"status", "declined"}, {"section_id", section}};
    return out;
  });
}

Result<Json> Waitlist(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t section_id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto sid = auth::ResolveSchool(c, who, school);
    if (!sid.ok()) return sid.error();
    if (!store::SectionInSchool(c, section_id, *sid))
      return Error::NotFound("教学班不存在或无权访问", "no such section");
    Json items = Json::array();
    for (const auto& w : store::WaitingFor(c, section_id))
      items.push_back({{"id", w.id},
                       {"student_id", w.student_id},
                       {"name", w.name},
                       {"status", w.status},
                       {"since", w.since},
                       {"offer_expires_at", w.offer_expires_at ? Json(*w.offer_expires_at) : Json()}});
    Json out{{"items", items}, {"total", items.size()}, {"offer_window_ms", kOfferWindowMs}};
    return out;
  });
}

void ExpireOffers(db::Db& db, int64_t now) {
  bool any = db.Read([&](db::Conn& c) { return store::AnyDueOffer(c, now); });
  if (any) db.Write([&](db::Conn& c) { ExpireOffersIn(c, now); });
}
}  // namespace kehou::select
