#include "select/verify.h"

#include <gtest/gtest.h>

#include "catalog/service.h"
#include "core/time.h"
#include "select/service.h"
#include "select/test_base.h"

namespace kehou::select {
namespace {

class Verify : public SelectTest {
 protected:
  Verify() : SelectTest(30) {}
  int64_t NewRound(const char* mode) { return Round(mode, 2, {{"name", "志愿轮"}, {"max_ranks", 3}}); }
  void Close(int64_t round) {
    db().Write([&](db::Conn& c) {
      c.Exec("UPDATE select_rounds SET closes_at = $2 WHERE id = $1", {round, NowMs() - 1});
    });
  }
  // A preference round over three scarce sections, 20 children ranking them, allocated.
  int64_t AllocatedRound() {
    a_ = Section("舞蹈", "1:after_school", 4);
    b_ = Section("科学", "2:after_school", 3);
    c_ = Section("合唱", "1:after_school", 5);  // clashes with 舞蹈
    int64_t round = NewRound("preference");
    db().Write([&](db::Conn& c) {  // two priority-group children
      c.Exec("UPDATE students SET left_behind = 1 WHERE id = $1", {m_.students[7]});
      c.Exec("UPDATE students SET low_income = 1 WHERE id = $1", {m_.students[12]});
    });
    for (size_t i = 0; i < 20; ++i) {
      std::vector<int64_t> list = i % 3 == 0   ? std::vector<int64_t>{a_, b_, c_}
                                  : i % 3 == 1 ? std::vector<int64_t>{b_, a_}
                                               : std::vector<int64_t>{c_, b_, a_};
      auto s = SetPreferences(db(), m_.Guardian(i), round, m_.students[i], list);
      EXPECT_TRUE(s.ok()) << s.error().message;
    }
    Close(round);
    auto res = Allocate(db(), m_.office, std::nullopt, round);
    EXPECT_TRUE(res.ok()) << res.error().message;
    return round;
  }
  Result<Record> Load(int64_t round) {
    return db().Read([&](db::Conn& c) { return LoadRecord(c, round); });
  }
  int64_t a_ = 0, b_ = 0, c_ = 0;
};

TEST_P(Verify, AllocatedRoundRecomputesIdentically) {
  int64_t round = AllocatedRound();
  auto rec = Load(round);
  ASSERT_TRUE(rec.ok()) << rec.error().message;
  EXPECT_EQ(rec->input.children.size(), 20u);
  EXPECT_EQ(rec->placements.size(), 12u);  // 4 + 3 + 5 seats, all wanted
  auto v = VerifyRecord(*rec);
  EXPECT_TRUE(v.identical) << v.difference_zh << " / " << v.difference_en;
  EXPECT_EQ(v.seats, 12u);
  EXPECT_EQ(v.tiers.seats, 12);
  EXPECT_EQ(v.tiers.priority_placed, 2);  // both priority-group children hold a seat
}

TEST_P(Verify, ATamperedSeatFailsAndNamesTheChild) {
  int64_t round = AllocatedRound();
  // Move one allocated child from its section to the other one it did not get.
  auto moved = db().Read([&](db::Conn& c) {
    return c.QueryOne(
        "SELECT id, student_id, section_id FROM selections WHERE round_id = $1 AND source = 'allocation'"
        " ORDER BY id LIMIT 1",
        {round});
  });
  ASSERT_TRUE(moved.has_value());
  int64_t child = moved->Int(1), from = moved->Int(2), to = from == b_ ? a_ : b_;
  db().Write([&](db::Conn& c) { c.Exec("UPDATE selections SET section_id = $2 WHERE id = $1", {moved->Int(0), to}); });
  auto rec = Load(round);
  ASSERT_TRUE(rec.ok());
  auto v = VerifyRecord(*rec);
  EXPECT_FALSE(v.identical);
  EXPECT_NE(v.difference_en.find("child " + std::to_string(child)), std::string::npos) << v.difference_en;
  EXPECT_NE(v.difference_zh.find("学生 " + std::to_string(child)), std::string::npos) << v.difference_zh;
  // Put it back: identical again (the check is not stuck failing).
  db().Write([&](db::Conn& c) {
    c.Exec("UPDATE selections SET section_id = $2 WHERE id = $1", {moved->Int(0), from});
  });
  EXPECT_TRUE(VerifyRecord(*Load(round)).identical);
}

TEST_P(Verify, TamperedResultsLotteryListsOrSeedFail) {
  int64_t round = AllocatedRound();
  int64_t kid = m_.students[3];
  // A results row marked placed that the allocation did not place.
  db().Write([&](db::Conn& c) {
    c.Exec("UPDATE select_results SET placed = 1 - placed WHERE round_id = $1 AND student_id = $2 AND rank = 2",
           {round, kid});
  });
  auto v = VerifyRecord(*Load(round));
  EXPECT_FALSE(v.identical);
  EXPECT_NE(v.difference_en.find("select_results"), std::string::npos) << v.difference_en;
  db().Write([&](db::Conn& c) {
    c.Exec("UPDATE select_results SET placed = 1 - placed WHERE round_id = $1 AND student_id = $2 AND rank = 2",
           {round, kid});
  });
  ASSERT_TRUE(VerifyRecord(*Load(round)).identical);
  // A lottery number changed.
  db().Write([&](db::Conn& c) {
    c.Exec("UPDATE select_results SET lottery = lottery + 100 WHERE round_id = $1 AND student_id = $2", {round, kid});
  });
  v = VerifyRecord(*Load(round));
  EXPECT_FALSE(v.identical);
  EXPECT_NE(v.difference_en.find("lottery"), std::string::npos) << v.difference_en;
  db().Write([&](db::Conn& c) {
    c.Exec("UPDATE select_results SET lottery = lottery - 100 WHERE round_id = $1 AND student_id = $2", {round, kid});
  });
  // A family's ranked list no longer what the input says.
  db().Write([&](db::Conn& c) {
    c.Exec("DELETE FROM select_preferences WHERE round_id = $1 AND student_id = $2 AND rank = 2", {round, kid});
  });
  v = VerifyRecord(*Load(round));
  EXPECT_FALSE(v.identical);
  EXPECT_NE(v.difference_en.find("select_preferences"), std::string::npos) << v.difference_en;
  // A seed other than the committed one.
  auto rec = *Load(round);
  rec.preferences.reset();
  ASSERT_TRUE(VerifyRecord(rec).identical);
  rec.seed = allocate::SeedToHex(allocate::NewSeed());
  v = VerifyRecord(rec);
  EXPECT_FALSE(v.identical);
  EXPECT_NE(v.difference_en.find("commitment"), std::string::npos);
  rec.seed.clear();
  EXPECT_FALSE(VerifyRecord(rec).identical);
}

TEST_P(Verify, PublishedJsonVerifiesWithoutTheDatabase) {
  int64_t round = AllocatedRound();
  auto pub = Verification(db(), m_.office, std::nullopt, round);
  ASSERT_TRUE(pub.ok()) << pub.error().message;
  EXPECT_EQ((*pub)["format"], kVerifyFormat);
  EXPECT_EQ((*pub)["result"]["tiers"]["seats"], 12);
  std::string text = pub->dump();
  EXPECT_EQ(text.find("name"), std::string::npos);  // no names in the published file
  // A guardian of the school may fetch it; a guardian of nobody here may not.
  EXPECT_TRUE(Verification(db(), m_.Guardian(0), std::nullopt, round).ok());
  auth::Principal stranger = m_.Guardian(0);
  stranger.guardian_id = 999999;
  auto denied = Verification(db(), stranger, std::nullopt, round);
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, kNotFound);
  // From the text alone.
  auto rec = RecordFromJson(Json::parse(text));
  ASSERT_TRUE(rec.ok()) << rec.error().message;
  EXPECT_TRUE(VerifyRecord(*rec).identical);
  // Swap two children's seats in the file: refused.
  Json bad = Json::parse(text);
  auto& ps = bad["result"]["placements"];
  ASSERT_GE(ps.size(), 2u);
  size_t j = 1;
  while (j < ps.size() && ps[j][1] == ps[0][1]) ++j;
  ASSERT_LT(j, ps.size());
  std::swap(ps[0][0], ps[j][0]);
  auto tampered = RecordFromJson(bad);
  ASSERT_TRUE(tampered.ok());
  EXPECT_FALSE(VerifyRecord(*tampered).identical);
  // Claimed tier values must match too.
  Json bad_tiers = Json::parse(text);
  bad_tiers["result"]["tiers"]["rank_cost"] = bad_tiers["result"]["tiers"]["rank_cost"].get<int64_t>() - 1;
  EXPECT_FALSE(VerifyRecord(*RecordFromJson(bad_tiers)).identical);
  // Not a verification file, or a malformed one.
  EXPECT_FALSE(RecordFromJson(Json{{"format", "other"}}).ok());
  Json broken = Json::parse(text);
  broken["input"]["children"][0]["ranked"] = "a,b";
  auto e = RecordFromJson(broken);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, kInvalid);
}

