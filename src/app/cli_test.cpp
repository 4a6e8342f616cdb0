// The command line's identity (`kehou import students FILE --school N`): issue 10 §2 found it
// refused with "无权修改" because the CLI principal had no school scope.
#include <gtest/gtest.h>
#include <sodium.h>

#include "app/setup.h"
#include "db/testing.h"
#include "people/service.h"

namespace kehou::app {
namespace {

class Cli : public ::testing::TestWithParam<std::string> {};

TEST_P(Cli, ImportStudentsIntoTheSchoolGiven) {
  ASSERT_GE(sodium_init(), 0);
  auto t = db::MakeTestDb(GetParam());
  if (!t.db) GTEST_SKIP() << "KEHOU_TEST_PG not set";
  auto school = CreateSchool(*t.db, {"临江市", "青山县", "17:00", "青山县第三小学", "primary", "public"});
  ASSERT_TRUE(school.ok()) << school.error().message;
  t.db->Write([&](db::Conn& c) {
    auto grade = c.QueryOne("SELECT id FROM grades WHERE school_id = $1 AND number = 3", {school->school_id});
    ASSERT_TRUE(grade.has_value());
    c.Exec("INSERT INTO classes (school_id, grade_id, name, number) VALUES ($1, $2, '三年级(1)班', 1)",
           {school->school_id, grade->Int(0)});
  });
  const std::string csv =
      "学号,姓名,性别(男/女),年级(1-9),班级(班号),身份证号,健康备注,留守儿童(是/否),低保家庭(是/否),残疾(是/否),"
      "监护人姓名,监护人关系,监护人手机,第二监护人姓名,第二监护人关系,第二监护人手机\r\n"
      "C001,王小明,男,3,1,,,否,否,否,王父,父亲,13800000001\r\n";
  const auth::Principal cli = CliPrincipal(school->school_id, "命令行导入");
  auto preview = people::PreviewImport(*t.db, cli, "students", {{"csv", csv}}, school->school_id);
  ASSERT_TRUE(preview.ok()) << preview.error().message;
  auto r = people::RunImport(*t.db, cli, "students", {{"csv", csv}}, school->school_id);
  ASSERT_TRUE(r.ok()) << r.error().message;  // was: 无权修改
  EXPECT_TRUE(r->ok) << r->body.dump();
  auto n = t.db->Read([&](db::Conn& c) {
    return c.QueryOne("SELECT COUNT(*) FROM students WHERE school_id = $1", {school->school_id})->Int(0);
  });
  EXPECT_EQ(n, 1);
}

INSTANTIATE_TEST_SUITE_P(Both, Cli, ::testing::ValuesIn(db::TestDialects()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace kehou::app
