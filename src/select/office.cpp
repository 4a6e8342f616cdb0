// office.cpp (select): the office's report of a round, placing a child by hand and removing a seat.
#include "auth/audit.h"
#include "catalog/rules.h"
#include "core/time.h"
#include "select/enrolment.h"
#include "select/internal.h"
#include "select/service.h"
#include "select/store.h"

namespace kehou::select {

using namespace internal;
// ---------------------------------------------------------------- office

Result<Json> Report(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t round_id,
                    ReportListing listing) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto sid = RoundSchool(c, who, school, round_id);
    if (!sid.ok()) return sid.error();
    auto round = store::LoadRound(c, round_id, nullptr);
    Json sections = Json::array();
    int64_t seats = 0, taken = 0;
    for (const auto& s : store::RoundFill(c, round_id)) {
      seats += s.capacity;
      taken += s.taken;
      sections.push_back(
          {{"section_id", s.id},
           {"section_name", s.name},
           {"course_name", s.course_name},
           {"capacity", s.capacity},
           {"taken", s.taken},
           {"fill_rate", s.capacity ? static_cast<double>(s.taken) / static_cast<double>(s.capacity) : 0.0},
           {"waiting", s.waiting}});
    }
    // Children of the round's grades: took part (ranked, a seat of the round held or dropped, a
    // waiting list joined from it) without a seat from it, or did not take part at all.
    Json unplaced = Json::array(), absent = Json::array();
    int64_t unplaced_total = 0, absent_total = 0, eligible = 0, took_part = 0;
    const int64_t first = (listing.page - 1) * listing.size;
    for (const auto& st : store::RoundChildren(c, *sid, round_id)) {
      if (!catalog::GradeIn(static_cast<int>(st.grade), round->grades)) continue;
      ++eligible;
      Json row{{"student_id", st.id},         {"student_no", st.student_no}, {"name", st.name},
               {"class_name", st.class_name}, {"grade", st.grade},           {"ranked", st.ranked},
               {"waiting", st.waited}};
      if (st.ranked == 0 && st.seats_ever == 0 && st.waited == 0) {
        ++absent_total;
        if (listing.all) absent.push_back(std::move(row));
        continue;
      }
      ++took_part;
      if (st.seats > 0) continue;
      if (listing.all || (unplaced_total >= first && unplaced_total < first + listing.size))
        unplaced.push_back(std::move(row));
      ++unplaced_total;
    }
    Json out{{"round_id", round_id},
             {"seats", seats},
             {"taken", taken},
             {"fill_rate", seats ? static_cast<double>(taken) / static_cast<double>(seats) : 0.0},
             {"sections", sections},
             {"eligible_children", eligible},
             {"took_part", took_part},
             {"absent_total", absent_total},
             {"unplaced_total", unplaced_total},
             {"page", listing.all ? 1 : listing.page},
             {"page_size", listing.all ? unplaced_total : listing.size},
             {"unplaced", unplaced}};
    if (listing.all) out["absent"] = absent;
    return out;
  });
}

Result<Json> Place(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t section_id,
                   int64_t student_id, std::optional<int64_t> round_id) {
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto sid = auth::ResolveSchool(c, who, school);
    if (!sid.ok()) return sid.error();
    int64_t now = NowMs();
    auto child = store::ChildOfSchool(c, student_id, *sid);
    if (!child) return Error::NotFound("学生不存在或无权访问", "no such child", "student_id");
    if (IsPg(c)) store::LockChild(c, student_id);
    auto sec = store::SectionOfSchool(c, section_id, *sid);
    if (!sec) return Error::NotFound("教学班不存在或无权访问", "no such section", "section_id");
    std::optional<Round> placed_in;
    if (round_id) {
      int64_t school_of_round = *sid;
      placed_in = store::LoadRound(c, *round_id, &school_of_round);
      if (!placed_in) return Error::NotFound("选课轮次不存在或无权访问", "no such round", "round_id");
    }
    // By hand too, only an enrolled child gets a seat (nobody is forced in).
    if (auto s = CheckEnrolled(c, *sid, student_id, placed_in.value_or(Round{}), now); !s.ok()) return s.error();
    // The rules of a seat, but the office places outside any round's opening hours.
    Round open;
    open.id = round_id.value_or(0);
    open.opens_at = now - 1;
    open.closes_at = now + 1;
    open.max_per_child = kMaxPerChildLimit;
    open.grades = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    TakeCheck t;
    t.round = &open;
    t.child_grade = static_cast<int>(child->grade);
    t.now = now;
    FillSection(t, *sec);
    t.held = LoadHeld(c, *sid, student_id, sec->term);
    if (auto s = CanTake(t); !s.ok()) return s.error();
    if (auto s = catalog::CheckRoom(sec->taken, sec->capacity); !s.ok()) return s.error();
    if (c.Exec(store::kTakeSeat, {section_id}) != 1) return Full();
    int64_t sel = c.Insert(store::kInsertSelection,
                           {*sid, db::Opt(round_id), section_id, student_id, std::string("manual"), who.user_id, now});
    Json after{{"section_id", section_id},
               {"student_id", student_id},
               {"round_id", db::Opt(round_id) == db::Null() ? Json() : Json(*round_id)},
               {"source", "manual"}};
    auth::Audit(c, who, {"place", "selection", sel, nullptr, &after, *sid});
    if (round_id) Invalidate(*round_id);
    Json out{{"selection_id", sel}, {"section_id", section_id}, {"student_id", student_id}, {"status", "confirmed"}};
    return out;
  });
}

Result<Json> Remove(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t section_id,
                    int64_t student_id) {
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto sid = auth::ResolveSchool(c, who, school);
    if (!sid.ok()) return sid.error();
    int64_t now = NowMs();
    ExpireOffersIn(c, now);
    int64_t n = c.Exec(store::kDropSelection, {*sid, student_id, section_id, now});
    if (n != 1) return Error::NotFound("该生在此教学班的名额不存在或无权访问", "no such seat", "student_id");
    PassSeat(c, section_id, now);
    Json before{{"section_id", section_id}, {"student_id", student_id}, {"status", "confirmed"}};
    auth::Audit(c, who, {"remove", "selection", std::nullopt, &before, nullptr, *sid});
    Json out{{"section_id", section_id}, {"student_id", student_id}, {"status", "dropped"}};
    return out;
  });
}
}  // namespace kehou::select
