// family.cpp (select): what a family sees of a round, and its ranked preferences.
#include <algorithm>

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
// ---------------------------------------------------------------- the family's view

Result<Json> FamilyCourses(db::Db& db, const auth::Principal& who) {
  Json items = Json::array();
  if (!who.guardian_id) return Json{{"items", items}};
  return db.Read([&](db::Conn& c) -> Result<Json> {
    for (const auto& r : store::FamilySeats(c, *who.guardian_id)) {
      Json slots = Json::array();
      if (auto sl = catalog::ParseSlots(r.slots); sl.ok())
        for (auto& x : *sl) slots.push_back(catalog::DescribeSlotZh(x));
      items.push_back({{"student_id", r.student_id},
                       {"section_id", r.section_id},
                       {"course_name", r.course_name},
                       {"section_name", r.section_name},
                       {"category_label", std::string(catalog::CategoryLabelZh(r.category))},
                       {"slots", slots},
                       {"teacher_name", r.teacher.value_or(r.institution)},
                       {"room_name", r.room.value_or("")}});
    }
    return Json{{"items", items}};
  });
}

Result<Json> Mine(db::Db& db, const auth::Principal& who, int64_t round_id) {
  if (!who.guardian_id) return Error::NotFound("选课轮次不存在或无权访问", "no such round");
  int64_t now = NowMs();
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto rrow = store::RoundRow(c, round_id);
    if (!rrow) return Error::NotFound("选课轮次不存在或无权访问", "no such round");
    int64_t school = rrow->Int("school_id");
    auto round = store::LoadRound(c, round_id, nullptr);
    Json children = Json::array();
    bool family_here = false;
    for (const auto& ch : store::ChildrenInSchool(c, *who.guardian_id, school)) {
      family_here = true;
      // Only the children of the round's grades take part (a sibling in another grade does not).
      if (round &&
          std::find(round->grades.begin(), round->grades.end(), static_cast<int>(ch.grade)) == round->grades.end())
        continue;
      int64_t sid = ch.id;
      Json seats = Json::array();
      for (const auto& s : store::ChildSeats(c, school, sid))
        seats.push_back({{"section_id", s.section_id},
                         {"section_name", s.section_name},
                         {"course_name", s.course_name},
                         {"source", s.source},
                         {"confirmed_at", s.confirmed_at},
                         {"round_id", s.round_id}});
      Json prefs = Json::array();
      for (const auto& p : store::ChildPreferences(c, round_id, sid))
        prefs.push_back({{"rank", p.rank},
                         {"section_id", p.section_id},
                         {"section_name", p.section_name},
                         {"course_name", p.course_name}});
      Json results = Json::array();
      for (const auto& r : store::ChildResults(c, round_id, sid))
        results.push_back({{"section_id", r.section_id},
                           {"rank", r.rank},
                           {"placed", r.placed},
                           {"lottery", r.lottery},
                           {"priority", r.priority},
                           {"reason", Json::parse(r.reason, nullptr, false)}});
      Json waits = Json::array();
      for (const auto& w : store::ChildWaits(c, sid))
        waits.push_back({{"id", w.id},
                         {"section_id", w.section_id},
                         {"status", w.status},
                         {"offer_expires_at", w.offer_expires_at ? Json(*w.offer_expires_at) : Json()},
                         {"position", w.ahead + 1}});
      // Whether the child may choose here (enrolled for the round's term), so the page can say so
      // before the family taps.
      Json enrolment{{"enrolled", true}};
      if (round)
        if (auto s = CheckEnrolled(c, school, sid, *round, now); !s.ok())
          enrolment = {{"enrolled", false}, {"message", s.error().message}};
      auto own_limit = store::ChildLimit(c, round_id, sid);
      children.push_back({{"student_id", sid},
                          {"name", ch.name},
                          {"grade", ch.grade},
                          {"class_name", ch.class_name},
                          {"course_limit", own_limit ? Json(*own_limit) : Json()},
                          {"enrolled", enrolment["enrolled"]},
                          {"enrolment_message", enrolment.value("message", "")},
                          {"seats", seats},
                          {"preferences", prefs},
                          {"results", results},
                          {"waitlist", waits}});
    }
    if (!family_here) return Error::NotFound("选课轮次不存在或无权访问", "no such round");
    Json out{{"round", RoundJson(*rrow, now)}, {"children", children}};
    return out;
  });
}

