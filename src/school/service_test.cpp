// School setup use cases against a real database: SQLite always, PostgreSQL too when
// KEHOU_TEST_PG holds a URL (skipped otherwise).
#include "school/service.h"

#include <gtest/gtest.h>

#include "db/testing.h"
#include "school/store.h"
#include "school/term_bands.h"

namespace kehou::school {
namespace {

using auth::Principal;
using auth::Role;

class SchoolServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    t_ = db::MakeTestDb(GetParam());
    if (!t_.db) GTEST_SKIP() << "KEHOU_TEST_PG not set";
    db_ = t_.db.get();
    db_->Write([&](db::Conn& c) {
      city_ = c.Insert("INSERT INTO areas (kind, name) VALUES ('city', '示范市') RETURNING id", {});
      county_ = c.Insert(
          "INSERT INTO areas (kind, name, parent_id, office_close_time) VALUES ('county', '东城区', $1, '17:00')"
          " RETURNING id",
          {city_});
      other_county_ =
          c.Insert("INSERT INTO areas (kind, name, parent_id) VALUES ('county', '西城区', $1) RETURNING id", {city_});
      school_ = CreateSchool(c, {county_, "实验学校", Level::kNineYear, SchoolType::kPublic, "人民路1号"}).value();
      primary_ = CreateSchool(c, {county_, "第一小学", Level::kPrimary, SchoolType::kPrivateBoarding, ""}).value();
      far_ = CreateSchool(c, {other_county_, "西城中学", Level::kJunior, SchoolType::kPublic, ""}).value();
      teacher_ = c.Insert(
          "INSERT INTO staff (school_id, name, kind, mobile, created_at, updated_at)"
          " VALUES ($1, '王老师', 'in_school', '13800000001', 0, 0) RETURNING id",
          {school_});
      other_teacher_ = c.Insert(
          "INSERT INTO staff (school_id, name, kind, mobile, created_at, updated_at)"
          " VALUES ($1, '李老师', 'in_school', '13800000002', 0, 0) RETURNING id",
          {primary_});
    });
  }

  Principal Who(Role r, std::optional<int64_t> school) {
    Principal p;
    p.user_id = 7;
    p.login = "u";
    p.display_name = "测试用户";
    p.role = r;
    p.school_id = school;
    return p;
  }
  Principal Principal_() { return Who(Role::kPrincipal, school_); }
  Principal Officer(Role r, int64_t area) {
    Principal p = Who(r, std::nullopt);
    p.area_id = area;
    return p;
  }

  int64_t GradeId(int64_t school, int number) {
    return db_->Read([&](db::Conn& c) {
      return c.QueryOne("SELECT id FROM grades WHERE school_id = $1 AND number = $2", {school, int64_t{number}})
          ->Int(0);
    });
  }
  int64_t AuditCount(const std::string& entity) {
    return db_->Read(
        [&](db::Conn& c) { return c.QueryOne("SELECT COUNT(*) FROM audit_log WHERE entity = $1", {entity})->Int(0); });
  }
  Json Term(const Principal& who, Json body, std::optional<int64_t> school = std::nullopt) {
    auto in = ParseTermInput(body, true);
    EXPECT_TRUE(in.ok()) << (in.ok() ? "" : in.error().message);
    auto r = CreateTerm(*db_, who, school, *in);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r.value() : Json();
  }
  Json AutumnBody() {
    return Json{{"name", "2025秋季学期"},
                {"start_date", "2025-09-01"},
                {"end_date", "2026-01-16"},
                {"winter_from", "2025-11-01"},
                {"excluded_weekdays", {4}},
                {"holidays", {{{"name", "国庆"}, {"start_date", "2025-10-01"}, {"end_date", "2025-10-08"}}}}};
  }

  db::TestDb t_;
  db::Db* db_ = nullptr;
  int64_t city_ = 0, county_ = 0, other_county_ = 0, school_ = 0, primary_ = 0, far_ = 0, teacher_ = 0,
          other_teacher_ = 0;
};

TEST_P(SchoolServiceTest, CreateSchoolAddsTheGradesOfItsLevel) {
  auto grades = ListGrades(*db_, Principal_(), std::nullopt);
  ASSERT_TRUE(grades.ok());
  ASSERT_EQ(grades->at("items").size(), 9u);
  EXPECT_EQ(grades->at("items")[0]["name"], "一年级");
  EXPECT_EQ(grades->at("items")[8]["name"], "九年级");
  auto p = ListGrades(*db_, Who(Role::kTeacher, primary_), std::nullopt);
  EXPECT_EQ(p->at("items").size(), 6u);
  auto j = ListGrades(*db_, Who(Role::kTeacher, far_), std::nullopt);
  EXPECT_EQ(j->at("items")[0]["number"], 7);
}

