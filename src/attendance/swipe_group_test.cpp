// Gates' batches stored together (swipe_group.h, session 20), on both databases: each batch answered
// and audited with its own counts, a bad upload or a batch the database refuses failing alone, a
// resend of a combined group storing nothing twice, and many gates at once losing nothing.
#include "attendance/swipe_group.h"

#include <gtest/gtest.h>

#include <thread>

#include "attendance/service.h"
#include "catalog/test_fixture.h"
#include "db/testing.h"

namespace kehou::attendance {
namespace {

class SwipeGroup : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    t_ = db::MakeTestDb(GetParam());
    if (!t_.db) GTEST_SKIP() << "no PostgreSQL";
    m_ = testing::MakeMiniSchool(*t_.db, 4);
    for (size_t i = 0; i < 2; ++i)
      ASSERT_TRUE(
          PutCard(db(), m_.office, std::nullopt, {{"card_no", "K" + std::to_string(i)}, {"student_id", m_.students[i]}})
              .ok());
    north_ = Device(m_.school_id, "北门闸机");
    south_ = Device(m_.school_id, "南门闸机");
    other_ = Device(m_.other_school_id, "另一所学校的闸机");  // a gate of another school
  }
  struct Gate {
    int64_t id = 0;
    std::string auth;
  };
  Gate Device(int64_t school, const std::string& name) {
    const std::string secret = "s" + std::to_string(school) + "-" + std::to_string(name.size());
    int64_t id =
        db().Write([&](db::Conn& c) { return store::InsertDevice(c, school, name, store::HashKey(secret), NowMs()); });
    return {id, "Device " + std::to_string(id) + "." + secret};
  }
  static Json Swipes(const std::vector<std::pair<std::string, std::string>>& uid_card, int64_t at) {
    Json list = Json::array();
    for (const auto& [uid, card] : uid_card) list.push_back({{"uid", uid}, {"card_no", card}, {"at_ms", at}});
    return {{"swipes", list}};
  }
  static Json Counts(Result<Json>& r) {
    if (!r.ok()) return Json(r.error().message);
    return Json::array({(*r)["accepted"], (*r)["unknown_card"], (*r)["duplicate"], (*r)["rejected"]});
  }
  // The swipe_batch audit rows: (device, counts), in order.
  std::vector<std::pair<int64_t, std::string>> Audits() {
    return db().Read([&](db::Conn& c) {
      std::vector<std::pair<int64_t, std::string>> out;
      for (auto& r :
           c.Query("SELECT entity_id, after_json FROM audit_log WHERE action = 'swipe_batch' ORDER BY entity_id, id"))
        out.emplace_back(r.Int(0), r.Text(1));
      return out;
    });
  }
  int64_t Stored() {
    return db().Read([&](db::Conn& c) { return c.QueryOne("SELECT COUNT(*) FROM attendance_swipes")->Int(0); });
  }
  db::Db& db() { return *t_.db; }
  db::TestDb t_;
  testing::MiniSchool m_;
  Gate north_, south_, other_;
};

TEST_P(SwipeGroup, BatchesStoredTogetherAreEachAnsweredAndAuditedAlone) {
  const int64_t now = NowMs(), at = now - 60000;
  std::vector<SwipeUpload> group{
      {north_.auth, "10.0.0.1", Swipes({{"n1", "K0"}, {"n2", "K1"}, {"n3", "X9"}, {"n1", "K0"}}, at)},
      {"Device 999999.nope", "10.0.0.9", Swipes({{"z1", "K0"}}, at)},       // unknown device
      {south_.auth, "10.0.0.2", Json{{"swipes", "not a list"}}},            // bad body
      {south_.auth, "10.0.0.2", Swipes({{"n1", "K0"}, {"s2", "K1"}}, at)},  // n1 again: another device's uid
      {other_.auth, "10.0.0.3", Swipes({{"o1", "K0"}}, at)},                // another school: its own card table
  };
  auto out = IngestSwipeBatches(db(), group, now);
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(Counts(out[0]), Json::array({2, 1, 1, 0}));
  ASSERT_FALSE(out[1].ok());
  EXPECT_EQ(out[1].error().code, ErrorCode::kUnauthenticated);
  ASSERT_FALSE(out[2].ok());
  EXPECT_EQ(out[2].error().code, ErrorCode::kInvalid);
  EXPECT_EQ(Counts(out[3]), Json::array({2, 0, 0, 0}));
  EXPECT_EQ(Counts(out[4]), Json::array({0, 1, 0, 0}));
  EXPECT_EQ((*out[0])["results"][3]["result"], "duplicate");
  EXPECT_EQ(Stored(), 6);
  const std::vector<std::pair<int64_t, std::string>> audits{
      {north_.id, R"({"accepted":2,"duplicate":1,"rejected":0,"unknown_card":1})"},
      {south_.id, R"({"accepted":2,"duplicate":0,"rejected":0,"unknown_card":0})"},
      {other_.id, R"({"accepted":0,"duplicate":0,"rejected":0,"unknown_card":1})"}};
  EXPECT_EQ(Audits(), audits);
  if (db().dialect() == db::Dialect::kPostgres) {  // one call: the three batches' rows in one transaction
    auto tx = db().Read(
        [&](db::Conn& c) { return c.QueryOne("SELECT COUNT(DISTINCT xmin::text) FROM attendance_swipes")->Int(0); });
    EXPECT_EQ(tx, 1);
  }
  // The same group again (the gates did not get their answers): all duplicates, nothing stored or
  // audited twice; and one gate's batch twice in one group stores it once.
  auto again = IngestSwipeBatches(db(), group, now + 1000);
  EXPECT_EQ(Counts(again[0]), Json::array({0, 0, 4, 0}));
  EXPECT_EQ(Counts(again[3]), Json::array({0, 0, 2, 0}));
  EXPECT_EQ(Counts(again[4]), Json::array({0, 0, 1, 0}));
  const SwipeUpload fresh{other_.auth, "10.0.0.3", Swipes({{"o2", "K0"}}, at)};
  auto twice = IngestSwipeBatches(db(), {fresh, fresh, group[4]}, now);
  EXPECT_EQ(Counts(twice[0]), Json::array({0, 1, 0, 0}));
  EXPECT_EQ(Counts(twice[1]), Json::array({0, 0, 1, 0}));
  EXPECT_EQ(Counts(twice[2]), Json::array({0, 0, 1, 0}));
  EXPECT_EQ(Stored(), 7);
  EXPECT_EQ(Audits().size(), 4u);
}

