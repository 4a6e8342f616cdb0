#include "people/rules.h"

#include <gtest/gtest.h>

#include <string>

namespace kehou::people {
namespace {

const Date kToday{2025, 9, 1};

// Builds a valid ID number from region + birth date + sequence.
std::string MakeId(std::string region6, std::string yyyymmdd, std::string seq3) {
  std::string first17 = region6 + yyyymmdd + seq3;
  return first17 + *IdNumberCheckChar(first17);
}

TEST(IdNumber, StandardExampleWithX) {
  auto r = ParseIdNumber("11010519491231002X", kToday);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, "11010519491231002X");
}

TEST(IdNumber, LowercaseXIsNormalised) {
  auto r = ParseIdNumber(" 11010519491231002x ", kToday);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "11010519491231002X");
}

TEST(IdNumber, ChecksumDigit) {
  std::string id = MakeId("440305", "20150612", "123");
  EXPECT_TRUE(ParseIdNumber(id, kToday).ok());
  // Every other check character fails.
  for (char c : std::string("0123456789X")) {
    if (c == id.back()) continue;
    std::string bad = id.substr(0, 17) + c;
    auto r = ParseIdNumber(bad, kToday);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, kInvalid);
    EXPECT_NE(r.error().message.find("校验位"), std::string::npos);
  }
}

TEST(IdNumber, OldFifteenDigitRefusedWithReason) {
  auto r = ParseIdNumber("110105491231002", kToday);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("15位"), std::string::npos);
  EXPECT_EQ(r.error().field, "id_number");
}

TEST(IdNumber, LengthAndCharacters) {
  EXPECT_FALSE(ParseIdNumber("", kToday).ok());
  EXPECT_FALSE(ParseIdNumber("1101051949123100", kToday).ok());     // 16
  EXPECT_FALSE(ParseIdNumber("1101051949123100211", kToday).ok());  // 19
  EXPECT_FALSE(ParseIdNumber("11010519491231A02X", kToday).ok());   // letter inside
  EXPECT_FALSE(ParseIdNumber("X10105194912310021", kToday).ok());
}

TEST(IdNumber, BirthDateMustBeReal) {
  EXPECT_TRUE(ParseIdNumber(MakeId("110105", "20160229", "001"), kToday).ok());   // leap day
  EXPECT_FALSE(ParseIdNumber(MakeId("110105", "20150229", "001"), kToday).ok());  // no such day
  EXPECT_FALSE(ParseIdNumber(MakeId("110105", "20151301", "001"), kToday).ok());
  EXPECT_FALSE(ParseIdNumber(MakeId("110105", "18991231", "001"), kToday).ok());  // before 1900
  EXPECT_TRUE(ParseIdNumber(MakeId("110105", "19000101", "001"), kToday).ok());   // at the limit
  EXPECT_TRUE(ParseIdNumber(MakeId("110105", "20250901", "001"), kToday).ok());   // today
  EXPECT_FALSE(ParseIdNumber(MakeId("110105", "20250902", "001"), kToday).ok());  // tomorrow
}

TEST(IdNumber, RegionCode) {
  EXPECT_FALSE(ParseIdNumber(MakeId("010105", "20150101", "001"), kToday).ok());
  EXPECT_FALSE(ParseIdNumber(MakeId("910105", "20150101", "001"), kToday).ok());
  EXPECT_TRUE(ParseIdNumber(MakeId("810000", "20150101", "001"), kToday).ok());
}

TEST(IdNumber, BirthDateRead) {
  auto d = IdNumberBirthDate("11010519491231002X");
  ASSERT_TRUE(d);
  EXPECT_EQ(*d, (Date{1949, 12, 31}));
  EXPECT_FALSE(IdNumberCheckChar("123"));
}

TEST(Mobile, Valid) {
  EXPECT_EQ(*ParseMobile("13812345678"), "13812345678");
  EXPECT_EQ(*ParseMobile("138 1234 5678"), "13812345678");
  EXPECT_EQ(*ParseMobile("138-1234-5678"), "13812345678");
  EXPECT_EQ(*ParseMobile("+8613812345678"), "13812345678");
  EXPECT_EQ(*ParseMobile("8613812345678"), "13812345678");
  EXPECT_EQ(*ParseMobile("19912345678"), "19912345678");
}

