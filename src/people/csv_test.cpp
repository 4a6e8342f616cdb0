#include "people/csv.h"

#include <gtest/gtest.h>

namespace kehou::people {
namespace {

TEST(Csv, HeaderAndRows) {
  auto s = ParseCsv("学号,姓名\n2025001,王小明\n2025002,李四\n");
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(s->headers.size(), 2u);
  EXPECT_EQ(s->headers[0], "学号");
  ASSERT_EQ(s->rows.size(), 2u);
  EXPECT_EQ(s->rows[0].row, 2);
  EXPECT_EQ(s->rows[0].cells[1], "王小明");
  EXPECT_EQ(s->rows[1].row, 3);
}

TEST(Csv, BomCrlfAndNoFinalNewline) {
  auto s = ParseCsv("\xEF\xBB\xBF学号,姓名\r\n1,甲\r\n2,乙");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->headers[0], "学号");
  ASSERT_EQ(s->rows.size(), 2u);
  EXPECT_EQ(s->rows[1].cells[1], "乙");
}

TEST(Csv, QuotesCommasNewlines) {
  auto s = ParseCsv("a,b,c\r\n\"x,y\",\"say \"\"hi\"\"\",\"line1\r\nline2\"\r\nnext,2,3\r\n");
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->rows.size(), 2u);
  EXPECT_EQ(s->rows[0].cells[0], "x,y");
  EXPECT_EQ(s->rows[0].cells[1], "say \"hi\"");
  EXPECT_EQ(s->rows[0].cells[2], "line1\r\nline2");
  // The record after a multi-line cell is the sheet's next row, not the next line.
  EXPECT_EQ(s->rows[1].row, 3);
}

TEST(Csv, EmptyFieldsAndShortRows) {
  auto s = ParseCsv("a,b,c\n1,,\n2\n\"\",x,\n");
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->rows.size(), 3u);
  EXPECT_EQ(s->rows[0].cells, (std::vector<std::string>{"1", "", ""}));
  EXPECT_EQ(s->rows[1].cells, (std::vector<std::string>{"2", "", ""}));
  EXPECT_EQ(s->rows[2].cells[1], "x");
}

TEST(Csv, BlankRowsSkippedButCounted) {
  auto s = ParseCsv("a,b\n1,2\n\n,\n3,4\n");
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->rows.size(), 2u);
  EXPECT_EQ(s->rows[1].row, 5);
}

TEST(Csv, NotUtf8IsRefusedClearly) {
  // "学号" in GBK: D1 A7 BA C5
  auto s = ParseCsv("a,b\n1,\xD1\xA7\xBA\xC5\n");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, kInvalid);
  EXPECT_NE(s.error().message.find("UTF-8"), std::string::npos);
  EXPECT_NE(s.error().message.find("第2行"), std::string::npos);
}

TEST(Csv, UnclosedQuote) {
  auto s = ParseCsv("a,b\n1,\"open\n2,3\n");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("引号"), std::string::npos);
}

TEST(Csv, EmptyFile) {
  EXPECT_FALSE(ParseCsv("").ok());
  EXPECT_FALSE(ParseCsv("\xEF\xBB\xBF").ok());
  EXPECT_FALSE(ParseCsv("\r\n").ok());
}

TEST(Csv, HeaderOnlyHasNoRows) {
  auto s = ParseCsv("a,b\r\n");
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->rows.empty());
}

TEST(Csv, WriteRoundTrip) {
  std::vector<std::string> rec{"plain", "a,b", "say \"hi\"", "two\nlines", ""};
  std::string out;
  AppendCsvRecord(out, {"h1", "h2", "h3", "h4", "h5"});
  AppendCsvRecord(out, rec);
  auto s = ParseCsv(out);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->rows.size(), 1u);
  EXPECT_EQ(s->rows[0].cells, rec);
}

TEST(JsonRows, NumbersAndRowNumbers) {
  auto j = nlohmann::json::parse(R"([
    {"学号": 2025001, "姓名": "王小明", "年级": 3.0},
    {"学号": "2025002", "姓名": null, "_row": 7},
    {},
    {"学号": "2025003", "班级": {"richText": [{"text": "2"}, {"text": "班"}]}}
  ])");
  auto s = SheetFromJsonRows(j);
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(s->rows.size(), 3u);
  auto col = [&](const std::string& h) {
    for (size_t i = 0; i < s->headers.size(); ++i)
      if (s->headers[i] == h) return i;
    return size_t{999};
  };
  EXPECT_EQ(s->rows[0].row, 2);
  EXPECT_EQ(s->rows[0].cells[col("学号")], "2025001");
  EXPECT_EQ(s->rows[0].cells[col("年级")], "3");
  EXPECT_EQ(s->rows[1].row, 7);
  EXPECT_EQ(s->rows[1].cells[col("姓名")], "");
  EXPECT_EQ(s->rows[2].row, 5);  // index 3 -> row 5; the blank object was skipped
  EXPECT_EQ(s->rows[2].cells[col("班级")], "2班");
  for (auto& r : s->rows) EXPECT_EQ(r.cells.size(), s->headers.size());
}

TEST(JsonRows, MustBeArrayOfObjects) {
  EXPECT_FALSE(SheetFromJsonRows(nlohmann::json::object()).ok());
  EXPECT_FALSE(SheetFromJsonRows(nlohmann::json::parse("[1]")).ok());
}

}  // namespace
}  // namespace kehou::people
