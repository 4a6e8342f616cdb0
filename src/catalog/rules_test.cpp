#include "catalog/rules.h"

#include <gtest/gtest.h>

#include "catalog/test_files.h"

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
  c.institution.clear();  // a subject course is the school's own teacher's (issue 12)
  c.teacher_staff_id = 1;
  c.subject_qa = true;
  c.subject = "数学";
  c.fee_fen = 0;  // subject Q&A is basic service, never charged
  EXPECT_TRUE(ValidateCourse(c).ok());
  c.new_lessons = true;
  auto s = ValidateCourse(c);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, kRuleBroken);
  EXPECT_EQ(s.error().field, "subject_qa");
}

// Issue 11 (R-CRS 3; 001 四(二)2, 004): a named subject needs the Q&A mark; a Q&A course names its
// subject (at most kMaxSubjectLength code points: 20 passes, 21 fails) and is free (0 passes, 1 fen fails).
TEST(CatalogRules, SubjectCoursesAreQaOnlyAndFree) {
  CourseInput c{"数学答疑", "reading", "",    {3},   30, "classroom", 1, "", 1, {{2, "after_school"}},
                0,          false,     false, "数学"};
  auto unmarked = ValidateCourse(c);
  ASSERT_FALSE(unmarked.ok());
  EXPECT_EQ(unmarked.error().code, kRuleBroken);
  EXPECT_EQ(unmarked.error().field, "subject_qa");
  c.subject_qa = true;
  EXPECT_TRUE(ValidateCourse(c).ok());
  c.fee_fen = 1;
  EXPECT_EQ(ValidateCourse(c).error().field, "fee_fen");
  c.fee_fen = 0;
  c.subject = "";
  EXPECT_EQ(ValidateCourse(c).error().field, "subject");
  c.subject = std::string(60, 'a').substr(0, kMaxSubjectLength);
  EXPECT_TRUE(ValidateCourse(c).ok());
  c.subject += "b";
  EXPECT_EQ(ValidateCourse(c).error().field, "subject");
  // An extension course with no subject may charge.
  CourseInput ext{"机器人", "science", "",    {3}, 30, "classroom", 1, "", 1, {{2, "after_school"}},
                  20000,    false,     false, ""};
  EXPECT_TRUE(ValidateCourse(ext).ok());
}

TEST(CatalogRules, ExtensionTargetIsThirty) {
  // Policy 003: 特色拓展课程 ... 增至30门以上.
  EXPECT_EQ(kExtensionCourseTarget, 30);
}

TEST(CatalogRules, OnlyApprovedCoursesOpen) {
  EXPECT_TRUE(CheckCourseOpen("approved").ok());
  for (const char* s : {"draft", "submitted", "reviewed", "rejected", "closed"}) {
    auto r = CheckCourseOpen(s);
    ASSERT_FALSE(r.ok()) << s;
    EXPECT_EQ(r.error().code, kRuleBroken);
  }
  EXPECT_TRUE(CheckCourseStatusEdit("approved", "closed").ok());
  EXPECT_TRUE(CheckCourseStatusEdit("closed", "approved").ok());
  EXPECT_TRUE(CheckCourseStatusEdit("submitted", "submitted").ok());
  EXPECT_FALSE(CheckCourseStatusEdit("submitted", "approved").ok());
  EXPECT_FALSE(CheckCourseStatusEdit("rejected", "approved").ok());
  EXPECT_FALSE(CheckCourseStatusEdit("approved", "draft").ok());
}

TEST(CatalogRules, ProposalStateMachine) {
  using A = ProposalAction;
  EXPECT_EQ(*NextProposalState("draft", A::kSubmit), "submitted");
  EXPECT_EQ(*NextProposalState("returned", A::kSubmit), "submitted");
  EXPECT_EQ(*NextProposalState("submitted", A::kReviewApprove), "reviewed");
  EXPECT_EQ(*NextProposalState("submitted", A::kReviewReturn), "returned");
  EXPECT_EQ(*NextProposalState("reviewed", A::kDecideApprove), "approved");
  EXPECT_EQ(*NextProposalState("reviewed", A::kDecideReject), "rejected");
  // Leadership cannot skip the course group; nothing moves a final decision.
  EXPECT_EQ(NextProposalState("submitted", A::kDecideApprove).error().code, kConflict);
  EXPECT_FALSE(NextProposalState("approved", A::kSubmit).ok());
  EXPECT_FALSE(NextProposalState("rejected", A::kReviewApprove).ok());
  EXPECT_FALSE(NextProposalState("reviewed", A::kReviewReturn).ok());
  EXPECT_FALSE(NextProposalState("submitted", A::kSubmit).ok());
  EXPECT_EQ(CourseStatusForProposal("returned"), "draft");
  EXPECT_EQ(CourseStatusForProposal("reviewed"), "reviewed");
  EXPECT_TRUE(IsProposalState("returned"));
  EXPECT_FALSE(IsProposalState("closed"));
}