TEST(Mobile, Invalid) {
  EXPECT_FALSE(ParseMobile("").ok());
  EXPECT_FALSE(ParseMobile("1381234567").ok());    // 10 digits
  EXPECT_FALSE(ParseMobile("138123456789").ok());  // 12 digits
  EXPECT_FALSE(ParseMobile("12812345678").ok());   // 12x
  EXPECT_FALSE(ParseMobile("10812345678").ok());
  EXPECT_FALSE(ParseMobile("23812345678").ok());
  EXPECT_FALSE(ParseMobile("1381234567a").ok());
  auto r = ParseMobile("123", "guardian_mobile");
  EXPECT_EQ(r.error().field, "guardian_mobile");
  EXPECT_NE(r.error().message.find("手机号"), std::string::npos);
}

TEST(Gender, Labels) {
  EXPECT_EQ(*ParseGender("男"), "M");
  EXPECT_EQ(*ParseGender(" 女 "), "F");
  EXPECT_EQ(*ParseGender("M"), "M");
  EXPECT_EQ(*ParseGender("female"), "F");
  EXPECT_FALSE(ParseGender("").ok());
  EXPECT_FALSE(ParseGender("未知").ok());
  EXPECT_EQ(GenderLabel("M"), "男");
  EXPECT_EQ(GenderLabel("F"), "女");
  EXPECT_EQ(GenderLabel("?"), "");
}

TEST(YesNo, Values) {
  EXPECT_TRUE(*ParseYesNo("是", "f"));
  EXPECT_FALSE(*ParseYesNo("否", "f"));
  EXPECT_FALSE(*ParseYesNo("", "f"));
  EXPECT_TRUE(*ParseYesNo("Y", "f"));
  EXPECT_TRUE(*ParseYesNo("1", "f"));
  EXPECT_FALSE(*ParseYesNo("0", "f"));
  EXPECT_FALSE(ParseYesNo("可能", "f").ok());
  EXPECT_EQ(YesNoLabel(true), "是");
  EXPECT_EQ(YesNoLabel(false), "否");
}

TEST(Name, TrimAndLimit) {
  EXPECT_EQ(*ParseName("\xE3\x80\x80王小明\xE3\x80\x80 "), "王小明");
  EXPECT_EQ(*ParseName("阿卜杜\xE3\x80\x80 热合曼"), "阿卜杜 热合曼");
  EXPECT_FALSE(ParseName("   ").ok());
  EXPECT_FALSE(ParseName("\xE3\x80\x80").ok());
  std::string thirty, thirty_one;
  for (size_t i = 0; i < kNameMaxChars; ++i) thirty += "名";
  thirty_one = thirty + "字";
  EXPECT_TRUE(ParseName(thirty).ok());
  EXPECT_FALSE(ParseName(thirty_one).ok());
  EXPECT_FALSE(ParseName("王\x01明").ok());
  EXPECT_FALSE(ParseName("\xE7\x8E").ok());
}

TEST(Text, Limit) {
  EXPECT_EQ(*ParseText("  过敏：花生 ", kHealthNotesMaxChars, "health"), "过敏：花生");
  EXPECT_TRUE(ParseText("", kRelationMaxChars, "relation").ok());
  EXPECT_TRUE(ParseText("一二三四五六七八九十", kRelationMaxChars, "relation").ok());
  EXPECT_FALSE(ParseText("一二三四五六七八九十一", kRelationMaxChars, "relation").ok());
}

TEST(StudentNo, Rules) {
  EXPECT_EQ(*ParseStudentNo(" 2025001 "), "2025001");
  EXPECT_EQ(*ParseStudentNo("g110105201501011234"), "G110105201501011234");
  EXPECT_EQ(*ParseStudentNo("2025-01"), "2025-01");
  EXPECT_EQ(*ParseStudentNo("2025001.0"), "2025001");
  EXPECT_FALSE(ParseStudentNo("").ok());
  EXPECT_FALSE(ParseStudentNo("20 25").ok());
  EXPECT_FALSE(ParseStudentNo("学号1").ok());
  EXPECT_TRUE(ParseStudentNo(std::string(kStudentNoMaxChars, '1')).ok());
  EXPECT_FALSE(ParseStudentNo(std::string(kStudentNoMaxChars + 1, '1')).ok());
}

