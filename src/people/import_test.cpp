#include "people/import.h"

#include <gtest/gtest.h>

#include "people/rules.h"

namespace kehou::people {
namespace {

const char* kHeader =
    "学号,姓名,性别(男/女),年级(1-9),班级(班号),身份证号,健康备注,留守儿童(是/否),低保家庭(是/否),残疾(是/否),"
    "监护人姓名,监护人关系,监护人手机,第二监护人姓名,第二监护人关系,第二监护人手机\r\n";

std::string Id(const std::string& first17) { return first17 + *IdNumberCheckChar(first17); }

StudentImportContext Ctx() {
  StudentImportContext c;
  c.class_ids[{3, 1}] = 31;
  c.class_ids[{3, 2}] = 32;
  c.class_ids[{7, 1}] = 71;
  c.student_ids["S001"] = 1001;
  c.id_number_owner[Id("11010520150101001")] = "S001";
  c.guardian_mobiles.insert("13800000001");
  c.today = Date{2025, 9, 1};
  return c;
}

Sheet Csv(const std::string& body) {
  auto s = ParseCsv(std::string(kHeader) + body);
  EXPECT_TRUE(s.ok());
  return std::move(s).value();
}

std::string Row(const std::string& no, const std::string& name, const std::string& grade, const std::string& cls,
                const std::string& id, const std::string& mobile, const std::string& extra = "") {
  return no + "," + name + ",男," + grade + "," + cls + "," + id + ",,否,否,否,王父,父亲," + mobile + extra + "\r\n";
}

TEST(PlanStudents, GoodRowsCreateAndUpdate) {
  std::string body =
      Row("S001", "王小明", "3", "1", Id("11010520150101001"), "13800000001") +
      Row("S002", "李小红", "三年级", "2班", Id("11010520150202002"), "13800000002", ",李母,母亲,13900000002") +
      Row("S003", "赵初一", "初一", "1", "", "13800000001");
  auto plan = PlanStudentImport(Csv(body), Ctx());
  ASSERT_TRUE(plan.ok()) << plan.errors[0].reason;
  EXPECT_EQ(plan.total, 3);
  EXPECT_EQ(plan.creates, 2);
  EXPECT_EQ(plan.updates, 1);
  EXPECT_EQ(plan.guardian_creates, 2);  // 13800000002, 13900000002
  ASSERT_EQ(plan.items.size(), 3u);
  EXPECT_EQ(plan.items[0].existing_id, 1001);
  EXPECT_EQ(plan.items[0].input.class_id, 31);
  EXPECT_EQ(plan.items[1].input.class_id, 32);
  EXPECT_EQ(plan.items[2].input.class_id, 71);
  ASSERT_EQ(plan.items[1].input.guardians.size(), 2u);
  EXPECT_EQ(plan.items[1].input.guardians[1].relation, "母亲");
  EXPECT_EQ(plan.items[1].input.gender, "M");
  EXPECT_EQ(plan.items[2].input.id_number, "");
}

TEST(PlanStudents, EveryBadRowReportedAndNothingPlanned) {
  std::string body = Row("S010", "甲", "3", "1", Id("11010520150101011"), "13800000010") +  // 2 ok
                     Row("S010", "乙", "3", "1", "", "13800000011") +                       // 3 dup no
                     Row("S012", "丙", "3", "9", "", "13800000012") +                       // 4 no class
                     Row("S013", "丁", "3", "1", "110105201501010110", "13800000013") +     // 5 bad check
                     Row("S014", "戊", "3", "1", "", "1380000001") +                        // 6 bad mobile
                     Row("S015", "", "3", "1", "", "13800000015") +                         // 7 no name
                     Row("S016", "己", "3", "1", Id("11010520150101011"), "13800000016") +  // 8 dup id
                     Row("S017", "庚", "3", "1", "110105150101011", "13800000017") +        // 9 old id
                     Row("S018", "辛", "3", "1", Id("11010520150101001"), "13800000018");   // 10 id of S001
  auto plan = PlanStudentImport(Csv(body), Ctx());
  ASSERT_FALSE(plan.ok());
  EXPECT_TRUE(plan.items.empty());
  EXPECT_EQ(plan.creates, 0);
  ASSERT_EQ(plan.errors.size(), 8u);
  auto expect = [&](size_t i, int row, const char* col, const char* reason_part) {
    EXPECT_EQ(plan.errors[i].row, row) << i;
    EXPECT_EQ(plan.errors[i].column, col) << i;
    EXPECT_NE(plan.errors[i].reason.find(reason_part), std::string::npos) << plan.errors[i].reason;
    EXPECT_FALSE(plan.errors[i].reason_en.empty());
  };
  expect(0, 3, "学号", "第2行重复");
  expect(1, 4, "班级", "3年级9班");
  expect(2, 5, "身份证号", "校验位");
  expect(3, 6, "监护人手机", "手机号");
  expect(4, 7, "姓名", "不能为空");
  expect(5, 8, "身份证号", "第2行重复");
  expect(6, 9, "身份证号", "15位");
  expect(7, 10, "身份证号", "S001");
}

TEST(PlanStudents, MissingColumnIsHeaderError) {
  auto s = ParseCsv("学号,姓名,性别\r\nS1,甲,男\r\n");
  auto plan = PlanStudentImport(*s, Ctx());
  ASSERT_FALSE(plan.ok());
  for (const auto& e : plan.errors) EXPECT_EQ(e.row, 1);
  EXPECT_EQ(plan.errors[0].column, "年级");
}

TEST(PlanStudents, DuplicateHeaderAndEmpty) {
  auto s = ParseCsv(std::string("学号,") + kHeader);
  auto plan = PlanStudentImport(*s, Ctx());
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.errors[0].reason.find("重复"), std::string::npos);
  auto empty = PlanStudentImport(Csv(""), Ctx());
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.errors[0].reason.find("没有数据"), std::string::npos);
}

