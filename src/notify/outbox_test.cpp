#include "notify/outbox.h"

#include <gtest/gtest.h>

#include "catalog/test_fixture.h"
#include "db/testing.h"

namespace kehou::notify {
namespace {

class Outbox : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    t_ = db::MakeTestDb(GetParam());
    if (!t_.db) GTEST_SKIP() << "no PostgreSQL";
    m_ = testing::MakeMiniSchool(*t_.db, 2);
  }
  db::TestDb t_;
  testing::MiniSchool m_;
};

// A failing channel: every send errors.
class Broken final : public Sender {
 public:
  Status Send(const Message&) override { return Error::Unavailable("通道不可用", "channel down"); }
};

TEST_P(Outbox, OneRowPerEventAndRecipientSentOnce) {
  db::Db& db = *t_.db;
  db.Write([&](db::Conn& c) {
    EXPECT_TRUE(Enqueue(c, m_.school_id, "absent:1", {"guardian", m_.guardians[0]}, "缺勤", "正文", 1));
    EXPECT_FALSE(Enqueue(c, m_.school_id, "absent:1", {"guardian", m_.guardians[0]}, "缺勤", "正文", 2));
    EXPECT_TRUE(Enqueue(c, m_.school_id, "absent:1", {"staff", m_.staff_id}, "缺勤", "正文", 2));
  });
  LocalSender local;
  Delivery d = DeliverPending(db, local, 10);
  EXPECT_EQ(d.sent, 2);
  EXPECT_EQ(local.Received().size(), 2u);
  EXPECT_EQ(DeliverPending(db, local, 11).sent, 0);  // nothing twice
  EXPECT_EQ(local.Received().size(), 2u);
  auto list = ListOutbox(db, m_.office, std::nullopt, std::string("sent"), 1, 20);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ((*list)["total"], 2);
}

TEST_P(Outbox, FailuresRetriedThenFailedAtTheLimit) {
  db::Db& db = *t_.db;
  db.Write([&](db::Conn& c) { Enqueue(c, m_.school_id, "e", {"guardian", m_.guardians[1]}, "t", "b", 1); });
  Broken broken;
  for (int i = 1; i < kMaxAttempts; ++i) EXPECT_EQ(DeliverPending(db, broken, 10).retried, 1) << i;
  EXPECT_EQ(DeliverPending(db, broken, 10).failed, 1);  // the kMaxAttempts-th try fails for good
  LocalSender local;
  EXPECT_EQ(DeliverPending(db, local, 10).sent, 0);
  auto list = ListOutbox(db, m_.office, std::nullopt, std::string("failed"), 1, 20);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ((*list)["items"][0]["attempts"], kMaxAttempts);
  EXPECT_FALSE(ListOutbox(db, m_.office, std::nullopt, std::string("x"), 1, 20).ok());
}

INSTANTIATE_TEST_SUITE_P(Db, Outbox, ::testing::ValuesIn(db::TestDialects()));

}  // namespace
}  // namespace kehou::notify