// Issue 10 §2: a duplicated placement row ("13 seats" verify where 12 exist) and a placement with
// rank 0 were accepted (seats were compared as sets, rank 0 skipped).
TEST_P(Verify, ADuplicatedSeatOrARankZeroIsADifference) {
  int64_t round = AllocatedRound();
  auto pub = Verification(db(), m_.office, std::nullopt, round);
  ASSERT_TRUE(pub.ok()) << pub.error().message;
  Json dup = *pub;
  ASSERT_EQ(dup["result"]["placements"].size(), 12u);
  dup["result"]["placements"].push_back(dup["result"]["placements"][0]);
  auto v = VerifyRecord(*RecordFromJson(dup));
  EXPECT_FALSE(v.identical) << "13 seats verified where 12 exist";
  EXPECT_NE(v.difference_zh.find("重复"), std::string::npos) << v.difference_zh;
  Json zero = *pub;
  zero["result"]["placements"][0][2] = 0;
  EXPECT_FALSE(VerifyRecord(*RecordFromJson(zero)).identical) << "a placement with rank 0 verified";
  // In the database: an allocation seat recorded twice (one row dropped later, one confirmed).
  db().Write([&](db::Conn& c) {
    auto s = c.QueryOne(
        "SELECT student_id, section_id FROM selections WHERE round_id = $1 AND source = 'allocation'"
        " ORDER BY id LIMIT 1",
        {round});
    c.Exec(
        "INSERT INTO selections (school_id, round_id, section_id, student_id, status, source, created_at, dropped_at)"
        " VALUES ($1,$2,$3,$4,'dropped','allocation',1,2)",
        {m_.school_id, round, s->Int(1), s->Int(0)});
  });
  auto rec = Load(round);
  ASSERT_TRUE(rec.ok());
  EXPECT_FALSE(VerifyRecord(*rec).identical);
}