TEST_P(SchoolServiceTest, AGradeLeaderIsNamedOnTheGradeByTheOfficeAndAudited) {
  int64_t grade = GradeId(school_, 3);
  auto set = SetGradeLeader(*t_.db, Principal_(), std::nullopt, grade, Json{{"leader_staff_id", teacher_}});
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ((*set)["leader_staff_id"], teacher_);
  EXPECT_FALSE((*set)["leader_name"].get<std::string>().empty());
  auto listed = ListGrades(*t_.db, Principal_(), std::nullopt);
  bool found = false;
  for (auto& g : (*listed)["items"]) found = found || (g["id"] == grade && g["leader_staff_id"] == teacher_);
  EXPECT_TRUE(found);
  EXPECT_EQ(AuditCount("grade"), 1);
  // Staff of another school, a missing field, or an officer (read only): refused.
  auto foreign = SetGradeLeader(*t_.db, Principal_(), std::nullopt, grade, Json{{"leader_staff_id", other_teacher_}});
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().field, "leader_staff_id");
  EXPECT_FALSE(SetGradeLeader(*t_.db, Principal_(), std::nullopt, grade, Json::object()).ok());
  EXPECT_FALSE(SetGradeLeader(*t_.db, Officer(Role::kCountyOfficer, county_), school_, grade,
                              Json{{"leader_staff_id", teacher_}})
                   .ok());
  // Another school's grade is not found; null clears.
  EXPECT_EQ(
      SetGradeLeader(*t_.db, Principal_(), std::nullopt, GradeId(primary_, 3), Json{{"leader_staff_id", teacher_}})
          .error()
          .code,
      kNotFound);
  auto cleared = SetGradeLeader(*t_.db, Principal_(), std::nullopt, grade, Json{{"leader_staff_id", nullptr}});
  ASSERT_TRUE(cleared.ok());
  EXPECT_TRUE((*cleared)["leader_staff_id"].is_null());
}

TEST_P(SchoolServiceTest, SchoolListsFollowTheScope) {
  auto own = ListSchools(*db_, Principal_());
  ASSERT_TRUE(own.ok());
  ASSERT_EQ(own->at("items").size(), 1u);
  EXPECT_EQ(own->at("items")[0]["id"], school_);
  EXPECT_EQ(ListSchools(*db_, Officer(Role::kCountyOfficer, county_))->at("items").size(), 2u);
  EXPECT_EQ(ListSchools(*db_, Officer(Role::kCityOfficer, city_))->at("items").size(), 3u);
  EXPECT_EQ(ListSchools(*db_, Who(Role::kSysAdmin, std::nullopt))->at("items").size(), 3u);

  // A guardian sees the schools of their children only.
  int64_t guardian = db_->Write([&](db::Conn& c) {
    int64_t g = c.Insert(
        "INSERT INTO guardians (mobile, name, created_at) VALUES ('13900000000', '张家长', 0) RETURNING id", {});
    int64_t k = c.Insert(
        "INSERT INTO classes (school_id, grade_id, name, number) VALUES ($1, $2, '一年级(1)班', 1) RETURNING id",
        {primary_, GradeId(primary_, 1)});
    int64_t s = c.Insert(
        "INSERT INTO students (school_id, student_no, name, gender, class_id, created_at, updated_at)"
        " VALUES ($1, 'S1', '张小明', 'M', $2, 0, 0) RETURNING id",
        {primary_, k});
    c.Exec("INSERT INTO student_guardians (school_id, student_id, guardian_id, relation) VALUES ($1, $2, $3, '父亲')",
           {primary_, s, g});
    return g;
  });
  Principal g = Who(Role::kGuardian, std::nullopt);
  g.guardian_id = guardian;
  auto mine = ListSchools(*db_, g);
  ASSERT_EQ(mine->at("items").size(), 1u);
  EXPECT_EQ(mine->at("items")[0]["id"], primary_);
  EXPECT_EQ(mine->at("items")[0]["charges_fee"], false);  // private boarding
  EXPECT_FALSE(mine->at("items")[0].contains("student_count"));
}

TEST_P(SchoolServiceTest, GetSchoolOfAnotherSchoolIsNotFound) {
  auto s = GetSchool(*db_, Principal_(), school_);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->at("office_close_time"), "17:00");
  EXPECT_EQ(s->at("charges_fee"), true);
  EXPECT_EQ(GetSchool(*db_, Principal_(), primary_).error().code, kNotFound);
  EXPECT_TRUE(GetSchool(*db_, Officer(Role::kCountyOfficer, county_), primary_).ok());
  EXPECT_EQ(GetSchool(*db_, Officer(Role::kCountyOfficer, county_), far_).error().code, kNotFound);
  EXPECT_TRUE(GetSchool(*db_, Officer(Role::kCityOfficer, city_), far_).ok());
}