TEST_P(SwipeGroup, ABatchTheDatabaseRefusesFailsAlone) {
  const int64_t now = NowMs();
  SwipeIn a{"a1", "K0", now - 1000}, b{"b1", "K1", now - 1000}, c{"c1", "K1", now - 1000};
  std::vector<const SwipeIn*> ra{&a}, rb{&b}, rc{&c};
  store::SwipeBatchAudit audit{.user_name = "设备", .client = "t", .request_id = ""};
  // The middle batch names a device that does not exist: its foreign key refuses it.
  auto out = StoreSwipeGroup(db(), {{m_.school_id, north_.id, now, &ra, &audit},
                                    {m_.school_id, 987654, now, &rb, &audit},
                                    {m_.school_id, south_.id, now, &rc, &audit}});
  ASSERT_EQ(out.size(), 3u);
  EXPECT_FALSE(out[0].error);
  EXPECT_TRUE(out[1].error);
  EXPECT_FALSE(out[2].error);
  EXPECT_EQ(out[0].stored, (std::map<std::string, std::optional<int64_t>>{{"a1", m_.students[0]}}));
  EXPECT_EQ(out[2].stored, (std::map<std::string, std::optional<int64_t>>{{"c1", m_.students[1]}}));
  EXPECT_EQ(Stored(), 2);
  EXPECT_EQ(Audits().size(), 2u);
}

// Eight gates at once, each sending its batches as fast as they are answered (on PostgreSQL the
// batches waiting together are stored by one thread in one call): every batch answered with its
// own counts, every swipe stored once, one audit row per batch.
TEST_P(SwipeGroup, ManyGatesAtOnceLoseAndDoubleNothing) {
  constexpr int kGates = 8, kBatches = 6;
  std::vector<Gate> gates;
  for (int g = 0; g < kGates; ++g) gates.push_back(Device(m_.school_id, "闸机" + std::string(g + 1, 'g')));
  const int64_t now = NowMs();
  std::vector<std::string> wrong(kGates);
  std::vector<std::thread> threads;
  for (int g = 0; g < kGates; ++g)
    threads.emplace_back([&, g] {
      for (int k = 0; k < kBatches; ++k) {
        const std::string u = std::to_string(g) + "-" + std::to_string(k);
        // Each batch resends the last swipe of the one before (a duplicate) and adds three.
        std::vector<std::pair<std::string, std::string>> rows{{u + "a", "K0"}, {u + "b", "K1"}, {u + "c", "X"}};
        if (k > 0) rows.push_back({std::to_string(g) + "-" + std::to_string(k - 1) + "c", "X"});
        auto r = IngestSwipes(db(), gates[static_cast<size_t>(g)].auth, "gate", Swipes(rows, now - 1000), now);
        const Json want = Json::array({2, 1, k > 0 ? 1 : 0, 0});
        if (Counts(r) != want) wrong[static_cast<size_t>(g)] += u + ": " + Counts(r).dump() + " ";
      }
    });
  for (auto& t : threads) t.join();
  for (int g = 0; g < kGates; ++g) EXPECT_EQ(wrong[static_cast<size_t>(g)], "") << "gate " << g;
  EXPECT_EQ(Stored(), kGates * kBatches * 3);
  EXPECT_EQ(Audits().size(), static_cast<size_t>(kGates * kBatches));
}

INSTANTIATE_TEST_SUITE_P(Db, SwipeGroup, ::testing::ValuesIn(db::TestDialects()));

}  // namespace
}  // namespace kehou::attendance
