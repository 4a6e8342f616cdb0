#include "people/xlsx.h"

#include <gtest/gtest.h>

#include "people/xlsx_lazy.h"
#include "testkit/xlsx_read.h"

namespace kehou::people {
namespace {

TEST(Xlsx, BuildsAZipWithTheSheet) {
  auto bytes = BuildXlsx("学生名单", {"学号", "姓名", "身份证号"},
                         {{"0012", "王小明", "110105201603071232"}, {"0013", "李[红]", ""}});
  ASSERT_TRUE(bytes.ok()) << bytes.error().message_en;
  ASSERT_GT(bytes->size(), 1000u);
  auto book = testkit::ReadXlsx(*bytes);
  ASSERT_TRUE(book.ok()) << book.error;
  ASSERT_EQ(book.sheets.size(), 1u);
  EXPECT_EQ(book.sheets[0].name, "学生名单");
  // Text cells: the student number keeps its leading zeros, the ID number all 18 digits.
  EXPECT_EQ(book.sheets[0].Lines(),
            (std::vector<std::string>{"学号|姓名|身份证号", "0012|王小明|110105201603071232", "0013|李[红]"}));
}

// libxlsxwriter is opened on the first export (xlsx_lazy.h); a missing library is named, in Chinese
// and English, instead of failing at process start.
TEST(Xlsx, TheLibraryIsOpenedOnFirstUseAndAMissingOneIsNamed) {
  const internal::Xlsxwriter& lib = internal::XlsxLib();
  EXPECT_EQ(lib.error, "");
  EXPECT_NE(lib.workbook_new_opt, nullptr);
  internal::Xlsxwriter missing = internal::LoadXlsxwriter("libkehou-no-such-xlsxwriter.so.4");
  EXPECT_EQ(missing.handle, nullptr);
  EXPECT_EQ(missing.workbook_new_opt, nullptr);
  EXPECT_NE(missing.error.find("Excel 组件"), std::string::npos) << missing.error;
  EXPECT_NE(missing.error.find("cannot load libkehou-no-such-xlsxwriter.so.4"), std::string::npos) << missing.error;
}

TEST(Xlsx, OddSheetNamesAreMadeSafe) {
  auto bytes = BuildXlsx("a/b:c*d?[e]这是一个非常非常非常非常非常非常非常非常长的工作表名称", {"h"}, {});
  ASSERT_TRUE(bytes.ok()) << bytes.error().message_en;
  auto book = testkit::ReadXlsx(*bytes);
  ASSERT_TRUE(book.ok()) << book.error;
  EXPECT_EQ(book.sheets[0].name.find_first_of("/:*?[]"), std::string::npos) << book.sheets[0].name;
  EXPECT_EQ(book.sheets[0].Cell(0, 0), "h");
  auto empty = BuildXlsx("", {}, {});
  ASSERT_TRUE(empty.ok());
}

}  // namespace
}  // namespace kehou::people