TEST(GradeClass, Parse) {
  EXPECT_EQ(*ParseGradeNumber("3"), 3);
  EXPECT_EQ(*ParseGradeNumber("3.0"), 3);
  EXPECT_EQ(*ParseGradeNumber("三年级"), 3);
  EXPECT_EQ(*ParseGradeNumber("9年级"), 9);
  EXPECT_EQ(*ParseGradeNumber("初一"), 7);
  EXPECT_EQ(*ParseGradeNumber("初三"), 9);
  EXPECT_EQ(*ParseGradeNumber("1"), kGradeMin);
  EXPECT_FALSE(ParseGradeNumber("0").ok());
  EXPECT_FALSE(ParseGradeNumber("10").ok());
  EXPECT_FALSE(ParseGradeNumber("初四").ok());
  EXPECT_FALSE(ParseGradeNumber("").ok());
  EXPECT_EQ(*ParseClassNumber("2"), 2);
  EXPECT_EQ(*ParseClassNumber("2班"), 2);
  EXPECT_EQ(*ParseClassNumber("(2)班"), 2);
  EXPECT_EQ(*ParseClassNumber("（12）班"), 12);
  EXPECT_TRUE(ParseClassNumber("99").ok());
  EXPECT_FALSE(ParseClassNumber("100").ok());
  EXPECT_FALSE(ParseClassNumber("0").ok());
  EXPECT_FALSE(ParseClassNumber("二").ok());
  EXPECT_FALSE(ParseClassNumber("").ok());
}

TEST(StaffKind, LabelsAndCodes) {
  EXPECT_EQ(*ParseStaffKind("在校教师"), "in_school");
  EXPECT_EQ(*ParseStaffKind("退休教师"), "retired");
  EXPECT_EQ(*ParseStaffKind("机构人员"), "institution");
  EXPECT_EQ(*ParseStaffKind("志愿者"), "volunteer");
  EXPECT_EQ(*ParseStaffKind("家长志愿者"), "parent_volunteer");
  EXPECT_EQ(*ParseStaffKind("retired"), "retired");
  EXPECT_FALSE(ParseStaffKind("校长").ok());
  EXPECT_FALSE(ParseStaffKind("").ok());
  for (const char* code : kStaffKinds) {
    auto label = StaffKindLabel(code);
    ASSERT_FALSE(label.empty()) << code;
    EXPECT_EQ(*ParseStaffKind(label), code);
  }
  EXPECT_EQ(StaffKindLabel("nope"), "");
}

TEST(Visibility, ByRole) {
  using auth::Role;
  for (Role r : {Role::kPrincipal, Role::kVicePrincipal, Role::kOfficeDirector, Role::kOfficeStaff}) {
    EXPECT_TRUE(SeesFullIdNumber(r));
    EXPECT_TRUE(SeesFullMobileByRole(r));
    EXPECT_TRUE(SeesCareFlagsByRole(r));
    EXPECT_TRUE(SeesHealthNotesByRole(r));
  }
  for (Role r : {Role::kClassTeacher, Role::kGuard, Role::kSchoolDoctor, Role::kLiaison, Role::kTeacher,
                 Role::kSysAdmin, Role::kGuardian, Role::kCountyOfficer})
    EXPECT_FALSE(SeesFullIdNumber(r));
  EXPECT_FALSE(SeesFullMobileByRole(Role::kLiaison));  // issue 10: masked in lists, as the contract says
  EXPECT_FALSE(SeesFullMobileByRole(Role::kGuard));
  EXPECT_FALSE(SeesFullMobileByRole(Role::kTeacher));
  EXPECT_FALSE(SeesFullMobileByRole(Role::kClassTeacher));  // per row, own class only
  EXPECT_TRUE(SeesHealthNotesByRole(Role::kSchoolDoctor));
  EXPECT_FALSE(SeesCareFlagsByRole(Role::kSchoolDoctor));
  EXPECT_FALSE(SeesHealthNotesByRole(Role::kGuard));
}

}  // namespace
}  // namespace kehou::people