TEST_P(SchoolServiceTest, AreaOverviewOnlyForOwnAreaOrBelow) {
  auto county = AreaOverview(*db_, Officer(Role::kCountyOfficer, county_), county_);
  ASSERT_TRUE(county.ok());
  EXPECT_EQ(county->at("schools").size(), 2u);
  EXPECT_EQ(county->at("schools")[0]["staff"], 1);
  EXPECT_EQ(AreaOverview(*db_, Officer(Role::kCountyOfficer, county_), other_county_).error().code, kNotFound);
  EXPECT_EQ(AreaOverview(*db_, Officer(Role::kCountyOfficer, county_), city_).error().code, kNotFound);
  auto city = AreaOverview(*db_, Officer(Role::kCityOfficer, city_), city_);
  ASSERT_TRUE(city.ok());
  EXPECT_EQ(city->at("totals")["schools"], 3);
  EXPECT_TRUE(AreaOverview(*db_, Officer(Role::kCityOfficer, city_), other_county_).ok());
  EXPECT_EQ(AreaOverview(*db_, Principal_(), county_).error().code, kNotFound);
  EXPECT_EQ(AreaOverview(*db_, Who(Role::kSysAdmin, std::nullopt), 999999).error().code, kNotFound);
}

TEST_P(SchoolServiceTest, UpdateSchoolAuditsChangedFieldsAndOfficeClose) {
  auto patch = ParseSchoolPatch(Json{{"name", " 实验学校（新） "}, {"office_close_time", "16:30"}});
  ASSERT_TRUE(patch.ok());
  auto r = UpdateSchool(*db_, Principal_(), school_, *patch);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->at("name"), "实验学校（新）");
  EXPECT_EQ(r->at("office_close_time"), "16:30");
  auto row = db_->Read([&](db::Conn& c) {
    return *c.QueryOne("SELECT before_json, after_json, user_id FROM audit_log WHERE entity = 'school'");
  });
  EXPECT_EQ(Json::parse(row.Text(0)), (Json{{"name", "实验学校"}, {"office_close_time", "17:00"}}));
  EXPECT_EQ(Json::parse(row.Text(1)), (Json{{"name", "实验学校（新）"}, {"office_close_time", "16:30"}}));
  EXPECT_EQ(row.Int(2), 7);
  // The office closing time is the school's own: the other school of the county keeps the area's.
  auto other = GetSchool(*db_, Who(Role::kSysAdmin, std::nullopt), primary_);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->at("office_close_time"), "17:00");
  EXPECT_EQ(AuditCount("area"), 0);
  // Another school's id: not found. Officers may not write.
  EXPECT_EQ(UpdateSchool(*db_, Principal_(), primary_, *patch).error().code, kNotFound);
  EXPECT_EQ(UpdateSchool(*db_, Officer(Role::kCountyOfficer, county_), school_, *patch).error().code, kForbidden);
  EXPECT_EQ(ParseSchoolPatch(Json{{"level", "high"}}).error().field, "level");
  EXPECT_EQ(ParseSchoolPatch(Json{{"office_close_time", "25:00"}}).error().field, "office_close_time");
}

TEST_P(SchoolServiceTest, LevelChangeMovesGradesButNotGradesWithClasses) {
  auto to_junior = ParseSchoolPatch(Json{{"level", "junior"}});
  auto one = ParseClassInput(Json{{"grade_id", GradeId(school_, 1)}, {"number", 1}}, true);
  ASSERT_TRUE(CreateClass(*db_, Principal_(), std::nullopt, *one).ok());
  auto refused = UpdateSchool(*db_, Principal_(), school_, *to_junior);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, kRuleBroken);
  EXPECT_EQ(refused.error().field, "level");
  EXPECT_EQ(ListGrades(*db_, Principal_(), std::nullopt)->at("items").size(), 9u);
  // Primary school to nine-year: grades 7-9 appear.
  auto to_nine = ParseSchoolPatch(Json{{"level", "nine_year"}});
  ASSERT_TRUE(UpdateSchool(*db_, Who(Role::kPrincipal, primary_), primary_, *to_nine).ok());
  EXPECT_EQ(ListGrades(*db_, Who(Role::kTeacher, primary_), std::nullopt)->at("items").size(), 9u);
}

