// Staff records, the blocked list and institutions on both databases (store and service).
#include "staff/service.h"

#include <gtest/gtest.h>

#include "catalog/test_fixture.h"
#include "db/testing.h"

namespace kehou::staff {
namespace {

class StaffService : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    t_ = db::MakeTestDb(GetParam());
    m_ = testing::MakeMiniSchool(*t_.db, 2);
    db().Write([&](db::Conn& c) {
      int64_t now = NowMs();
      unchecked_ = c.Insert(
          "INSERT INTO staff (school_id, name, kind, mobile, created_at, updated_at)"
          " VALUES ($1, '李老师', 'retired', '13900000002', $2, $2) RETURNING id",
          {m_.school_id, now});
      other_staff_ = c.Insert(
          "INSERT INTO staff (school_id, name, kind, mobile, created_at, updated_at)"
          " VALUES ($1, '别校老师', 'in_school', '13900000003', $2, $2) RETURNING id",
          {m_.other_school_id, now});
      area_ = c.QueryOne("SELECT area_id FROM schools WHERE id = $1", {m_.school_id})->Int(0);
    });
    county_.user_id = 9;
    county_.login = "county";
    county_.role = auth::Role::kCountyOfficer;
    county_.area_id = area_;
    county_.scope = auth::Scope::kArea;
  }
  db::Db& db() { return *t_.db; }
  Status Gate(int64_t staff) {
    return db().Read([&](db::Conn& c) { return CheckAssignable(c, m_.school_id, staff, std::nullopt, TodayLocal()); });
  }
  db::TestDb t_;
  testing::MiniSchool m_;
  int64_t unchecked_ = 0, other_staff_ = 0, area_ = 0;
  auth::Principal county_;
};

TEST_P(StaffService, TheBlockedListNamesWhoCannotServeAndWhy) {
  auto all = ListRecords(db(), m_.office, std::nullopt, Json::object());
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ((*all)["total"], 2);
  EXPECT_EQ((*all)["blocked"], 1);
  auto blocked = ListRecords(db(), m_.office, std::nullopt, {{"blocked", true}});
  ASSERT_TRUE(blocked.ok());
  ASSERT_EQ((*blocked)["items"].size(), 1u);
  EXPECT_EQ((*blocked)["items"][0]["staff_id"], unchecked_);
  EXPECT_NE((*blocked)["items"][0]["gate"]["reason"].get<std::string>().find("没有违法犯罪信息查询记录"),
            std::string::npos);
  EXPECT_TRUE(Gate(m_.staff_id).ok());
  EXPECT_FALSE(Gate(unchecked_).ok());
}

