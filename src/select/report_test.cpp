// The round report: of the children of the round's grades, only those who took part and got no
// seat count as unplaced (listed a page at a time, or all for the export); the others did not
// take part.
#include <gtest/gtest.h>

#include <set>

#include "core/time.h"
#include "select/service.h"
#include "select/test_base.h"

namespace kehou::select {
namespace {

class RoundReport : public SelectTest {
 protected:
  RoundReport() : SelectTest(20) {}
};

TEST_P(RoundReport, CountsOnlyChildrenWhoTookPartAndPagesThem) {
  int64_t a = Section("舞蹈", "1:after_school", 1);
  int64_t b = Section("科学", "2:after_school", 1);
  int64_t now = NowMs();
  int64_t round = Round("preference", 1, {{"name", "志愿轮"}, {"max_ranks", 1}});
  // Five children want the one seat of a, one child the one seat of b; 14 rank nothing.
  for (size_t i = 0; i < 5; ++i) ASSERT_TRUE(SetPreferences(db(), m_.Guardian(i), round, m_.students[i], {a}).ok());
  ASSERT_TRUE(SetPreferences(db(), m_.Guardian(5), round, m_.students[5], {b}).ok());
  db().Write([&](db::Conn& c) { c.Exec("UPDATE select_rounds SET closes_at = $2 WHERE id = $1", {round, now - 1}); });
  ASSERT_TRUE(Allocate(db(), m_.office, std::nullopt, round).ok());

  auto first = Report(db(), m_.office, std::nullopt, round, ReportListing{1, 3, false});
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ((*first)["eligible_children"], 20);
  EXPECT_EQ((*first)["took_part"], 6);
  EXPECT_EQ((*first)["unplaced_total"], 4);  // of the five who wanted a, four had no seat
  EXPECT_EQ((*first)["absent_total"], 14);
  EXPECT_EQ((*first)["taken"], 2);
  EXPECT_EQ((*first)["page"], 1);
  EXPECT_EQ((*first)["page_size"], 3);
  ASSERT_EQ((*first)["unplaced"].size(), 3u);
  auto second = Report(db(), m_.office, std::nullopt, round, ReportListing{2, 3, false});
  ASSERT_TRUE(second.ok());
  ASSERT_EQ((*second)["unplaced"].size(), 1u);
  EXPECT_TRUE((*second)["unplaced"][0].contains("student_no"));
  EXPECT_EQ((*second)["unplaced"][0]["ranked"], 1);
  std::set<int64_t> wanted_a(m_.students.begin(), m_.students.begin() + 5), listed;
  for (auto* page : {&*first, &*second})
    for (auto& x : (*page)["unplaced"]) listed.insert(x["student_id"].get<int64_t>());
  EXPECT_EQ(listed.size(), 4u);
  for (int64_t id : listed) EXPECT_TRUE(wanted_a.count(id)) << id;
  EXPECT_TRUE((*first).find("absent") == (*first).end());  // only the export lists them

  auto all = Report(db(), m_.office, std::nullopt, round, ReportListing{1, 0, true});
  ASSERT_TRUE(all.ok());
  EXPECT_EQ((*all)["unplaced"].size(), 4u);
  ASSERT_EQ((*all)["absent"].size(), 14u);
  for (auto& x : (*all)["absent"]) {
    EXPECT_EQ(x["ranked"], 0);
    EXPECT_FALSE(wanted_a.count(x["student_id"].get<int64_t>()));
  }
}

INSTANTIATE_TEST_SUITE_P(Both, RoundReport, ::testing::ValuesIn(db::TestDialects()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace kehou::select
