// The staff records import (row errors, all or nothing) and export, on both databases.
#include "staff/records_io.h"

#include <gtest/gtest.h>

#include "catalog/test_fixture.h"
#include "db/testing.h"
#include "people/csv.h"
#include "testkit/xlsx_read.h"

namespace kehou::staff {
namespace {

people::Sheet SheetOf(const std::string& csv) { return *people::ParseCsv(csv); }

TEST(RecordImportPlan, EveryRowErrorAndNothingPlannedWhenAnyRowIsBad) {
  std::map<std::string, int64_t> staff{{"13900000001", 1}, {"13900000002", 2}};
  auto plan = PlanRecordImport(SheetOf("手机号,查询日期,查询结果,证明编号,查询有效期至,协议开始,协议结束,课时费(元)\n"
                                       "13900000001,2026-09-01,通过,Q1,2027-08-31,2026-09-01,2027-01-31,80.5\n"
                                       "13900000009,2026-09-01,通过,,2027-08-31,,,\n"
                                       "13900000002,2026-09-01,合格,,2026-08-31,,2027-01-31,abc\n"),
                               staff);
  EXPECT_FALSE(plan.ok());
  EXPECT_TRUE(plan.items.empty());
  ASSERT_GE(plan.errors.size(), 4u);
  EXPECT_EQ(plan.errors[0].row, 3);
  EXPECT_EQ(plan.errors[0].column, "手机号");
  bool result = false, start = false, rate = false;
  for (auto& e : plan.errors) {
    EXPECT_EQ(e.row == 3 || e.row == 4, true) << e.row;
    result |= e.column == "查询结果";
    start |= e.column == "协议开始";
    rate |= e.column == "课时费";
  }
  EXPECT_TRUE(result && start && rate);
}

TEST(RecordImportPlan, GoodRowsArePlanned) {
  std::map<std::string, int64_t> staff{{"13900000001", 1}};
  auto plan = PlanRecordImport(SheetOf("手机号,查询日期,查询结果,查询有效期至,协议开始,协议结束,课时费\n"
                                       "13900000001,2026-09-01,未通过,2026-09-01,2026-09-01,2026-09-01,1000\n"),
                               staff);
  ASSERT_TRUE(plan.ok()) << plan.errors[0].reason;
  ASSERT_EQ(plan.items.size(), 1u);
  EXPECT_FALSE(plan.items[0].check->passed);
  EXPECT_EQ(plan.items[0].contract->hourly_rate_fen, kMaxHourlyRateFen);
  auto over =
      PlanRecordImport(SheetOf("手机号,协议开始,协议结束,课时费\n13900000001,2026-09-01,2026-09-02,1000.01\n"), staff);
  EXPECT_FALSE(over.ok());  // one fen above the limit
  auto twice = PlanRecordImport(SheetOf("手机号\n13900000001\n13900000001\n"), staff);
  EXPECT_FALSE(twice.ok());
  EXPECT_EQ(YuanToFen("80"), 8000);
  EXPECT_EQ(YuanToFen("80.5"), 8050);
  EXPECT_EQ(YuanToFen("80.05"), 8005);
  EXPECT_FALSE(YuanToFen("80.005"));
  EXPECT_FALSE(YuanToFen("-1"));
}

class RecordsIo : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    t_ = db::MakeTestDb(GetParam());
    m_ = testing::MakeMiniSchool(*t_.db, 1);
  }
  db::Db& db() { return *t_.db; }
  db::TestDb t_;
  testing::MiniSchool m_;
};

TEST_P(RecordsIo, ImportIsAllOrNothingAndAudited) {
  auto bad =
      ImportRecords(db(), m_.office, std::nullopt,
                    {{"csv", "手机号,查询日期,查询结果,查询有效期至\n13900000001,2026-01-01,通过,2025-12-31\n"}});
  ASSERT_TRUE(bad.ok());
  EXPECT_FALSE((*bad)["ok"].get<bool>());
  auto before = db().Read([&](db::Conn& c) {
    return c.QueryOne("SELECT check_date FROM staff_records WHERE staff_id = $1", {m_.staff_id})->Text(0);
  });
  auto good = ImportRecords(db(), m_.office, std::nullopt,
                            {{"rows",
                              {{{"手机号", "13900000001"},
                                {"查询日期", "2026-09-01"},
                                {"查询结果", "未通过"},
                                {"查询有效期至", "2027-08-31"}}}}});
  ASSERT_TRUE(good.ok()) << good.error().message;
  EXPECT_TRUE((*good)["ok"].get<bool>()) << good->dump();
  db().Read([&](db::Conn& c) {
    auto r = c.QueryOne("SELECT check_date, check_result FROM staff_records WHERE staff_id = $1", {m_.staff_id});
    EXPECT_NE(r->Text(0), before);
    EXPECT_EQ(r->Text(1), "failed");
    EXPECT_EQ(c.QueryOne("SELECT COUNT(*) FROM audit_log WHERE action = 'import' AND entity = 'staff_record'")->Int(0),
              1);
  });
  auto x = ExportRecords(db(), m_.office, std::nullopt, nlohmann::json::object());
  ASSERT_TRUE(x.ok()) << x.error().message;
  auto book = testkit::ReadXlsx(x->bytes);
  ASSERT_TRUE(book.ok()) << book.error;
  EXPECT_GE(book.sheets[0].rows.size(), 2u);
  const auto& sheet = book.sheets[0];
  int result = sheet.Column("查询结果"), gate = sheet.Column("能否安排");
  ASSERT_GE(result, 0);
  ASSERT_GE(gate, 0);
  bool found = false;  // the imported failed check shows, and blocks the teacher
  for (size_t r = 1; r < sheet.rows.size(); ++r) {
    if (sheet.Cell(r, result) == "未通过") found = sheet.Cell(r, gate) == "不能安排";
  }
  EXPECT_TRUE(found) << sheet.Text();
}

INSTANTIATE_TEST_SUITE_P(Both, RecordsIo, ::testing::ValuesIn(db::TestDialects()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace kehou::staff