TEST(PlanStudents, RowLimit) {
  Sheet s = Csv("");
  SheetRow one = Csv(Row("S1", "甲", "3", "1", "", "13800000001")).rows[0];
  for (size_t i = 0; i < kMaxImportRows; ++i) {
    one.cells[0] = "N" + std::to_string(i);
    one.row = static_cast<int>(i) + 2;
    s.rows.push_back(one);
  }
  EXPECT_TRUE(PlanStudentImport(s, Ctx()).ok());
  s.rows.push_back(one);
  auto plan = PlanStudentImport(s, Ctx());
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.errors.size(), 1u);
}

TEST(PlanStudents, GuardianRules) {
  std::string body = Row("S1", "甲", "3", "1", "", "13800000001", ",乙母,母亲,13800000001") +  // 2: same mobile twice
                     Row("S2", "丙", "3", "1", "", "13800000002", ",,,") +                     // 3: empty second: fine
                     Row("S3", "丁", "3", "1", "", "13800000003", ",,母亲,") +  // 4: half second guardian
                     "S4,戊,男,3,1,,,否,否,否,王某,父亲,13800000002\r\n";       // 5: other name for mobile
  auto plan = PlanStudentImport(Csv(body), Ctx());
  ASSERT_EQ(plan.errors.size(), 4u);
  EXPECT_EQ(plan.errors[0].row, 2);
  EXPECT_EQ(plan.errors[0].column, "第二监护人手机");
  EXPECT_EQ(plan.errors[1].row, 4);
  EXPECT_EQ(plan.errors[1].column, "第二监护人姓名");
  EXPECT_EQ(plan.errors[2].column, "第二监护人手机");
  EXPECT_EQ(plan.errors[3].row, 5);
  EXPECT_EQ(plan.errors[3].column, "监护人姓名");
}

TEST(PlanStudents, DefaultRelationAndFlags) {
  std::string body = "S1,甲,女,3,1,,哮喘,是,否,是,王父,,13800000001\r\n";
  auto plan = PlanStudentImport(Csv(body), Ctx());
  ASSERT_TRUE(plan.ok()) << plan.errors[0].reason;
  const auto& s = plan.items[0].input;
  EXPECT_EQ(s.guardians[0].relation, kDefaultRelation);
  EXPECT_TRUE(s.left_behind);
  EXPECT_FALSE(s.low_income);
  EXPECT_TRUE(s.disability);
  EXPECT_EQ(s.health_notes, "哮喘");
}

TEST(PlanStudents, JsonRowsWithPlainHeaders) {
  auto body = nlohmann::json::parse(R"({"rows":[
    {"学号":"S9","姓名":"王九","性别":"男","年级":3,"班级":2,"监护人姓名":"王父","监护人手机":13800000009},
    {"学号":"S10","姓名":"王十","性别":"女","年级":3,"班级":5,"监护人姓名":"王父","监护人手机":"13800000009"}
  ]})");
  auto sheet = SheetFromImportBody(body);
  ASSERT_TRUE(sheet.ok());
  auto plan = PlanStudentImport(*sheet, Ctx());
  ASSERT_EQ(plan.errors.size(), 1u);
  EXPECT_EQ(plan.errors[0].row, 3);
  EXPECT_EQ(plan.errors[0].column, "班级");
}