// ---------------------------------------------------------------- preference rounds

Result<Json> SetPreferences(db::Db& db, const auth::Principal& who, int64_t round_id, int64_t student_id,
                            const std::vector<int64_t>& section_ids, std::optional<int> course_limit) {
  if (!who.guardian_id) return Error::NotFound("学生不存在或无权访问", "no such child", "student_id");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    int64_t now = NowMs();
    KEHOU_ASSIGN_OR_RETURN(auto child, ChildOfGuardian(c, who, student_id));
    int64_t school = child.school_id;
    auto round = store::LoadRound(c, round_id, &school);
    if (!round) return Error::NotFound("选课轮次不存在或无权访问", "no such round", "round_id");
    if (auto s = CheckNotAllocated(round->allocated); !s.ok()) return s.error();
    if (auto s = CheckOpen(*round, now); !s.ok()) return s.error();
    if (round->mode != Mode::kPreference)
      return MakeError(kRuleBroken, "本轮为先到先得，请直接选课", "this round is first come, first served", "round_id");
    int grade = static_cast<int>(child.grade);
    if (!catalog::GradeIn(grade, round->grades))
      return MakeError(kRuleBroken, "本轮选课不面向该生所在年级", "the round is not for the child's grade",
                       "student_id");
    if (auto s = ValidateRanking(section_ids, round->max_ranks); !s.ok()) return s.error();
    if (course_limit && (*course_limit < 1 || *course_limit > round->max_per_child))
      return Error::Invalid("该生最多选几门应为 1-" + std::to_string(round->max_per_child) + "（本轮上限）",
                            "course_limit: 1 to the round's max_per_child", "course_limit");
    if (auto s = CheckEnrolled(c, school, student_id, *round, now); !s.ok()) return s.error();
    for (int64_t sec_id : section_ids) {
      auto sec = store::SectionInRound(c, round_id, sec_id);
      if (!sec)
        return MakeError(kNotFound, "本轮没有教学班 " + std::to_string(sec_id), "section not in round", "section_ids");
      auto g = ParseGrades(sec->grades);
      if (!g.ok() || !catalog::GradeIn(grade, *g))
        return MakeError(kRuleBroken, "《" + sec->course_name + "》不面向该生所在年级",
                         "a course is not for the child's grade", "section_ids");
    }
    Json before = Json::array();
    for (int64_t s : store::RankedSectionIds(c, round_id, student_id)) before.push_back(s);
    c.Exec(store::kDeletePreferences, {round_id, student_id});
    Json after = Json::array();
    for (size_t i = 0; i < section_ids.size(); ++i) {
      c.Exec(store::kInsertPreference,
             {school, round_id, student_id, static_cast<int64_t>(i + 1), section_ids[i], who.user_id, now});
      after.push_back(section_ids[i]);
    }
    auto old_limit = store::ChildLimit(c, round_id, student_id);
    c.Exec(store::kDeleteChildLimit, {round_id, student_id});
    if (course_limit) c.Exec(store::kInsertChildLimit, {school, round_id, student_id, int64_t{*course_limit}, now});
    Json limit_after = course_limit ? Json(*course_limit) : Json();
    Json b{{"student_id", student_id}, {"sections", before}, {"course_limit", old_limit ? Json(*old_limit) : Json()}},
        a{{"student_id", student_id}, {"sections", after}, {"course_limit", limit_after}};
    auth::Audit(c, who, {"rank", "select_preferences", round_id, &b, &a, school});
    Json out{{"round_id", round_id},
             {"student_id", student_id},
             {"section_ids", after},
             {"course_limit", limit_after},
             {"saved_at", now}};
    return out;
  });
}
}  // namespace kehou::select