TEST_P(SchoolServiceTest, TermsComputeWeeksAndKeepOneCurrent) {
  Json a = Term(Principal_(), AutumnBody());
  EXPECT_EQ(a["teaching_weeks"], 20);
  EXPECT_EQ(a["is_current"], true);  // the school's first term
  EXPECT_EQ(a["excluded_weekdays"], Json::array({4}));
  ASSERT_EQ(a["deviations"].size(), 2u);  // Thursday excluded, no after-school bands yet
  EXPECT_EQ(a["deviations"][0]["code"], "excluded_weekday");
  Json spring = Term(Principal_(), Json{{"name", "2026春季学期"},
                                        {"start_date", "2026-02-23"},
                                        {"end_date", "2026-07-03"},
                                        {"summer_from", "2026-05-01"},
                                        {"is_current", true}});
  auto terms = ListTerms(*db_, Principal_(), std::nullopt);
  ASSERT_EQ(terms->at("items").size(), 2u);
  int current = 0;
  for (const auto& t : terms->at("items")) current += t["is_current"].get<bool>() ? 1 : 0;
  EXPECT_EQ(current, 1);
  EXPECT_EQ(CurrentTerm(*db_, school_)->id, spring["id"].get<int64_t>());
  EXPECT_EQ(CurrentTerm(*db_, school_)->teaching_weeks, 19);
  // Setting the autumn term current again clears the spring one.
  auto in = ParseTermInput(Json{{"is_current", true}}, false);
  ASSERT_TRUE(UpdateTerm(*db_, Principal_(), std::nullopt, a["id"], *in).ok());
  EXPECT_EQ(CurrentTerm(*db_, school_)->id, a["id"].get<int64_t>());
  EXPECT_GE(AuditCount("term"), 4);
}

TEST_P(SchoolServiceTest, TermRulesAndConflicts) {
  Json a = Term(Principal_(), AutumnBody());
  auto dup = CreateTerm(*db_, Principal_(), std::nullopt, *ParseTermInput(AutumnBody(), true));
  EXPECT_EQ(dup.error().code, kConflict);
  Json bad = AutumnBody();
  bad["name"] = "坏学期";
  bad["holidays"] = {{{"name", "寒假"}, {"start_date", "2026-01-10"}, {"end_date", "2026-01-17"}}};
  auto r = CreateTerm(*db_, Principal_(), std::nullopt, *ParseTermInput(bad, true));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kRuleBroken);
  EXPECT_EQ(r.error().field, "holidays[0].end_date");
  bad["holidays"] = Json::array();
  bad["excluded_weekdays"] = {6};
  EXPECT_EQ(CreateTerm(*db_, Principal_(), std::nullopt, *ParseTermInput(bad, true)).error().field,
            "excluded_weekdays");
  EXPECT_EQ(ParseTermInput(Json{{"name", "x"}}, true).error().field, "start_date");
  EXPECT_EQ(ParseTermInput(Json{{"start_date", "2025-02-30"}}, false).error().field, "start_date");
  // Clearing winter_from with "" works; another school's term is not found.
  auto clear = ParseTermInput(Json{{"winter_from", ""}}, false);
  ASSERT_TRUE(clear.ok());
  auto cleared = UpdateTerm(*db_, Principal_(), std::nullopt, a["id"], *clear);
  ASSERT_TRUE(cleared.ok()) << cleared.error().message;
  EXPECT_TRUE(cleared->at("winter_from").is_null());
  EXPECT_EQ(UpdateTerm(*db_, Who(Role::kPrincipal, primary_), std::nullopt, a["id"], *clear).error().code, kNotFound);
}

TEST_P(SchoolServiceTest, BandsReplaceTheWholeSetAfterAllRules) {
  Json a = Term(Principal_(), AutumnBody());
  int64_t term = a["id"];
  auto bands = ParseBands(
      Json{{"bands",
            {{{"kind", "morning"}, {"start_time", "07:20"}, {"end_time", "08:00"}},
             {{"kind", "after_school"}, {"season", "summer"}, {"start_time", "15:30"}, {"end_time", "17:40"}},
             {{"kind", "after_school"}, {"season", "winter"}, {"start_time", "15:20"}, {"end_time", "17:20"}},
             {{"kind", "evening"}, {"name", "晚自习"}, {"start_time", "18:30"}, {"end_time", "20:30"}}}}});
  ASSERT_TRUE(bands.ok()) << bands.error().message;
  auto r = PutBands(*db_, Principal_(), std::nullopt, term, *bands);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->at("items").size(), 4u);
  EXPECT_EQ(r->at("office_close_time"), "17:00");
  ASSERT_EQ(r->at("deviations").size(), 1u);  // only Thursday; each season gives 2 hours
  EXPECT_EQ(r->at("limits")["earliest_after_school_end"], "17:20");
  EXPECT_EQ(AuditCount("service_bands"), 1);

  // One band breaking a rule: nothing changes.
  auto late = ParseBands(Json{{"bands",
                               {{{"kind", "after_school"}, {"start_time", "15:20"}, {"end_time", "17:20"}},
                                {{"kind", "evening"}, {"start_time", "18:30"}, {"end_time", "20:31"}}}}});
  auto refused = PutBands(*db_, Principal_(), std::nullopt, term, *late);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, kRuleBroken);
  EXPECT_EQ(refused.error().field, "bands[1].end_time");
  EXPECT_EQ(GetBands(*db_, Principal_(), std::nullopt, term)->at("items").size(), 4u);

  // The bands other modules read.
  EXPECT_EQ(db_->Read([&](db::Conn& c) { return BandsOfTerm(c, school_, term).size(); }), 4u);
  EXPECT_EQ(db_->Read([&](db::Conn& c) { return BandsOfTerm(c, primary_, term).size(); }), 0u);

  // Officers read with ?school_id, only in their area.
  EXPECT_TRUE(GetBands(*db_, Officer(Role::kCountyOfficer, county_), school_, term).ok());
  EXPECT_EQ(GetBands(*db_, Officer(Role::kCountyOfficer, other_county_), school_, term).error().code, kNotFound);
  EXPECT_EQ(GetBands(*db_, Officer(Role::kCountyOfficer, county_), std::nullopt, term).error().code, kInvalid);
  EXPECT_EQ(PutBands(*db_, Officer(Role::kCountyOfficer, county_), school_, term, *bands).error().code, kForbidden);
}

