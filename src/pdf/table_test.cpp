#include "pdf/table.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <numeric>
#include <thread>

namespace kehou::pdf {
namespace {

// "/Type /Page" objects (not "/Type /Pages") in the file.
int CountPageObjects(const std::string& pdf) {
  int n = 0;
  for (size_t at = pdf.find("/Type /Page"); at != std::string::npos; at = pdf.find("/Type /Page", at + 1))
    if (at + 11 >= pdf.size() || pdf[at + 11] != 's') ++n;
  return n;
}

std::string Name(int i) {
  static const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"};
  static const char* kGiven[] = {"小明", "欣怡", "子涵", "浩然", "梓萱", "宇轩", "雨桐", "俊杰", "诗涵", "一诺"};
  return std::string(kSurnames[i % 10]) + kGiven[(i / 10) % 10];
}

TableDocument Roster(int n) {
  TableDocument d;
  d.title = "机器人 1班 学生名单";
  d.subtitles = {"学期：2025-2026 学年第一学期　教师：王老师　场地：科学教室",
                 "时段：周二 课后　人数：" + std::to_string(n) + " / 45"};
  d.columns = {
      {"序号", 0.6, Align::kCenter}, {"姓名", 1.2}, {"性别", 0.6, Align::kCenter}, {"班级", 1.6}, {"监护人电话", 1.4}};
  for (int i = 0; i < n; ++i)
    d.rows.push_back({std::to_string(i + 1), Name(i), i % 2 ? "女" : "男",
                      "三年级(" + std::to_string(i % 4 + 1) + ")班", "138****" + std::to_string(1000 + i)});
  d.header_left = "测试小学";
  d.footer_left = "打印时间 2025-09-10 08:00";
  d.created = "2025-09-10T08:00:00";
  return d;
}

// pdftotext drops the spaces around CJK text.
std::string NoSpaces(std::string s) {
  std::erase(s, ' ');
  return s;
}

// pdftotext (poppler-utils) if the machine has it: the text of each page.
std::optional<std::vector<std::string>> PagesText(const std::string& pdf) {
  if (std::system("command -v pdftotext >/dev/null 2>&1") != 0) return std::nullopt;
  std::string path = ::testing::TempDir() + "kehou_pdf_" + std::to_string(::getpid()) + ".pdf";
  std::ofstream(path, std::ios::binary) << pdf;
  std::string cmd = "pdftotext -layout '" + path + "' -";
  FILE* f = popen(cmd.c_str(), "r");
  if (!f) return std::nullopt;
  std::string text;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
  pclose(f);
  std::remove(path.c_str());
  std::vector<std::string> pages(1);
  for (char c : text) {
    if (c == '\f') pages.emplace_back();
    else pages.back() += c;
  }
  if (pages.back().empty()) pages.pop_back();
  return pages;
}

TEST(PdfTable, PageLabel) {
  EXPECT_EQ(PageLabel(1, 3), "第 1 页 / 共 3 页");
  EXPECT_EQ(PageLabel(12, 12), "第 12 页 / 共 12 页");
}

TEST(PdfTable, HundredChineseRowsSpanPagesWithTheHeaderRowOnEach) {
  auto r = RenderTable(Roster(100));
  ASSERT_TRUE(r.ok()) << r.error().message_en;
  ASSERT_GT(r->bytes.size(), 1000u);
  EXPECT_EQ(r->bytes.substr(0, 5), "%PDF-");
  EXPECT_NE(r->bytes.find("%%EOF", r->bytes.size() - 16), std::string::npos);
  EXPECT_GE(r->pages, 3);
  EXPECT_EQ(CountPageObjects(r->bytes), r->pages);
  ASSERT_EQ(r->rows_per_page.size(), static_cast<size_t>(r->pages));
  EXPECT_EQ(std::accumulate(r->rows_per_page.begin(), r->rows_per_page.end(), 0), 100);
  for (int n : r->rows_per_page) EXPECT_GT(n, 0);
  // Later pages have no title block, so they hold more rows than the first.
  EXPECT_GT(r->rows_per_page[1], r->rows_per_page[0]);
  EXPECT_EQ(r->missing_glyphs, 0) << "is fonts-noto-cjk installed?";
  EXPECT_EQ(r->clipped_cells, 0);

  auto pages = PagesText(r->bytes);
  if (!pages) GTEST_SKIP() << "pdftotext not installed: text checks skipped";
  ASSERT_EQ(pages->size(), static_cast<size_t>(r->pages));
  for (size_t p = 0; p < pages->size(); ++p) {
    const std::string& t = (*pages)[p];
    EXPECT_NE(t.find("监护人电话"), std::string::npos) << "header row on page " << p + 1;
    EXPECT_NE(NoSpaces(t).find(NoSpaces(PageLabel(static_cast<int>(p + 1), r->pages))), std::string::npos) << t;
    EXPECT_NE(t.find("测试小学"), std::string::npos);
  }
  EXPECT_NE(pages->front().find("机器人 1班 学生名单"), std::string::npos);
  EXPECT_NE(pages->front().find(Name(0)), std::string::npos);
  EXPECT_NE(pages->back().find("138****1099"), std::string::npos);
}

// One column of 507.276 pt for text (A4 less margins and cell padding); CJK ideographs are one
// em (10 pt) wide, so 50 fit on a line: 100 make exactly kMaxCellLines lines, 101 are cut.
TEST(PdfTable, CellsWrapToTwoLinesAndAreCutAfter) {
  auto cjk = [](int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += "课";
    return s;
  };
  TableDocument d;
  d.title = "长文本";
  d.columns = {{"备注"}};
  d.rows = {{cjk(50)}, {cjk(100)}};
  auto fits = RenderTable(d);
  ASSERT_TRUE(fits.ok()) << fits.error().message_en;
  EXPECT_EQ(fits->clipped_cells, 0);
  d.rows = {{cjk(101)}};
  auto cut = RenderTable(d);
  ASSERT_TRUE(cut.ok());
  EXPECT_EQ(cut->clipped_cells, 1);
  d.rows = {{cjk(2000)}, {"第一行\n第二行\n第三行"}};  // line breaks become spaces: one short line
  auto longer = RenderTable(d);
  ASSERT_TRUE(longer.ok());
  EXPECT_EQ(longer->clipped_cells, 1);
  EXPECT_EQ(longer->pages, 1);
}

TEST(PdfTable, EmptyTableIsOnePageWithTheEmptyText) {
  auto r = RenderTable(Roster(0));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->pages, 1);
  EXPECT_EQ(CountPageObjects(r->bytes), 1);
  EXPECT_EQ(r->rows_per_page, std::vector<int>{1});
  auto pages = PagesText(r->bytes);
  if (pages) {
    EXPECT_NE(pages->front().find("（无）"), std::string::npos);
  }
}

TEST(PdfTable, RefusesTablesWithoutColumnsOrWithRaggedRows) {
  TableDocument d;
  d.title = "x";
  auto none = RenderTable(d);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, kInvalid);
  d.columns = {{"a"}, {"b"}};
  d.rows = {{"1", "2"}, {"3"}};
  auto ragged = RenderTable(d);
  ASSERT_FALSE(ragged.ok());
  EXPECT_EQ(ragged.error().field, "rows");
}

