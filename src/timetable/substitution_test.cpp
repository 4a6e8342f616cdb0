// Substitutions (R-STF-4) on both databases: the AB backup covers a reported absence, a teacher
// reports only their own sections, the office's pick is ranked and refused past the day limit,
// both teachers are told (outbox), and WhoTaught answers the substitute.
#include <gtest/gtest.h>

#include "core/time.h"
#include "db/testing.h"
#include "demo/demo.h"
#include "timetable/service.h"

namespace kehou::timetable {
namespace {

auth::Principal Office(int64_t school) {
  auth::Principal p;
  p.role = auth::Role::kOfficeDirector;
  p.scope = auth::Scope::kSchool;
  p.school_id = school;
  p.user_id = 1;
  p.login = "office";
  return p;
}
auth::Principal Teacher(int64_t school, int64_t staff) {
  auth::Principal p;
  p.role = auth::Role::kTeacher;
  p.scope = auth::Scope::kOwnSections;
  p.school_id = school;
  p.staff_id = staff;
  p.login = "teacher";
  return p;
}
int64_t Count(db::Db& d, const std::string& sql, const db::Params& p = {}) {
  return d.Read([&](db::Conn& c) { return c.QueryOne(sql, p)->Int(0); });
}

class Substitutions : public ::testing::TestWithParam<std::string> {};

TEST_P(Substitutions, BackupCoversTheOfficeRanksAndAssignsPayFollows) {
  auto t = db::MakeTestDb(GetParam());
  if (!t.db) GTEST_SKIP() << "no " << GetParam();
  ASSERT_TRUE(demo::CreateDemo(*t.db).ok());
  // A placed section with its backup, and the next date of its placement's weekday.
  auto row = t.db->Read([](db::Conn& c) {
    return c.QueryOne(
        "SELECT p.school_id, p.section_id, p.teacher_staff_id, p.backup_staff_id, p.weekday, p.band"
        " FROM timetable_placements p JOIN terms t ON t.id = p.term_id AND t.is_current = 1"
        " WHERE p.backup_staff_id IS NOT NULL AND p.teacher_staff_id IS NOT NULL AND p.band = 'after_school'"
        " AND NOT EXISTS (SELECT 1 FROM timetable_substitutions s WHERE s.section_id = p.section_id)"
        " ORDER BY p.section_id LIMIT 1");
  });
  ASSERT_TRUE(row);
  const int64_t school = row->Int(0), section = row->Int(1), teacher = row->Int(2), backup = row->Int(3);
  const int weekday = static_cast<int>(row->Int(4));
  Date day = AddDays(TodayLocal(), 1);
  while (IsoWeekday(day) != weekday) day = AddDays(day, 1);
  const nlohmann::json body = {{"date", FormatDate(day)}, {"section_ids", {section}}, {"reason", "教研"}};
  // Another teacher's section: forbidden; naming someone else: forbidden.
  auto other = ReportAbsence(*t.db, Teacher(school, backup), school, body, NowMs());
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, ErrorCode::kForbidden);
  auto named = ReportAbsence(*t.db, Teacher(school, teacher), school,
                             {{"date", FormatDate(day)}, {"section_ids", {section}}, {"staff_id", backup}}, NowMs());
  ASSERT_FALSE(named.ok());
  EXPECT_EQ(named.error().code, ErrorCode::kForbidden);
  // Yesterday: not for a teacher.
  auto past = ReportAbsence(*t.db, Teacher(school, teacher), school,
                            {{"date", FormatDate(AddDays(TodayLocal(), -1))}, {"section_ids", {section}}}, NowMs());
  EXPECT_FALSE(past.ok());

  const int64_t outbox = Count(*t.db, "SELECT COUNT(*) FROM notify_outbox");
  auto r = ReportAbsence(*t.db, Teacher(school, teacher), school, body, NowMs());
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto& sub = (*r)["items"][0];
  EXPECT_EQ(sub["status"], "assigned");
  EXPECT_EQ(sub["source"], "backup");
  EXPECT_EQ(sub["substitute_staff_id"], backup);
  EXPECT_EQ(Count(*t.db, "SELECT COUNT(*) FROM notify_outbox"), outbox + 2);  // the backup and the absent teacher
  auto who = t.db->Read([&](db::Conn& c) { return WhoTaught(c, school, section, day, "after_school"); });
  ASSERT_TRUE(who);
  EXPECT_EQ(*who, backup);  // pay follows the one who taught
  EXPECT_FALSE(t.db->Read([&](db::Conn& c) { return WhoTaught(c, school, section, AddDays(day, 7), "after_school"); }));

  // The office's candidates: gated, free, ranked within the day limit first; the suggestion is assignable.
  const int64_t id = sub["id"].get<int64_t>();
  auto c = SubstituteCandidates(*t.db, Office(school), school, id);
  ASSERT_TRUE(c.ok()) << c.error().message;
  const auto& items = (*c)["items"];
  ASSERT_GT(items.size(), 0u);
  EXPECT_TRUE(items[0]["suggested"].get<bool>());
  bool seen_over = false;
  for (const auto& k : items) {
    EXPECT_NE(k["staff_id"], teacher);
    if (!k["within_day_limit"].get<bool>()) seen_over = true;
    else EXPECT_FALSE(seen_over) << "within the day limit ranked first";
  }
  for (const auto& k : items)
    if (!k["within_day_limit"].get<bool>()) {
      auto over = AssignSubstitute(*t.db, Office(school), school, id, {{"staff_id", k["staff_id"]}}, NowMs());
      ASSERT_FALSE(over.ok());
      EXPECT_EQ(over.error().code, ErrorCode::kRuleBroken);
      break;
    }
  const int64_t pick = items[0]["staff_id"].get<int64_t>();
  auto a = AssignSubstitute(*t.db, Office(school), school, id, {{"staff_id", pick}}, NowMs());
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ((*a)["source"], "office");
  EXPECT_EQ(*t.db->Read([&](db::Conn& cn) { return WhoTaught(cn, school, section, day, "after_school"); }), pick);
  EXPECT_EQ(Count(*t.db, "SELECT COUNT(*) FROM audit_log WHERE entity = 'substitution' AND entity_id = $1", {id}), 2);
  // The teacher's list has it; the absent teacher cannot substitute.
  auto mine = ListSubstitutions(*t.db, Teacher(school, teacher), school, nlohmann::json::object());
  ASSERT_TRUE(mine.ok());
  EXPECT_GE((*mine)["total"].get<int64_t>(), 1);
  EXPECT_FALSE(AssignSubstitute(*t.db, Office(school), school, id, {{"staff_id", teacher}}, NowMs()).ok());
}

INSTANTIATE_TEST_SUITE_P(Db, Substitutions, ::testing::ValuesIn(db::TestDialects()));

}  // namespace
}  // namespace kehou::timetable
