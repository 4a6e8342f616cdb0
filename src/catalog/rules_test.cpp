#include "catalog/rules.h"

#include <gtest/gtest.h>

namespace kehou::catalog {
namespace {

TEST(CatalogRules, SectionSizeFortyFivePassesFortySixFails) {
  EXPECT_TRUE(CheckSectionCapacity(kMaxSectionSize).ok());
  EXPECT_TRUE(CheckSectionCapacity(1).ok());
  auto s = CheckSectionCapacity(kMaxSectionSize + 1);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, kRuleBroken);
  EXPECT_NE(s.error().message.find("45"), std::string::npos);
  EXPECT_FALSE(CheckSectionCapacity(0).ok());
  EXPECT_EQ(kMaxSectionSize, 45);
}

TEST(CatalogRules, RoomForManualPlacement) {
  EXPECT_TRUE(CheckRoom(44, 45).ok());
  EXPECT_FALSE(CheckRoom(45, 45).ok());
  EXPECT_FALSE(CheckRoom(30, 30).ok());
  EXPECT_TRUE(CheckRoom(29, 30).ok());
  EXPECT_FALSE(CheckRoom(40, 45, 6).ok());
  EXPECT_TRUE(CheckRoom(40, 45, 5).ok());
  EXPECT_TRUE(CheckCapacityCovers(10, 10).ok());
  EXPECT_FALSE(CheckCapacityCovers(9, 10).ok());
}

TEST(CatalogRules, SlotsParseFormatAndClash) {
  auto s = ParseSlots("2:after_school, 4:after_school");
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->size(), 2u);
  EXPECT_EQ(FormatSlots(*s), "2:after_school,4:after_school");
  EXPECT_FALSE(ParseSlots("6:after_school").ok());
  EXPECT_FALSE(ParseSlots("0:noon").ok());
  EXPECT_TRUE(ParseSlots("5:noon").ok());
  EXPECT_FALSE(ParseSlots("2:lunch").ok());
  EXPECT_FALSE(ParseSlots("2:noon,2:noon").ok());
  auto a = *ParseSlots("1:after_school,3:after_school");
  auto b = *ParseSlots("3:after_school");
  auto c = *ParseSlots("3:noon");
  EXPECT_TRUE(SlotsClash(a, b));
  EXPECT_FALSE(SlotsClash(a, c));
  EXPECT_EQ(DescribeSlotZh(b[0]), "周三课后");
}

TEST(CatalogRules, Grades) {
  auto g = ParseGrades("5,3,3,4");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(FormatGrades(*g), "3,4,5");
  EXPECT_FALSE(ParseGrades("0").ok());
  EXPECT_FALSE(ParseGrades("10").ok());
  EXPECT_TRUE(ParseGrades("9").ok());
  EXPECT_TRUE(GradeIn(4, *g));
  EXPECT_FALSE(GradeIn(6, *g));
}

CourseInput Good() {
  CourseInput c;
  c.name = "机器人编程";
  c.category = "science";
  c.grades = {3, 4};
  c.capacity = 90;
  c.institution = "青少年科技中心";
  c.sessions_per_week = 2;
  c.slots = *ParseSlots("2:after_school,4:after_school");
  c.fee_fen = 30000;
  return c;
}

TEST(CatalogRules, CourseValidation) {
  EXPECT_TRUE(ValidateCourse(Good()).ok());
  for (auto& cat : Categories()) {
    auto c = Good();
    c.category = cat;
    EXPECT_TRUE(ValidateCourse(c).ok()) << cat;
  }
  auto c = Good();
  c.category = "math";
  EXPECT_EQ(ValidateCourse(c).error().field, "category");
  c = Good();
  c.slots.pop_back();
  EXPECT_EQ(ValidateCourse(c).error().field, "slots");
  c = Good();
  c.institution.clear();
  EXPECT_EQ(ValidateCourse(c).error().field, "teacher_staff_id");
  c = Good();
  c.fee_fen = -1;
  EXPECT_EQ(ValidateCourse(c).error().field, "fee_fen");
  c = Good();
  c.sessions_per_week = kMaxSessionsPerWeek + 1;
  EXPECT_FALSE(ValidateCourse(c).ok());
  c = Good();
  c.grades.clear();
  EXPECT_EQ(ValidateCourse(c).error().field, "grades");
}

TEST(CatalogRules, SubjectCoursesAreQaOnly) {
  auto c = Good();
  c.subject_qa = true;
  EXPECT_TRUE(ValidateCourse(c).ok());
  c.new_lessons = true;
  auto s = ValidateCourse(c);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, kRuleBroken);
  EXPECT_EQ(s.error().field, "subject_qa");
}

}  // namespace
}  // namespace kehou::catalog