TEST_P(StaffService, RecordsAreSavedAuditedAndGateTheTeacher) {
  Date today = TodayLocal();
  Json body{
      {"qualifications", "书法高级教师"},
      {"check",
       {{"date", FormatDate(AddDays(today, -400))},
        {"result", "passed"},
        {"certificate_no", "Q-9"},
        {"valid_until", FormatDate(AddDays(today, -1))}}},
      {"contract",
       {{"start", FormatDate(AddDays(today, -30))},
        {"end", FormatDate(AddDays(today, 365))},
        {"hourly_rate_fen", 8000}}},
      {"willingness", {{"weekdays", {2, 4}}, {"bands", {"after_school"}}, {"content", "书法"}, {"max_hours", 4}}}};
  auto saved = SaveRecord(db(), m_.office, std::nullopt, unchecked_, body);
  ASSERT_TRUE(saved.ok()) << saved.error().message;
  EXPECT_FALSE((*saved)["gate"]["ok"].get<bool>());
  EXPECT_NE((*saved)["gate"]["reason"].get<std::string>().find("过期"), std::string::npos);
  EXPECT_EQ((*saved)["willingness"]["weekdays"], Json({2, 4}));
  // Renewed on its last valid day: passes.
  body = {{"check", {{"date", FormatDate(today)}, {"result", "passed"}, {"valid_until", FormatDate(today)}}}};
  ASSERT_TRUE(SaveRecord(db(), m_.office, std::nullopt, unchecked_, body).ok());
  EXPECT_TRUE(Gate(unchecked_).ok());
  // Trainings count against 2 a term.
  for (int i = 0; i < 2; ++i)
    ASSERT_TRUE(AddTraining(db(), m_.office, std::nullopt, unchecked_,
                            {{"held_on", FormatDate(today)}, {"hours", 2}, {"topic", "安全培训"}})
                    .ok());
  auto rec = GetRecord(db(), m_.office, std::nullopt, unchecked_);
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ((*rec)["training_sessions"], 2);
  EXPECT_TRUE((*rec)["training_complete"].get<bool>());
  EXPECT_EQ((*rec)["trainings"].size(), 2u);
  auto audits = db().Read([](db::Conn& c) {
    return c.QueryOne("SELECT COUNT(*) FROM audit_log WHERE entity IN ('staff_record','staff_training')")->Int(0);
  });
  EXPECT_EQ(audits, 5);  // two saves, two trainings, one personal read
  // Bad input names the field.
  auto bad = SaveRecord(db(), m_.office, std::nullopt, unchecked_,
                        {{"check", {{"date", "2026-01-01"}, {"result", "ok"}, {"valid_until", "2027-01-01"}}}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "check.result");
}

TEST_P(StaffService, AnotherSchoolsStaffIsNotFound) {
  auto g = GetRecord(db(), m_.office, std::nullopt, other_staff_);
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().code, kNotFound);
  auto s = SaveRecord(db(), m_.office, std::nullopt, other_staff_, {{"qualifications", "x"}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, kNotFound);
}

TEST_P(StaffService, InstitutionsListContractExitAndRemoval) {
  // Only the county keeps the list.
  Json inst{{"name", "青山科创中心"},
            {"licence_no", "L-1"},
            {"filing_no", "备-2026-01"},
            {"categories", {"science"}},
            {"review_date", "2027-06-30"}};
  EXPECT_EQ(CreateInstitution(db(), m_.office, inst).error().code, kForbidden);
  Json subject = inst;
  subject["categories"] = {"math"};
  EXPECT_EQ(CreateInstitution(db(), county_, subject).error().code, kRuleBroken);
  auto i = CreateInstitution(db(), county_, inst);
  ASSERT_TRUE(i.ok()) << i.error().message;
  int64_t iid = (*i)["id"];
  // The institution's teacher: checked and contracted, but the school has no contract yet.
  Date today = TodayLocal();
  Json rec{
      {"institution_id", iid},
      {"check", {{"date", FormatDate(today)}, {"result", "passed"}, {"valid_until", FormatDate(AddDays(today, 365))}}},
      {"contract", {{"start", FormatDate(AddDays(today, -60))}, {"end", FormatDate(AddDays(today, 365))}}}};
  ASSERT_TRUE(SaveRecord(db(), m_.office, std::nullopt, unchecked_, rec).ok());
  EXPECT_FALSE(Gate(unchecked_).ok());
  Json k{{"institution_id", iid},
         {"start_date", FormatDate(AddDays(today, -30))},
         {"end_date", FormatDate(AddDays(today, 200))},
         {"no_promotion", true},
         {"safety_duties", true},
         {"assistant_staff_id", m_.staff_id}};
  Json no_rules = k;
  no_rules["no_promotion"] = false;
  EXPECT_EQ(CreateContract(db(), m_.office, std::nullopt, no_rules).error().code, kRuleBroken);
  auto contract = CreateContract(db(), m_.office, std::nullopt, k);
  ASSERT_TRUE(contract.ok()) << contract.error().message;
  EXPECT_TRUE(Gate(unchecked_).ok());
  // The county's view lists the school; removal names it and blocks new contracts.
  auto removed = UpdateInstitution(db(), county_, iid, {{"listed", false}, {"removed_reason", "证照过期"}});
  ASSERT_TRUE(removed.ok()) << removed.error().message;
  ASSERT_EQ((*removed)["affected_schools"].size(), 1u);
  EXPECT_EQ((*removed)["affected_schools"][0]["id"], m_.school_id);
  auto again = CreateContract(db(), m_.office, std::nullopt, k);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().message.find("遴选名单"), std::string::npos);
  // Exit with a reason: none of its staff can be assigned.
  EXPECT_EQ(ExitContract(db(), m_.office, std::nullopt, (*contract)["id"], {{"reason", " "}}).error().code, kInvalid);
  auto exited = ExitContract(db(), m_.office, std::nullopt, (*contract)["id"], {{"reason", "满意度低"}});
  ASSERT_TRUE(exited.ok()) << exited.error().message;
  auto gate = Gate(unchecked_);
  ASSERT_FALSE(gate.ok());
  EXPECT_NE(gate.error().message.find("已退出"), std::string::npos) << gate.error().message;
  auto listed = ListInstitutions(db(), m_.office, std::nullopt);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ((*listed)["items"][0]["contracts"][0]["status"], "exited");
}

INSTANTIATE_TEST_SUITE_P(Both, StaffService, ::testing::ValuesIn(db::TestDialects()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace kehou::staff