TEST(PlanStudents, TemplateExampleIsValid) {
  Sheet s;
  s.headers = TemplateHeaders(ImportKind::kStudents);
  s.rows.push_back({2, TemplateExample(ImportKind::kStudents)});
  auto plan = PlanStudentImport(s, Ctx());
  EXPECT_TRUE(plan.ok()) << plan.errors[0].column << plan.errors[0].reason;
}

TEST(Headers, Normalise) {
  EXPECT_EQ(NormaliseHeader(" 性别(男/女) "), "性别");
  EXPECT_EQ(NormaliseHeader("性别（男/女）"), "性别");
  EXPECT_EQ(NormaliseHeader("监护人 手机"), "监护人手机");
  EXPECT_EQ(NormaliseHeader("学号"), "学号");
  EXPECT_EQ(ParseImportKind("students"), ImportKind::kStudents);
  EXPECT_EQ(ParseImportKind("staff"), ImportKind::kStaff);
  EXPECT_FALSE(ParseImportKind("rooms"));
  EXPECT_FALSE(SheetFromImportBody(nlohmann::json::object()).ok());
}

const char* kStaffHeader = "姓名,性别,类别,学科,手机,所属机构\r\n";

TEST(PlanStaff, CreatesUpdatesAndErrors) {
  StaffImportContext ctx;
  ctx.staff_ids["13700000001"] = 501;
  auto good = ParseCsv(std::string(kStaffHeader) +
                       "张丽,女,退休教师,书法,13700000001,\r\n"
                       "刘强,,机构人员,篮球,13700000002,阳光体育\r\n"
                       "陈静,女,家长志愿者,,13700000003,\r\n");
  auto plan = PlanStaffImport(*good, ctx);
  ASSERT_TRUE(plan.ok()) << plan.errors[0].reason;
  EXPECT_EQ(plan.creates, 2);
  EXPECT_EQ(plan.updates, 1);
  EXPECT_EQ(plan.items[0].existing_id, 501);
  EXPECT_EQ(plan.items[0].input.kind, "retired");
  EXPECT_EQ(plan.items[1].input.gender, "");

  auto bad = ParseCsv(std::string(kStaffHeader) +
                      "张丽,女,校长,书法,13700000001,\r\n"      // 2 kind
                      "刘强,,机构人员,篮球,13700000002,\r\n"    // 3 institution missing
                      "陈静,女,志愿者,,13700000002,\r\n"        // 4 dup mobile
                      "王五,男,在校教师,,,\r\n"                 // 5 mobile missing
                      "赵六,不详,在校教师,,13700000006,\r\n");  // 6 gender
  auto bp = PlanStaffImport(*bad, ctx);
  ASSERT_EQ(bp.errors.size(), 5u);
  EXPECT_TRUE(bp.items.empty());
  EXPECT_EQ(bp.errors[0].column, "类别");
  EXPECT_EQ(bp.errors[1].column, "所属机构");
  EXPECT_EQ(bp.errors[2].row, 4);
  EXPECT_NE(bp.errors[2].reason.find("第3行"), std::string::npos);
  EXPECT_EQ(bp.errors[3].column, "手机");
  EXPECT_EQ(bp.errors[4].column, "性别");
}

TEST(PlanStaff, TemplateExampleIsValid) {
  Sheet s;
  s.headers = TemplateHeaders(ImportKind::kStaff);
  s.rows.push_back({2, TemplateExample(ImportKind::kStaff)});
  EXPECT_TRUE(PlanStaffImport(s, {}).ok());
}

TEST(PlanJson, Shape) {
  StaffImportPlan p;
  p.total = 2;
  p.errors.push_back({3, "手机", "手机号格式错误", "bad mobile"});
  auto j = PlanJson(p);
  EXPECT_EQ(j["ok"], false);
  EXPECT_EQ(j["errors"][0]["row"], 3);
  EXPECT_EQ(j["errors"][0]["column"], "手机");
  EXPECT_EQ(j["total"], 2);
}

}  // namespace
}  // namespace kehou::people