TEST_P(SchoolServiceTest, RulesThatDependOnTheSchoolAndTheTerm) {
  Json a = Term(Principal_(), AutumnBody());
  int64_t term = a["id"];
  auto evening = ParseBands(Json{{"bands",
                                  {{{"kind", "after_school"}, {"start_time", "15:20"}, {"end_time", "17:20"}},
                                   {{"kind", "evening"}, {"start_time", "18:30"}, {"end_time", "20:00"}}}}});
  ASSERT_TRUE(PutBands(*db_, Principal_(), std::nullopt, term, *evening).ok());

  // A primary school may not have evening self-study.
  Principal pp = Who(Role::kPrincipal, primary_);
  Json p = Term(pp, AutumnBody());
  auto refused = PutBands(*db_, pp, std::nullopt, p["id"], *evening);
  EXPECT_EQ(refused.error().code, kRuleBroken);
  EXPECT_EQ(refused.error().field, "bands[1].kind");

  // Office closing later than the bands allow: refused while the current term's bands break it.
  auto later = ParseSchoolPatch(Json{{"office_close_time", "17:01"}});
  auto r = UpdateSchool(*db_, Principal_(), school_, *later);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kRuleBroken);
  EXPECT_EQ(r.error().field, "office_close_time");
  // Nine-year to primary: the evening band would break the rule.
  auto to_primary = ParseSchoolPatch(Json{{"level", "primary"}});
  EXPECT_EQ(UpdateSchool(*db_, Principal_(), school_, *to_primary).error().code, kRuleBroken);

  // Winter bands need the term's winter switch date.
  auto seasonal = ParseBands(
      Json{{"bands",
            {{{"kind", "after_school"}, {"season", "winter"}, {"start_time", "15:20"}, {"end_time", "17:20"}},
             {{"kind", "after_school"}, {"season", "summer"}, {"start_time", "15:30"}, {"end_time", "17:30"}}}}});
  ASSERT_TRUE(PutBands(*db_, Principal_(), std::nullopt, term, *seasonal).ok());
  auto clear = ParseTermInput(Json{{"winter_from", nullptr}}, false);
  auto orphan = UpdateTerm(*db_, Principal_(), std::nullopt, term, *clear);
  ASSERT_FALSE(orphan.ok());
  EXPECT_EQ(orphan.error().code, kRuleBroken);
  EXPECT_EQ(orphan.error().field, "winter_from");
}

