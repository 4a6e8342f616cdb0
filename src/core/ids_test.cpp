#include "core/ids.h"

#include <gtest/gtest.h>

#include <string>

namespace kehou {
namespace {

TEST(IdNumber, CheckCharacterOfKnownNumbers) {
  EXPECT_EQ(IdNumberCheckChar("11010519491231002"), 'X');  // the GB 11643 example
  EXPECT_EQ(IdNumberCheckChar("44052418800101001"), '4');
  EXPECT_EQ(IdNumberCheckChar("1101051949123100"), std::nullopt);  // 16 digits
  EXPECT_EQ(IdNumberCheckChar("1101051949123100A"), std::nullopt);
  EXPECT_TRUE(ValidIdNumber("11010519491231002X"));
  EXPECT_FALSE(ValidIdNumber("11010519491231002x"));   // normalising x is the caller's (people::ParseIdNumber)
  EXPECT_FALSE(ValidIdNumber("110105194912310021"));   // wrong check character
  EXPECT_FALSE(ValidIdNumber("11010519491231002"));    // 17 characters
  EXPECT_FALSE(ValidIdNumber("11010519491231002XX"));  // 19
}

TEST(IdNumber, InvalidDateIsRefusedEvenWithRightCheck) {
  std::string first17 = "11010519490230002";  // 30 February
  EXPECT_FALSE(ValidIdNumber(first17 + *IdNumberCheckChar(first17)));
  EXPECT_EQ(IdNumberBirthDate("11010519491231002X"), (Date{1949, 12, 31}));
  EXPECT_EQ(IdNumberBirthDate("110105194902300020"), std::nullopt);
}

TEST(Mobile, MainlandShape) {
  EXPECT_TRUE(ValidMobile("13800138000"));
  EXPECT_TRUE(ValidMobile("19912345678"));
  EXPECT_FALSE(ValidMobile("12800138000"));  // 1[3-9] only
  EXPECT_FALSE(ValidMobile("10800138000"));
  EXPECT_FALSE(ValidMobile("23800138000"));
  EXPECT_FALSE(ValidMobile("1380013800"));    // 10 digits
  EXPECT_FALSE(ValidMobile("138001380001"));  // 12
  EXPECT_FALSE(ValidMobile("1380013800a"));
  EXPECT_FALSE(ValidMobile(""));
}

}  // namespace
}  // namespace kehou
