#include "people/xlsx.h"

#include <gtest/gtest.h>

namespace kehou::people {
namespace {

TEST(Xlsx, BuildsAZipWithTheSheet) {
  auto bytes = BuildXlsx("学生名单", {"学号", "姓名", "身份证号"},
                         {{"0012", "王小明", "110105201603071232"}, {"0013", "李[红]", ""}});
  ASSERT_TRUE(bytes.ok()) << bytes.error().message_en;
  ASSERT_GT(bytes->size(), 1000u);
  EXPECT_EQ(bytes->substr(0, 2), "PK");  // a zip container
}

TEST(Xlsx, OddSheetNamesAreMadeSafe) {
  auto bytes = BuildXlsx("a/b:c*d?[e]这是一个非常非常非常非常非常非常非常非常长的工作表名称", {"h"}, {});
  ASSERT_TRUE(bytes.ok()) << bytes.error().message_en;
  auto empty = BuildXlsx("", {}, {});
  ASSERT_TRUE(empty.ok());
}

}  // namespace
}  // namespace kehou::people