TEST_P(SchoolServiceTest, ClassesNamedUniqueAndWithTheirTeacher) {
  int64_t g3 = GradeId(school_, 3);
  auto in = ParseClassInput(Json{{"grade_id", g3}, {"number", 2}, {"class_teacher_id", teacher_}}, true);
  ASSERT_TRUE(in.ok());
  auto k = CreateClass(*db_, Principal_(), std::nullopt, *in);
  ASSERT_TRUE(k.ok()) << k.error().message;
  EXPECT_EQ(k->at("name"), "三年级(2)班");
  EXPECT_EQ(k->at("class_teacher_name"), "王老师");
  EXPECT_EQ(k->at("grade_name"), "三年级");
  // Same grade and number: conflict in Chinese.
  auto dup = CreateClass(*db_, Principal_(), std::nullopt, *in);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, kConflict);
  EXPECT_EQ(dup.error().message, "三年级已有(2)班");
  // Teacher of another school; grade of another school.
  auto foreign = ParseClassInput(Json{{"grade_id", g3}, {"number", 3}, {"class_teacher_id", other_teacher_}}, true);
  EXPECT_EQ(CreateClass(*db_, Principal_(), std::nullopt, *foreign).error().field, "class_teacher_id");
  auto far_grade = ParseClassInput(Json{{"grade_id", GradeId(primary_, 3)}, {"number", 3}}, true);
  EXPECT_EQ(CreateClass(*db_, Principal_(), std::nullopt, *far_grade).error().code, kNotFound);
  EXPECT_EQ(ParseClassInput(Json{{"grade_id", g3}, {"number", 0}}, true).error().field, "number");
  EXPECT_EQ(ParseClassInput(Json{{"number", 1}}, true).error().field, "grade_id");

  // Renumbering regenerates the generated name; a given name stays.
  int64_t id = k->at("id");
  auto renum = UpdateClass(*db_, Principal_(), std::nullopt, id, *ParseClassInput(Json{{"number", 5}}, false));
  ASSERT_TRUE(renum.ok());
  EXPECT_EQ(renum->at("name"), "三年级(5)班");
  auto named = UpdateClass(*db_, Principal_(), std::nullopt, id,
                           *ParseClassInput(Json{{"name", "三年级火箭班"}, {"class_teacher_id", nullptr}}, false));
  ASSERT_TRUE(named.ok());
  EXPECT_EQ(named->at("name"), "三年级火箭班");
  EXPECT_TRUE(named->at("class_teacher_id").is_null());
  auto row = db_->Read([&](db::Conn& c) {
    return *c.QueryOne("SELECT before_json, after_json FROM audit_log WHERE entity = 'class' ORDER BY id DESC");
  });
  EXPECT_EQ(Json::parse(row.Text(0)), (Json{{"name", "三年级(5)班"}, {"class_teacher_id", teacher_}}));
  EXPECT_EQ(Json::parse(row.Text(1)), (Json{{"name", "三年级火箭班"}, {"class_teacher_id", nullptr}}));

  // Lists: filter by grade, counts in grades.
  auto in2 = ParseClassInput(Json{{"grade_id", GradeId(school_, 4)}, {"number", 1}}, true);
  ASSERT_TRUE(CreateClass(*db_, Principal_(), std::nullopt, *in2).ok());
  EXPECT_EQ(ListClasses(*db_, Principal_(), std::nullopt, std::nullopt)->at("total"), 2);
  EXPECT_EQ(ListClasses(*db_, Principal_(), std::nullopt, g3)->at("items").size(), 1u);
  auto paged = ListClasses(*db_, Principal_(), std::nullopt, std::nullopt, Paging{2, 1});
  EXPECT_EQ(paged->at("items").size(), 1u);
  EXPECT_EQ(paged->at("items")[0]["grade_number"], 4);
  auto grades = ListGrades(*db_, Principal_(), std::nullopt);
  EXPECT_EQ(grades->at("items")[2]["class_count"], 1);
  EXPECT_EQ(grades->at("items")[2]["student_count"], 0);
  EXPECT_EQ(ClassName(3, 2), "三年级(2)班");
}

