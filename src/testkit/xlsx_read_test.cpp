#include "testkit/xlsx_read.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <fstream>
#include <sstream>

namespace kehou::testkit {
namespace {

// A workbook written by libxlsxwriter (what the server uses): two sheets, strings, numbers,
// a gap, a formula's cached value.
std::string Written() {
  char path[] = "/tmp/kehou-xlsx-read-XXXXXX";
  int fd = mkstemp(path);
  close(fd);
  lxw_workbook* wb = workbook_new(path);
  lxw_worksheet* a = workbook_add_worksheet(wb, "学生");
  worksheet_write_string(a, 0, 0, "姓名", nullptr);
  worksheet_write_string(a, 0, 1, "身份证号", nullptr);
  worksheet_write_string(a, 1, 0, "王小明", nullptr);
  worksheet_write_string(a, 1, 1, "110105********1232", nullptr);
  worksheet_write_number(a, 3, 2, 12.5, nullptr);   // row 2 left empty, a cell in column C
  worksheet_write_string(a, 4, 27, "AB", nullptr);  // column AB
  lxw_worksheet* b = workbook_add_worksheet(wb, "汇总");
  worksheet_write_number(b, 0, 0, 45, nullptr);
  worksheet_write_formula_num(b, 0, 1, "=A1*2", nullptr, 90);
  EXPECT_EQ(workbook_close(wb), LXW_NO_ERROR);
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  unlink(path);
  return s.str();
}

TEST(ReadXlsx, ReadsEverySheetCellByCell) {
  auto wb = ReadXlsx(Written());
  ASSERT_TRUE(wb.ok()) << wb.error;
  ASSERT_EQ(wb.sheets.size(), 2u);
  const Sheet& s = wb.sheets[0];
  EXPECT_EQ(s.name, "学生");
  EXPECT_EQ(s.Cell(0, 1), "身份证号");
  EXPECT_EQ(s.Cell(1, 0), "王小明");
  EXPECT_EQ(s.Cell(1, 1), "110105********1232");
  EXPECT_EQ(s.Cell(2, 0), "");
  EXPECT_EQ(s.Cell(3, 2), "12.5");
  EXPECT_EQ(s.Cell(4, 27), "AB");
  EXPECT_EQ(s.Cell(99, 99), "");
  EXPECT_EQ(s.Column("身份证号"), 1);
  EXPECT_EQ(s.Column("电话"), -1);
  EXPECT_EQ(s.Lines()[1], "王小明|110105********1232");
  EXPECT_NE(s.Text().find("王小明"), std::string::npos);
  EXPECT_EQ(wb.sheets[1].name, "汇总");
  EXPECT_EQ(wb.sheets[1].Cell(0, 0), "45");
  EXPECT_EQ(wb.sheets[1].Cell(0, 1), "90");
}

TEST(ReadXlsx, RefusesWhatIsNotAWorkbook) {
  EXPECT_FALSE(ReadXlsx("").ok());
  EXPECT_FALSE(ReadXlsx("PK\x03\x04 truncated").ok());
  std::string bytes = Written();
  EXPECT_FALSE(ReadXlsx(bytes.substr(0, bytes.size() / 2)).ok());  // cut in half: no directory
}

}  // namespace
}  // namespace kehou::testkit
