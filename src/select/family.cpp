// family.cpp (select): what a family sees of a round, and its ranked preferences.
#include "select/service.h"

#include <algorithm>

#include "auth/audit.h"
#include "catalog/rules.h"
#include "core/time.h"
#include "select/enrolment.h"
#include "select/internal.h"
#include "select/store.h"

namespace kehou::select {

using namespace internal;
using catalog::ParseGrades;
// ---------------------------------------------------------------- the family's view

Result<Json> FamilyCourses(db::Db& db, const auth::Principal& who) {
  Json items = Json::array();
  if (!who.guardian_id) return Json{{"items", items}};
  return db.Read([&](db::Conn& c) -> Result<Json> {
    for (auto& r : c.Query(store::kFamilySeats, {*who.guardian_id})) {
      Json slots = Json::array();
      if (auto sl = catalog::ParseSlots(r.Text(4)); sl.ok())
        for (auto& x : *sl) slots.push_back(catalog::DescribeSlotZh(x));
      items.push_back({{"student_id", r.Int(0)}, {"section_id", r.Int(1)}, {"course_name", r.Text(2)},
                       {"section_name", r.Text(3)},
                       {"category_label", std::string(catalog::CategoryLabelZh(r.Text(5)))}, {"slots", slots},
                       {"teacher_name", r.OptText(6).value_or(r.Text(8))}, {"room_name", r.OptText(7).value_or("")}});
    }
    return Json{{"items", items}};
  });
}

Result<Json> Mine(db::Db& db, const auth::Principal& who, int64_t round_id) {
  if (!who.guardian_id) return Error::NotFound("选课轮次不存在或无权访问", "no such round");
  int64_t now = NowMs();
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto rrow = c.QueryOne(std::string("SELECT ") + store::kRoundColumns + " FROM select_rounds WHERE id = $1", {round_id});
    if (!rrow) return Error::NotFound("选课轮次不存在或无权访问", "no such round");
    int64_t school = rrow->Int("school_id");
    auto round = store::LoadRound(c, round_id, nullptr);
    Json children = Json::array();
    bool family_here = false;
    for (auto& ch : c.Query("SELECT st.id, st.name, g.number, cl.name FROM student_guardians sg"
                            " JOIN students st ON st.id = sg.student_id JOIN classes cl ON cl.id = st.class_id"
                            " JOIN grades g ON g.id = cl.grade_id"
                            " WHERE sg.guardian_id = $1 AND sg.school_id = $2 AND st.active = 1 ORDER BY st.id",
                            {*who.guardian_id, school})) {
      family_here = true;
      // Only the children of the round's grades take part (a sibling in another grade does not).
      if (round && std::find(round->grades.begin(), round->grades.end(), static_cast<int>(ch.Int(2))) == round->grades.end())
        continue;
      int64_t sid = ch.Int(0);
      Json seats = Json::array();
      for (auto& s : c.Query("SELECT sel.section_id, x.name, c.name, sel.source, sel.created_at, COALESCE(sel.round_id, 0)"
                             " FROM selections sel JOIN sections x ON x.id = sel.section_id"
                             " JOIN courses c ON c.id = x.course_id"
                             " WHERE sel.school_id = $1 AND sel.student_id = $2 AND sel.status = 'confirmed' ORDER BY sel.id",
                             {school, sid}))
        seats.push_back({{"section_id", s.Int(0)}, {"section_name", s.Text(1)}, {"course_name", s.Text(2)},
                         {"source", s.Text(3)}, {"confirmed_at", s.Int(4)}, {"round_id", s.Int(5)}});
      Json prefs = Json::array();
      for (auto& p : c.Query("SELECT p.rank, p.section_id, x.name, c.name FROM select_preferences p"
                             " JOIN sections x ON x.id = p.section_id JOIN courses c ON c.id = x.course_id"
                             " WHERE p.round_id = $1 AND p.student_id = $2 ORDER BY p.rank",
                             {round_id, sid}))
        prefs.push_back({{"rank", p.Int(0)}, {"section_id", p.Int(1)}, {"section_name", p.Text(2)}, {"course_name", p.Text(3)}});
      Json results = Json::array();
      for (auto& r : c.Query("SELECT section_id, rank, placed, lottery, priority, reason FROM select_results"
                             " WHERE round_id = $1 AND student_id = $2 ORDER BY rank",
                             {round_id, sid}))
        results.push_back({{"section_id", r.Int(0)}, {"rank", r.Int(1)}, {"placed", r.Int(2) != 0},
                           {"lottery", r.Int(3)}, {"priority", r.Int(4) != 0},
                           {"reason", Json::parse(r.Text(5), nullptr, false)}});
      Json waits = Json::array();
      for (auto& w : c.Query("SELECT w.id, w.section_id, w.status, w.offer_expires_at,"
                             " (SELECT COUNT(*) FROM waitlist v WHERE v.section_id = w.section_id AND v.status = 'waiting'"
                             "  AND v.id < w.id) AS ahead FROM waitlist w"
                             " WHERE w.student_id = $1 AND w.status IN ('waiting','offered') ORDER BY w.id",
                             {sid}))
        waits.push_back({{"id", w.Int(0)}, {"section_id", w.Int(1)}, {"status", w.Text(2)},
                         {"offer_expires_at", w.OptInt(3) ? Json(*w.OptInt(3)) : Json()},
                         {"position", w.Int(4) + 1}});
      // Whether the child may choose here (enrolled for the round's term), so the page can say so
      // before the family taps.
      Json enrolment{{"enrolled", true}};
      if (round)
        if (auto s = CheckEnrolled(c, school, sid, *round, now); !s.ok())
          enrolment = {{"enrolled", false}, {"message", s.error().message}};
      auto own_limit = c.QueryOne(store::kChildLimit, {round_id, sid});
      children.push_back({{"student_id", sid}, {"name", ch.Text(1)}, {"grade", ch.Int(2)}, {"class_name", ch.Text(3)},
                          {"course_limit", own_limit ? Json(own_limit->Int(0)) : Json()},
                          {"enrolled", enrolment["enrolled"]}, {"enrolment_message", enrolment.value("message", "")},
                          {"seats", seats}, {"preferences", prefs}, {"results", results}, {"waitlist", waits}});
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
    int64_t school = child.Int(1);
    auto round = store::LoadRound(c, round_id, &school);
    if (!round) return Error::NotFound("选课轮次不存在或无权访问", "no such round", "round_id");
    if (auto s = CheckNotAllocated(round->allocated); !s.ok()) return s.error();
    if (auto s = CheckOpen(*round, now); !s.ok()) return s.error();
    if (round->mode != Mode::kPreference)
      return MakeError(kRuleBroken, "本轮为先到先得，请直接选课", "this round is first come, first served", "round_id");
    int grade = static_cast<int>(child.Int(2));
    if (!catalog::GradeIn(grade, round->grades))
      return MakeError(kRuleBroken, "本轮选课不面向该生所在年级", "the round is not for the child's grade", "student_id");
    if (auto s = ValidateRanking(section_ids, round->max_ranks); !s.ok()) return s.error();
    if (course_limit && (*course_limit < 1 || *course_limit > round->max_per_child))
      return Error::Invalid("该生最多选几门应为 1-" + std::to_string(round->max_per_child) + "（本轮上限）",
                     "course_limit: 1 to the round's max_per_child", "course_limit");
    if (auto s = CheckEnrolled(c, school, student_id, *round, now); !s.ok()) return s.error();
    for (int64_t sec_id : section_ids) {
      auto sec = c.QueryOne(store::kSectionInRound, {round_id, sec_id});
      if (!sec) return MakeError(kNotFound, "本轮没有教学班 " + std::to_string(sec_id), "section not in round", "section_ids");
      auto g = ParseGrades(sec->Text(5));
      if (!g.ok() || !catalog::GradeIn(grade, *g))
        return MakeError(kRuleBroken, "《" + sec->Text(4) + "》不面向该生所在年级", "a course is not for the child's grade",
                         "section_ids");
    }
    Json before = Json::array();
    for (auto& p : c.Query("SELECT section_id FROM select_preferences WHERE round_id = $1 AND student_id = $2 ORDER BY rank",
                           {round_id, student_id}))
      before.push_back(p.Int(0));
    c.Exec("DELETE FROM select_preferences WHERE round_id = $1 AND student_id = $2", {round_id, student_id});
    Json after = Json::array();
    for (size_t i = 0; i < section_ids.size(); ++i) {
      c.Exec("INSERT INTO select_preferences (school_id, round_id, student_id, rank, section_id, by_user_id, updated_at)"
             " VALUES ($1,$2,$3,$4,$5,$6,$7)",
             {school, round_id, student_id, static_cast<int64_t>(i + 1), section_ids[i], who.user_id, now});
      after.push_back(section_ids[i]);
    }
    auto old_limit = c.QueryOne(store::kChildLimit, {round_id, student_id});
    c.Exec(store::kDeleteChildLimit, {round_id, student_id});
    if (course_limit)
      c.Exec(store::kInsertChildLimit, {school, round_id, student_id, int64_t{*course_limit}, now});
    Json limit_after = course_limit ? Json(*course_limit) : Json();
    Json b{{"student_id", student_id}, {"sections", before}, {"course_limit", old_limit ? Json(old_limit->Int(0)) : Json()}},
        a{{"student_id", student_id}, {"sections", after}, {"course_limit", limit_after}};
    auth::Audit(c, who, {"rank", "select_preferences", round_id, &b, &a, school});
    Json out{{"round_id", round_id}, {"student_id", student_id}, {"section_ids", after},
             {"course_limit", limit_after}, {"saved_at", now}};
    return out;
  });
}
}  // namespace kehou::select