TEST(CatalogRules, DecisionReasons) {
  using A = ProposalAction;
  EXPECT_TRUE(CheckDecisionReason(A::kReviewApprove, "").ok());
  EXPECT_EQ(CheckDecisionReason(A::kReviewReturn, "  ").error().field, "reason");
  EXPECT_FALSE(CheckDecisionReason(A::kDecideReject, "").ok());
  std::string at_limit;
  for (size_t i = 0; i < kMaxReasonLength; ++i) at_limit += "字";
  EXPECT_TRUE(CheckDecisionReason(A::kDecideReject, at_limit).ok());
  EXPECT_FALSE(CheckDecisionReason(A::kDecideReject, at_limit + "字").ok());
}

TEST(CatalogRules, LessonPlanSizeLimit) {
  EXPECT_EQ(kMaxLessonPlanBytes, size_t{10} * 1024 * 1024);
  auto at = CheckLessonPlan("教案.pdf", testing::MakePdf(kMaxLessonPlanBytes));
  ASSERT_TRUE(at.ok()) << at.error().message;
  EXPECT_EQ(at->content_type, kPdfType);
  auto over = CheckLessonPlan("教案.pdf", testing::MakePdf(kMaxLessonPlanBytes + 1));
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, kTooLarge);
  EXPECT_EQ(over.error().field, "plan");
  EXPECT_EQ(CheckLessonPlan("a.pdf", "").error().code, kInvalid);
}

TEST(CatalogRules, LessonPlanTypesFromContent) {
  EXPECT_EQ(DetectLessonPlanType(testing::MakePdf(100)), kPdfType);
  EXPECT_EQ(DetectLessonPlanType(std::string("\x89PNG\r\n\x1a\n", 8) + "rest"), kPngType);
  EXPECT_EQ(DetectLessonPlanType(std::string("\xFF\xD8\xFF\xE0", 4) + "JFIF"), kJpegType);
  EXPECT_EQ(DetectLessonPlanType(testing::MakeDocx()), kDocxType);
  // A ZIP without word/ (an .xlsx, a plain archive) is not a DOCX.
  EXPECT_EQ(DetectLessonPlanType(testing::MakeZip({"xl/workbook.xml"})), "");
  EXPECT_EQ(DetectLessonPlanType(testing::MakeZip({"notes.txt"})), "");
  EXPECT_EQ(DetectLessonPlanType("PK\x03\x04 truncated"), "");
  EXPECT_EQ(DetectLessonPlanType("GIF89a....."), "");
  EXPECT_EQ(DetectLessonPlanType("MZ\x90\x00"), "");
  EXPECT_EQ(DetectLessonPlanType("%PD"), "");

  EXPECT_TRUE(CheckLessonPlan("教案.docx", testing::MakeDocx()).ok());
  EXPECT_TRUE(CheckLessonPlan("page1.PNG", std::string("\x89PNG\r\n\x1a\n", 8)).ok());
  EXPECT_TRUE(CheckLessonPlan("scan.jpeg", std::string("\xFF\xD8\xFF\xE0", 4)).ok());
  EXPECT_TRUE(CheckLessonPlan("scan.jpg", std::string("\xFF\xD8\xFF\xE0", 4)).ok());
  auto exe = CheckLessonPlan("教案.pdf", "MZ\x90\x00 program");
  ASSERT_FALSE(exe.ok());
  EXPECT_EQ(exe.error().code, kRuleBroken);
  EXPECT_NE(exe.error().message.find("PDF"), std::string::npos);
  // The extension must agree with the content.
  auto renamed = CheckLessonPlan("教案.docx", testing::MakePdf(50));
  ASSERT_FALSE(renamed.ok());
  EXPECT_EQ(renamed.error().code, kRuleBroken);
  EXPECT_FALSE(CheckLessonPlan("plan", testing::MakePdf(50)).ok());
}

TEST(CatalogRules, FileNamesAreSanitized) {
  EXPECT_EQ(SanitizeFileName("../../etc/passwd"), "passwd");
  EXPECT_EQ(SanitizeFileName("C:\\教案\\第一课.pdf"), "第一课.pdf");
  EXPECT_EQ(SanitizeFileName("a\"b\r\n.pdf"), "ab.pdf");
  EXPECT_EQ(SanitizeFileName(".hidden.pdf"), "hidden.pdf");
  EXPECT_EQ(SanitizeFileName("/"), "");
  auto r = CheckLessonPlan("../x/教案.pdf", testing::MakePdf(20));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->filename, "教案.pdf");
}

}  // namespace
}  // namespace kehou::catalog
