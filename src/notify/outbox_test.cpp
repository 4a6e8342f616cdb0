#include "notify/outbox.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <set>
#include <thread>

#include "catalog/test_fixture.h"
#include "core/time.h"
#include "db/testing.h"
#include "notify/inbox.h"
#include "notify/rules.h"

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
  int64_t now = 10;
  for (int i = 1; i < kMaxAttempts; ++i) {
    EXPECT_EQ(DeliverPending(db, broken, now).retried, 1) << i;
    now += BackoffMs(i);
  }
  EXPECT_EQ(DeliverPending(db, broken, now).failed, 1);  // the kMaxAttempts-th try fails for good
  LocalSender local;
  EXPECT_EQ(DeliverPending(db, local, now + kBackoffMaxMs).sent, 0);
  auto list = ListOutbox(db, m_.office, std::nullopt, std::string("failed"), 1, 20);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ((*list)["items"][0]["attempts"], kMaxAttempts);
  EXPECT_FALSE(ListOutbox(db, m_.office, std::nullopt, std::string("x"), 1, 20).ok());
  // the office retries it: pending again with a fresh schedule, then sent
  int64_t id = (*list)["items"][0]["id"];
  EXPECT_FALSE(Retry(db, m_.office, std::nullopt, id + 1000, now).ok());
  ASSERT_TRUE(Retry(db, m_.office, std::nullopt, id, now).ok());
  EXPECT_EQ(Retry(db, m_.office, std::nullopt, id, now).error().code, ErrorCode::kConflict);  // not failed now
  EXPECT_EQ(DeliverPending(db, local, now).sent, 1);
  EXPECT_EQ(local.Received().size(), 1u);
}

// Two servers on one database: each claim takes rows no other claim holds. On PostgreSQL the
// second connection claims while the first one's claim is still uncommitted (SKIP LOCKED).
TEST_P(Outbox, ClaimsOnTwoConnectionsNeverOverlap) {
  db::Db& db = *t_.db;
  db.Write([&](db::Conn& c) {
    for (int i = 0; i < 3 * kClaimBatch; ++i)
      Enqueue(c, m_.school_id, "many:" + std::to_string(i), {"guardian", m_.guardians[0]}, "t", "b", 1);
  });
  auto other = db::Db::Open(t_.url);
  std::set<int64_t> first, second;
  if (GetParam() != "sqlite") {
    std::mutex mu;
    std::condition_variable cv;
    bool claimed = false, done = false;
    std::thread a([&] {
      db.Write([&](db::Conn& c) {  // the claim's statement, held open in its transaction
        for (auto& r : c.Query("UPDATE notify_outbox SET lease_until = $2 WHERE id IN (SELECT id FROM notify_outbox"
                               " WHERE status = 'pending' AND lease_until <= $1 ORDER BY id LIMIT $3"
                               " FOR UPDATE SKIP LOCKED) RETURNING id",
                               {int64_t{10}, int64_t{10} + kLeaseMs, int64_t{kClaimBatch}}))
          first.insert(r.Int(0));
        std::unique_lock l(mu);
        claimed = true;
        cv.notify_all();
        cv.wait(l, [&] { return done; });
      });
    });
    {
      std::unique_lock l(mu);
      cv.wait(l, [&] { return claimed; });
    }
    for (auto& m : Claim(*other, 10, kClaimBatch)) second.insert(m.id);
    {
      std::lock_guard l(mu);
      done = true;
    }
    cv.notify_all();
    a.join();
  } else {
    for (auto& m : Claim(db, 10, kClaimBatch)) first.insert(m.id);
    for (auto& m : Claim(*other, 10, kClaimBatch)) second.insert(m.id);
  }
  EXPECT_EQ(first.size(), static_cast<size_t>(kClaimBatch));
  EXPECT_EQ(second.size(), static_cast<size_t>(kClaimBatch));
  for (int64_t id : second) EXPECT_EQ(first.count(id), 0u) << id;
  // the third batch, then nothing until a lease runs out
  EXPECT_EQ(Claim(db, 10, 3 * kClaimBatch).size(), static_cast<size_t>(kClaimBatch));
  EXPECT_TRUE(Claim(*other, 10 + kLeaseMs - 1, 100).empty());
  EXPECT_EQ(Claim(*other, 10 + kLeaseMs, 100).size(), static_cast<size_t>(3 * kClaimBatch));
}

TEST_P(Outbox, InboxReadReceiptsAndChannelChoice) {
  db::Db& db = *t_.db;
  auth::Principal g = m_.Guardian(0);
  ASSERT_EQ((*GetPreference(db, g))["channel"], "in_app");
  EXPECT_FALSE(SetPreference(db, g, {{"channel", "wecom"}}, 1).ok());
  EXPECT_FALSE(SetPreference(db, m_.office, {{"channel", "sms"}}, 1).ok());
  db.Write([&](db::Conn& c) { Enqueue(c, m_.school_id, "a", {"guardian", m_.guardians[0]}, "一", "正文一", 1); });
  ASSERT_TRUE(SetPreference(db, g, {{"channel", "sms"}}, 2).ok());
  db.Write([&](db::Conn& c) { Enqueue(c, m_.school_id, "b", {"guardian", m_.guardians[0]}, "二", "正文二", 3); });
  LocalSender local;
  EXPECT_EQ(DeliverPending(db, local, 5).sent, 2);
  ASSERT_EQ(local.Received().size(), 2u);
  EXPECT_EQ(local.Received()[0].channel, "in_app");
  EXPECT_EQ(local.Received()[1].channel, "sms");  // queued after the choice
  auto inbox = ListInbox(db, g, 1, 20);
  ASSERT_TRUE(inbox.ok());
  EXPECT_EQ((*inbox)["total"], 1);  // only the in-app one
  EXPECT_EQ((*inbox)["unread"], 1);
  int64_t id = (*inbox)["items"][0]["id"];
  EXPECT_FALSE(MarkRead(db, m_.Guardian(1), id, 6).ok());  // not theirs
  ASSERT_TRUE(MarkRead(db, g, id, 6).ok());
  EXPECT_EQ((*MarkRead(db, g, id, 9))["read_at"], FormatInstant(6));  // the first read stays
  EXPECT_EQ((*ListInbox(db, g, 1, 20))["unread"], 0);
}

INSTANTIATE_TEST_SUITE_P(Db, Outbox, ::testing::ValuesIn(db::TestDialects()));

}  // namespace
}  // namespace kehou::notify