// The named rank rule is in the record: --verify recomputes with it and refuses weights that are
// not the named rule's.
TEST_P(Verify, TheNamedRuleIsPartOfTheRecord) {
  a_ = Section("舞蹈", "1:after_school", 6);
  b_ = Section("科学", "2:after_school", 6);
  int64_t now = NowMs();
  auto r = CreateRound(db(), m_.office, std::nullopt,
                       {{"name", "志愿轮"},
                        {"mode", "preference"},
                        {"grades", {3, 4}},
                        {"opens_at", now - 1000},
                        {"closes_at", now + 3600000},
                        {"max_per_child", 2},
                        {"max_ranks", 2},
                        {"rank_rule", "linear_ranks_first"}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  int64_t round = (*r)["id"];
  for (size_t i = 0; i < 6; ++i)
    ASSERT_TRUE(SetPreferences(db(), m_.Guardian(i), round, m_.students[i], {a_, b_}, i == 0 ? 1 : 2).ok());
  Close(round);
  ASSERT_TRUE(Allocate(db(), m_.office, std::nullopt, round).ok());
  auto pub = Verification(db(), m_.office, std::nullopt, round);
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ((*pub)["input"]["options"]["rule"], "linear_ranks_first");
  EXPECT_EQ((*pub)["input"]["options"]["seats_first"], false);
  EXPECT_EQ((*pub)["input"]["options"]["rank_cost"], Json({0, 1}));
  size_t first = 0;  // the child whose family asked for one course
  while (first < (*pub)["input"]["children"].size() && (*pub)["input"]["children"][first]["id"] != m_.students[0])
    ++first;
  ASSERT_LT(first, (*pub)["input"]["children"].size());
  EXPECT_EQ((*pub)["input"]["children"][first]["course_limit"], 1);
  EXPECT_EQ((*pub)["result"]["tiers"]["seats"], 11);
  auto rec = RecordFromJson(*pub);
  ASSERT_TRUE(rec.ok());
  auto v = VerifyRecord(*rec);
  EXPECT_TRUE(v.identical) << v.difference_zh;
  EXPECT_NE(Describe(v).find("线性计分"), std::string::npos) << Describe(v);
  EXPECT_TRUE(VerifyRecord(*Load(round)).identical);
  // Recompute prints what the input gives: the same seats.
  auto again = Recompute(*rec);
  ASSERT_TRUE(again.ok());
  Json computed = AllocationJson(*rec, *again);
  EXPECT_EQ(computed["placements"], (*pub)["result"]["placements"]);
  EXPECT_EQ(computed["rule"], "linear_ranks_first");
  EXPECT_EQ(Json::parse(AllocationText(computed)), computed);  // the printed text is the same JSON
  Json input_only = *pub;  // a published input without a result: computed, nothing claimed
  input_only.erase("result");
  auto bare = RecordFromJson(input_only);
  ASSERT_TRUE(bare.ok()) << bare.error().message;
  EXPECT_FALSE(bare->claimed);
  EXPECT_EQ(AllocationJson(*bare, *Recompute(*bare))["placements"], (*pub)["result"]["placements"]);
  // The family's limit is named in the child's explanation.
  auto mine = Mine(db(), m_.Guardian(0), round);
  ASSERT_TRUE(mine.ok());
  bool named = false;
  for (auto& row : (*mine)["children"][0]["results"])
    named = named || row["reason"]["text"].get<std::string>().find("家长设定") != std::string::npos;
  EXPECT_TRUE(named) << (*mine)["children"][0]["results"].dump();
  // The weights or the seats-first switch of another rule under this name: a difference.
  Json other = *pub;
  other["input"]["options"]["seats_first"] = true;
  EXPECT_FALSE(VerifyRecord(*RecordFromJson(other)).identical);
  Json renamed = *pub;
  renamed["input"]["options"]["rule"] = "equity";
  EXPECT_FALSE(VerifyRecord(*RecordFromJson(renamed)).identical);
  // The family's limit dropped from the file: the recomputed seats differ.
  Json unlimited = *pub;
  unlimited["input"]["children"][first].erase("course_limit");
  EXPECT_FALSE(VerifyRecord(*RecordFromJson(unlimited)).identical);
}

TEST_P(Verify, OnlyAllocatedPreferenceRoundsHaveARecord) {
  auto missing = Load(987654);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, kNotFound);
  int64_t fcfs = NewRound("fcfs");
  EXPECT_EQ(Load(fcfs).error().code, kRuleBroken);
  int64_t open = NewRound("preference");
  auto r = Load(open);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kRuleBroken);
  EXPECT_NE(r.error().message.find("尚未分配"), std::string::npos);
  EXPECT_EQ(Verification(db(), m_.office, std::nullopt, open).error().code, kRuleBroken);
}

TEST(VerifyJson, InputRoundTripsAndPriorityIsOnlyAFlag) {
  allocate::Input in;
  in.options.max_choices = 3;
  in.options.course_limit = 2;
  in.options.rank_cost = {0, 5, 9};
  in.sections.push_back({11, 45, {3, 4}, {{1, 2}, {3, 2}}});
  in.children.push_back({7, 3, allocate::kLeftBehind | allocate::kDisability, {11}});
  in.children.push_back({8, 4, 0, {}});
  Json j = InputJson(in);
  EXPECT_EQ(j["children"][0]["priority"], 1);
  auto back = InputFromJson(j);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->options.rank_cost, in.options.rank_cost);
  EXPECT_EQ(back->sections[0].slots, in.sections[0].slots);
  EXPECT_EQ(back->sections[0].capacity, 45);
  EXPECT_EQ(back->children[0].priority_groups, 1);
  EXPECT_EQ(back->children[1].ranked.size(), 0u);
  j["sections"][0]["slots"][0] = {1};
  EXPECT_FALSE(InputFromJson(j).ok());
}

INSTANTIATE_TEST_SUITE_P(Both, Verify, ::testing::ValuesIn(db::TestDialects()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace kehou::select