TEST(PdfTable, RepairsInvalidUtf8AndCountsGlyphsNoFontHas) {
  TableDocument d;
  d.title = "名单";
  d.columns = {{"姓名"}};
  d.rows = {{"\xff\xfe王"}};
  auto r = RenderTable(d);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->pages, 1);
  d.rows = {{"\xf4\x80\x80\x80"}};  // U+100000, a private-use code point no font draws
  auto tofu = RenderTable(d);
  ASSERT_TRUE(tofu.ok());
  EXPECT_GT(tofu->missing_glyphs, 0);
}

TEST(PdfTable, GateAdmitsUpToItsLimit) {
  InFlightGate gate(kMaxRendersInFlight);
  for (int i = 0; i < kMaxRendersInFlight; ++i) EXPECT_TRUE(gate.TryEnter()) << i;
  EXPECT_FALSE(gate.TryEnter());  // kMaxRendersInFlight + 1
  gate.Leave();
  EXPECT_TRUE(gate.TryEnter());
  EXPECT_FALSE(gate.TryEnter());
}

// Several threads at once: every call either renders the same document or, past the gate,
// answers kUnavailable; none fails otherwise.
TEST(PdfTable, RendersFromSeveralThreadsAtOnce) {
  constexpr int kThreads = 4, kEach = 3;
  std::vector<std::thread> threads;
  std::vector<int> pages(kThreads * kEach, 0);
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto r = RenderTable(Roster(45));
        int& slot = pages[static_cast<size_t>(t * kEach + i)];
        if (!r.ok()) slot = r.error().code == kUnavailable ? 0 : -1;
        else slot = r->bytes.substr(0, 5) == "%PDF-" ? r->pages : -1;
      }
    });
  for (auto& th : threads) th.join();
  auto one = RenderTable(Roster(45));
  ASSERT_TRUE(one.ok());
  int rendered = 0;
  for (int p : pages) {
    EXPECT_TRUE(p == 0 || p == one->pages) << p;
    rendered += p == one->pages;
  }
  EXPECT_GE(rendered, 1);  // the first caller always gets through
}

}  // namespace
}  // namespace kehou::pdf
