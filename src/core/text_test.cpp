#include "core/text.h"

#include <gtest/gtest.h>

namespace kehou {

TEST(Text, TrimsAsciiAndFullWidthSpace) {
  EXPECT_EQ(Trim("  张三\t"), "张三");
  EXPECT_EQ(Trim("\xE3\x80\x80李四\xE3\x80\x80"), "李四");
  EXPECT_EQ(Trim("   "), "");
}

TEST(Text, Utf8) {
  EXPECT_EQ(Utf8Length("王小明"), 3u);
  EXPECT_TRUE(ValidUtf8("王小明abc"));
  EXPECT_FALSE(ValidUtf8("\xE7\x8E"));
}

TEST(Text, ParseIntWholeStringOnly) {
  EXPECT_EQ(ParseInt("42"), 42);
  EXPECT_EQ(ParseInt("-7"), -7);
  EXPECT_FALSE(ParseInt("4x"));
  EXPECT_FALSE(ParseInt(""));
  EXPECT_EQ(Split("a,b,,c", ',').size(), 4u);
}

}  // namespace kehou