TEST_P(SchoolServiceTest, RoomsUniqueByNameAndDeletedOrDeactivated) {
  auto in = ParseRoomInput(
      Json{{"name", "音乐教室"}, {"kind", "function_room"}, {"capacity", 45}, {"equipment", "钢琴"}}, true);
  ASSERT_TRUE(in.ok());
  auto room = CreateRoom(*db_, Principal_(), std::nullopt, *in);
  ASSERT_TRUE(room.ok()) << room.error().message;
  EXPECT_EQ(room->at("kind_label"), "功能室");
  EXPECT_EQ(CreateRoom(*db_, Principal_(), std::nullopt, *in).error().code, kConflict);
  // Another school may use the same name.
  EXPECT_TRUE(CreateRoom(*db_, Who(Role::kPrincipal, primary_), std::nullopt, *in).ok());
  EXPECT_EQ(ParseRoomInput(Json{{"name", "x"}, {"kind", "pool"}, {"capacity", 1}}, true).error().field, "kind");
  auto zero = ParseRoomInput(Json{{"name", "x"}, {"kind", "gym"}, {"capacity", 0}}, true);
  EXPECT_EQ(zero.error().code, kRuleBroken);
  EXPECT_EQ(zero.error().field, "capacity");

  auto gym = CreateRoom(*db_, Principal_(), std::nullopt,
                        *ParseRoomInput(Json{{"name", "体育馆"}, {"kind", "gym"}, {"capacity", "200"}}, true));
  ASSERT_TRUE(gym.ok());
  auto renamed =
      UpdateRoom(*db_, Principal_(), std::nullopt, gym->at("id"), *ParseRoomInput(Json{{"name", "音乐教室"}}, false));
  EXPECT_EQ(renamed.error().code, kConflict);
  auto bigger =
      UpdateRoom(*db_, Principal_(), std::nullopt, gym->at("id"), *ParseRoomInput(Json{{"capacity", 300}}, false));
  ASSERT_TRUE(bigger.ok());
  EXPECT_EQ(bigger->at("capacity"), 300);
  EXPECT_EQ(ListRooms(*db_, Principal_(), std::nullopt, RoomQuery{"音乐", "", false, {}})->at("total"), 1);
  EXPECT_EQ(ListRooms(*db_, Principal_(), std::nullopt, RoomQuery{"", "gym", false, {}})->at("total"), 1);
  EXPECT_EQ(ListRooms(*db_, Principal_(), std::nullopt, RoomQuery{"%", "", false, {}})->at("total"), 0);

  // A room a class uses is deactivated; an unused one deleted.
  auto k = ParseClassInput(Json{{"grade_id", GradeId(school_, 1)}, {"number", 1}, {"room_id", room->at("id")}}, true);
  auto cls = CreateClass(*db_, Principal_(), std::nullopt, *k);
  ASSERT_TRUE(cls.ok()) << cls.error().message;
  EXPECT_EQ(cls->at("room_name"), "音乐教室");
  auto d1 = DeleteRoom(*db_, Principal_(), std::nullopt, room->at("id"));
  ASSERT_TRUE(d1.ok());
  EXPECT_EQ(d1->at("deactivated"), true);
  EXPECT_EQ(ListRooms(*db_, Principal_(), std::nullopt, RoomQuery{})->at("total"), 1);
  EXPECT_EQ(ListRooms(*db_, Principal_(), std::nullopt, RoomQuery{"", "", true, {}})->at("total"), 2);
  auto d2 = DeleteRoom(*db_, Principal_(), std::nullopt, gym->at("id"));
  ASSERT_TRUE(d2.ok());
  EXPECT_EQ(d2->at("deleted"), true);
  EXPECT_EQ(DeleteRoom(*db_, Principal_(), std::nullopt, gym->at("id")).error().code, kNotFound);
  EXPECT_EQ(AuditCount("room"), 6);  // 3 creates, 1 update, deactivate, delete

  // A room another module's table refers to by foreign key is deactivated, not deleted.
  auto lab = CreateRoom(*db_, Principal_(), std::nullopt,
                        *ParseRoomInput(Json{{"name", "科学实验室"}, {"kind", "lab"}, {"capacity", 40}}, true));
  ASSERT_TRUE(lab.ok());
  int64_t lab_id = lab->at("id");
  db_->Write([&](db::Conn& c) {
    c.ExecScript("CREATE TABLE room_refs (room_id BIGINT NOT NULL REFERENCES rooms(id))");
    c.Exec("INSERT INTO room_refs (room_id) VALUES ($1)", {lab_id});
  });
  auto d3 = DeleteRoom(*db_, Principal_(), std::nullopt, lab_id);
  ASSERT_TRUE(d3.ok()) << d3.error().message;
  EXPECT_EQ(d3->at("deleted"), false);
  EXPECT_EQ(d3->at("deactivated"), true);
  EXPECT_EQ(ListRooms(*db_, Principal_(), std::nullopt, RoomQuery{"", "lab", true, {}})->at("items")[0]["active"],
            false);

  // An inactive room's name is still taken, and the message says so.
  auto again = CreateRoom(*db_, Principal_(), std::nullopt, *in);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("已停用"), std::string::npos);
}

TEST_P(SchoolServiceTest, CurrentTermFallsBackToTheTermContainingToday) {
  EXPECT_FALSE(CurrentTerm(*db_, school_).has_value());
  Date today = TodayLocal();
  Json body{{"name", "本学期"},
            {"start_date", FormatDate(AddDays(today, -10))},
            {"end_date", FormatDate(AddDays(today, 100))},
            {"is_current", false}};
  Json t = Term(Principal_(), body);
  auto cur = CurrentTerm(*db_, school_);
  ASSERT_TRUE(cur.has_value());
  EXPECT_EQ(cur->id, t["id"].get<int64_t>());
  EXPECT_FALSE(cur->is_current);
  EXPECT_TRUE(db_->Read([&](db::Conn& c) { return SchoolChargesFee(c, school_); }));
  EXPECT_FALSE(db_->Read([&](db::Conn& c) { return SchoolChargesFee(c, primary_); }));
}

// CurrentTermWithBands (one statement) answers what CurrentTerm and BandsOfTerm answer: the same
// term (holidays in order), the same bands in the same order; the term containing today when none
// is current; nothing of another school; nullopt without a term.
TEST_P(SchoolServiceTest, CurrentTermWithBandsIsCurrentTermAndItsBandsInOneRead) {
  const auto both = [&](int64_t school) {
    return db_->Read([&](db::Conn& c) { return CurrentTermWithBands(c, school); });
  };
  const auto same = [&](int64_t school) {
    auto one = both(school);
    auto term = CurrentTerm(*db_, school);
    ASSERT_EQ(one.has_value(), term.has_value());
    if (!term) return;
    EXPECT_EQ(one->term.id, term->id);
    EXPECT_EQ(one->term.school_id, term->school_id);
    EXPECT_EQ(one->term.name, term->name);
    EXPECT_EQ(one->term.is_current, term->is_current);
    EXPECT_EQ(one->term.teaching_weeks, term->teaching_weeks);
    EXPECT_EQ(FormatDate(one->term.dates.start), FormatDate(term->dates.start));
    EXPECT_EQ(FormatDate(one->term.dates.end), FormatDate(term->dates.end));
    EXPECT_EQ(one->term.dates.winter_from.has_value(), term->dates.winter_from.has_value());
    EXPECT_EQ(one->term.dates.summer_from.has_value(), term->dates.summer_from.has_value());
    EXPECT_EQ(one->term.dates.excluded_weekdays, term->dates.excluded_weekdays);
    ASSERT_EQ(one->term.dates.holidays.size(), term->dates.holidays.size());
    for (size_t i = 0; i < term->dates.holidays.size(); ++i) {
      EXPECT_EQ(one->term.dates.holidays[i].name, term->dates.holidays[i].name);
      EXPECT_EQ(FormatDate(one->term.dates.holidays[i].start), FormatDate(term->dates.holidays[i].start));
      EXPECT_EQ(FormatDate(one->term.dates.holidays[i].end), FormatDate(term->dates.holidays[i].end));
    }
    auto bands = db_->Read([&](db::Conn& c) { return BandsOfTerm(c, school, term->id); });
    ASSERT_EQ(one->bands.size(), bands.size());
    for (size_t i = 0; i < bands.size(); ++i) {
      EXPECT_EQ(one->bands[i].kind, bands[i].kind) << i;
      EXPECT_EQ(one->bands[i].season, bands[i].season) << i;
      EXPECT_EQ(one->bands[i].name, bands[i].name) << i;
      EXPECT_EQ(one->bands[i].start, bands[i].start) << i;
      EXPECT_EQ(one->bands[i].end, bands[i].end) << i;
    }
  };
  EXPECT_FALSE(both(school_).has_value());
  // Not current, but containing today: the fallback, with its holidays and bands.
  const Date today = TodayLocal();
  Json now_body{
      {"name", "本学期"},
      {"start_date", FormatDate(AddDays(today, -10))},
      {"end_date", FormatDate(AddDays(today, 100))},
      {"winter_from", FormatDate(AddDays(today, 20))},
      {"holidays",
       {{{"name", "乙"}, {"start_date", FormatDate(AddDays(today, 30))}, {"end_date", FormatDate(AddDays(today, 31))}},
        {{"name", "甲"}, {"start_date", FormatDate(AddDays(today, 5))}, {"end_date", FormatDate(AddDays(today, 6))}}}},
      {"is_current", false}};
  Json now = Term(Principal_(), now_body);
  ASSERT_FALSE(now["is_current"].get<bool>());
  auto bands = ParseBands(
      Json{{"bands",
            {{{"kind", "evening"}, {"name", "晚自习"}, {"start_time", "18:30"}, {"end_time", "20:30"}},
             {{"kind", "after_school"}, {"season", "winter"}, {"start_time", "15:20"}, {"end_time", "17:20"}},
             {{"kind", "morning"}, {"start_time", "07:20"}, {"end_time", "08:00"}},
             {{"kind", "after_school"}, {"season", "summer"}, {"start_time", "15:30"}, {"end_time", "17:40"}}}}});
  ASSERT_TRUE(bands.ok()) << bands.error().message;
  auto put = PutBands(*db_, Principal_(), std::nullopt, now["id"], *bands);
  ASSERT_TRUE(put.ok()) << put.error().message;
  ASSERT_TRUE(both(school_).has_value());
  EXPECT_EQ(both(school_)->term.id, now["id"].get<int64_t>());
  EXPECT_EQ(both(school_)->bands.size(), 4u);
  EXPECT_EQ(both(school_)->term.dates.holidays.size(), 2u);
  same(school_);
  EXPECT_FALSE(both(primary_).has_value());  // another school's term is not its own
  // A current term (another span, its own holiday) wins over the one containing today.
  Json autumn = Term(Principal_(), AutumnBody());
  auto in = ParseTermInput(Json{{"is_current", true}}, false);
  ASSERT_TRUE(UpdateTerm(*db_, Principal_(), std::nullopt, autumn["id"], *in).ok());
  EXPECT_EQ(both(school_)->term.id, autumn["id"].get<int64_t>());
  EXPECT_TRUE(both(school_)->bands.empty());
  same(school_);
}

std::string DbName(const ::testing::TestParamInfo<std::string>& p) { return p.param; }
INSTANTIATE_TEST_SUITE_P(Db, SchoolServiceTest, ::testing::Values("sqlite", "postgres"), DbName);

}  // namespace
}  // namespace kehou::school
