#include "db/db.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <thread>

#include "db/dedicated.h"
#include "db/sqlite_lazy.h"
#include "db/testing.h"
#include "db/trace.h"

namespace kehou::db {
namespace {

class DbTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { t_ = MakeTestDb(GetParam()); }
  Db& db() { return *t_.db; }
  TestDb t_;
};

TEST_P(DbTest, MigrationsAreRecordedAndIdempotent) {
  auto applied = AppliedMigrations(db());
  ASSERT_FALSE(applied.empty());
  EXPECT_EQ(applied.front(), 1);
  EXPECT_TRUE(Migrate(db()).empty());  // nothing pending the second time
}

// sql/NNNN_name.postgresql.sql and .sqlite.sql apply to their own database only.
TEST_P(DbTest, DialectMigrationsApplyToTheirOwnDatabaseOnly) {
  auto applied = AppliedMigrations(db());
  int own = 0, other = 0;
  for (const Migration& m : AllMigrations()) {
    if (!m.only) continue;
    (*m.only == db().dialect() ? own : other)++;
    if (*m.only == db().dialect()) {
      EXPECT_NE(std::find(applied.begin(), applied.end(), m.version), applied.end()) << m.name;
    }
  }
  EXPECT_GT(own, 0);
  EXPECT_GT(other, 0);
  bool pg = db().dialect() == Dialect::kPostgres;
  auto take_fn = db().Read([&](Conn& c) {
    return pg ? c.QueryOne("SELECT 1 FROM pg_proc WHERE proname = 'kehou_seat_writes'").has_value()
              : c.QueryOne("SELECT 1 FROM sqlite_master WHERE name = 'kehou_seat_writes'").has_value();
  });
  EXPECT_EQ(take_fn, pg);  // the PostgreSQL-only take function exists there only
  auto sqlite_trigger = db().Read([&](Conn& c) {
    return pg ? false
              : c.QueryOne("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'seat_slots_on_insert'")
                    .has_value();
  });
  EXPECT_EQ(sqlite_trigger, !pg);
}

TEST_P(DbTest, SixtyFourBitIdsNullsAndText) {
  int64_t area = db().Write([](Conn& c) {
    return c.Insert("INSERT INTO areas (kind, name) VALUES ($1, $2) RETURNING id",
                    {std::string("county"), std::string("青山县")});
  });
  int64_t big = 5'000'000'000LL;
  db().Write([&](Conn& c) {
    c.Exec(
        "INSERT INTO audit_log (school_id, user_id, at, action, entity, entity_id, before_json) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {Null(), big, big * 1000, std::string("test"), std::string("area"), area, Null()});
  });
  auto row = db().Read([&](Conn& c) {
    return c.QueryOne("SELECT user_id, at, before_json, entity_id FROM audit_log WHERE user_id = $1", {big});
  });
  ASSERT_TRUE(row);
  EXPECT_EQ(row->Int("user_id"), big);
  EXPECT_EQ(row->Int("at"), big * 1000);
  EXPECT_FALSE(row->OptText("before_json"));
  EXPECT_EQ(row->Int("entity_id"), area);
  auto name = db().Read([&](Conn& c) { return c.QueryOne("SELECT name FROM areas WHERE id = $1", {area})->Text(0); });
  EXPECT_EQ(name, "青山县");
}

TEST_P(DbTest, ErrorResultRollsBackTheWholeTransaction) {
  Result<int> r = db().Write([](Conn& c) -> Result<int> {
    c.Exec("INSERT INTO areas (kind, name) VALUES ('county', 'A')");
    return MakeError(kInvalid, "no");
  });
  EXPECT_FALSE(r.ok());
  EXPECT_THROW(db().Write([](Conn& c) {
    c.Exec("INSERT INTO areas (kind, name) VALUES ('county', 'B')");
    throw std::runtime_error("boom");
  }),
               std::runtime_error);
  auto n = db().Read([](Conn& c) { return c.QueryOne("SELECT COUNT(*) FROM areas")->Int(0); });
  EXPECT_EQ(n, 0);
}

TEST_P(DbTest, UniqueViolationIsFlagged) {
  db().Write(
      [](Conn& c) { c.Exec("INSERT INTO guardians (mobile, name, created_at) VALUES ('13800000000', 'x', 0)"); });
  try {
    db().Write(
        [](Conn& c) { c.Exec("INSERT INTO guardians (mobile, name, created_at) VALUES ('13800000000', 'y', 0)"); });
    FAIL() << "expected a unique violation";
  } catch (const DbError& e) {
    EXPECT_TRUE(e.unique_violation);
  }
}

TEST_P(DbTest, ConcurrentConditionalUpdatesNeverExceedTheLimit) {
  // The pattern the selection round relies on: capacity enforced inside the write.
  db().Write(
      [](Conn& c) { c.Exec("INSERT INTO areas (kind, name, office_close_time) VALUES ('county', 'cap', '0')"); });
  constexpr int kLimit = 45;
  std::atomic<int> won{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 30; ++i) {
        int64_t changed = db().Write([&](Conn& c) {
          return c.Exec(
              "UPDATE areas SET office_close_time = CAST(CAST(office_close_time AS INTEGER) + 1 AS TEXT) "
              "WHERE name = 'cap' AND CAST(office_close_time AS INTEGER) < $1",
              {int64_t{kLimit}});
        });
        if (changed == 1) ++won;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(won.load(), kLimit);
  auto v =
      db().Read([](Conn& c) { return c.QueryOne("SELECT office_close_time FROM areas WHERE name='cap'")->Text(0); });
  EXPECT_EQ(v, std::to_string(kLimit));
}

TEST_P(DbTest, ConcurrentWritesKeepTheirOwnOutcomes) {
  // SQLite batches concurrent write transactions into one COMMIT (group commit), each in its
  // own savepoint: an error result or an exception must undo only that caller's changes.
  std::vector<std::thread> threads;
  std::atomic<int> committed{0}, refused{0}, thrown{0};
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 40; ++i) {
        std::string name = "gc-" + std::to_string(t) + "-" + std::to_string(i);
        int kind = (t + i) % 3;
        try {
          Result<int> r = db().Write([&](Conn& c) -> Result<int> {
            c.Exec("INSERT INTO areas (kind, name) VALUES ('county', $1)", {name});
            if (kind == 1) return MakeError(kInvalid, "no");
            if (kind == 2) throw std::runtime_error("boom");
            return 1;
          });
          if (r.ok()) ++committed;
          else ++refused;
        } catch (const std::runtime_error&) {
          ++thrown;
        }
      }
    });
  for (auto& th : threads) th.join();
  auto n = db().Read([](Conn& c) { return c.QueryOne("SELECT COUNT(*) FROM areas WHERE name LIKE 'gc-%'")->Int(0); });
  EXPECT_EQ(n, committed.load());
  EXPECT_EQ(committed.load() + refused.load() + thrown.load(), 320);
  EXPECT_GT(refused.load(), 0);
  EXPECT_GT(thrown.load(), 0);
  // A unique violation inside a batch fails only its own caller, and leaves the others intact.
  db().Write(
      [](Conn& c) { c.Exec("INSERT INTO guardians (mobile, name, created_at) VALUES ('13900000000', 'a', 0)"); });
  std::atomic<int> dup{0};
  threads.clear();
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      try {
        db().Write([&](Conn& c) {
          c.Exec("INSERT INTO guardians (mobile, name, created_at) VALUES ($1, 'b', 0)",
                 {std::string(t % 2 ? "13900000000" : "1390000000" + std::to_string(t + 1))});
        });
      } catch (const DbError& e) {
        if (e.unique_violation) ++dup;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(dup.load(), 2);
  auto g = db().Read([](Conn& c) { return c.QueryOne("SELECT COUNT(*) FROM guardians")->Int(0); });
  EXPECT_EQ(g, 3);
}

TEST_P(DbTest, SharedTransactionKeepsEachWritesOwnOutcome) {
  if (!db().HasSharedTransactions()) {
    EXPECT_THROW(db().SharedTransaction([] {}), DbError);
    GTEST_SKIP() << "shared transactions are SQLite only";
  }
  // Meanwhile another thread writes normally: it must wait, then commit on its own.
  std::atomic<bool> inside{false};
  std::thread other;
  std::vector<std::string> seen;
  bool committed = db().SharedTransaction([&] {
    inside = true;
    other = std::thread(
        [&] { db().Write([](Conn& c) { c.Exec("INSERT INTO areas (kind, name) VALUES ('county', 'st-other')"); }); });
    db().Write([](Conn& c) { c.Exec("INSERT INTO areas (kind, name) VALUES ('county', 'st-1')"); });
    Result<int> refused = db().Write([](Conn& c) -> Result<int> {
      c.Exec("INSERT INTO areas (kind, name) VALUES ('county', 'st-refused')");
      return MakeError(kInvalid, "no");
    });
    EXPECT_FALSE(refused.ok());
    EXPECT_THROW(db().Write([](Conn& c) {
      c.Exec("INSERT INTO areas (kind, name) VALUES ('county', 'st-thrown')");
      throw std::runtime_error("boom");
    }),
                 std::runtime_error);
    // A later Write sees the earlier ones of the same body, and not the undone ones.
    for (auto& r :
         db().Write([](Conn& c) { return c.Query("SELECT name FROM areas WHERE name LIKE 'st-%' ORDER BY name"); }))
      seen.push_back(r.Text(0));
    // Readers see nothing before the commit.
    EXPECT_EQ(
        db().Read([](Conn& c) { return c.QueryOne("SELECT COUNT(*) FROM areas WHERE name LIKE 'st-%'")->Int(0); }), 0);
    db().Write([](Conn& c) { c.Exec("INSERT INTO areas (kind, name) VALUES ('county', 'st-2')"); });
  });
  other.join();
  EXPECT_TRUE(committed);
  EXPECT_EQ(seen, std::vector<std::string>{"st-1"});
  std::vector<std::string> names;
  for (auto& r :
       db().Read([](Conn& c) { return c.Query("SELECT name FROM areas WHERE name LIKE 'st-%' ORDER BY name"); }))
    names.push_back(r.Text(0));
  EXPECT_EQ(names, (std::vector<std::string>{"st-1", "st-2", "st-other"}));
  // A body that throws keeps nothing, and the writer is free again afterwards.
  EXPECT_THROW(db().SharedTransaction([&] {
    db().Write([](Conn& c) { c.Exec("INSERT INTO areas (kind, name) VALUES ('county', 'st-gone')"); });
    throw std::runtime_error("body failed");
  }),
               std::runtime_error);
  EXPECT_EQ(db().Read([](Conn& c) { return c.QueryOne("SELECT COUNT(*) FROM areas WHERE name = 'st-gone'")->Int(0); }),
            0);
  EXPECT_THROW(db().SharedTransaction([&] { db().SharedTransaction([] {}); }), DbError);  // no nesting
  db().Write([](Conn& c) { c.Exec("INSERT INTO areas (kind, name) VALUES ('county', 'st-after')"); });
}

TEST_P(DbTest, SharedTransactionsAndGroupCommitInterleave) {
  if (!db().HasSharedTransactions()) GTEST_SKIP() << "shared transactions are SQLite only";
  std::vector<std::thread> threads;
  std::atomic<int> expected{0};
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 30; ++i) {
        std::string name = "mix-" + std::to_string(t) + "-" + std::to_string(i);
        if (t % 2 == 0) {
          bool ok = db().SharedTransaction([&] {
            db().Write([&](Conn& c) { c.Exec("INSERT INTO areas (kind, name) VALUES ('county', $1)", {name}); });
            db().Write([&](Conn& c) { c.Exec("INSERT INTO areas (kind, name) VALUES ('county', $1)", {name + "b"}); });
          });
          if (ok) expected += 2;
        } else {
          db().Write([&](Conn& c) { c.Exec("INSERT INTO areas (kind, name) VALUES ('county', $1)", {name}); });
          ++expected;
        }
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(expected.load(), 3 * 30 * 2 + 3 * 30);
  EXPECT_EQ(db().Read([](Conn& c) { return c.QueryOne("SELECT COUNT(*) FROM areas WHERE name LIKE 'mix-%'")->Int(0); }),
            expected.load());
}

// PostgreSQL's pools (session 26): reads and writes each have their own, so a read never waits for
// a write's connection (nor a write for a read's), and neither pool opens connections beyond its
// size (each would be a backend forked for a burst); a returned connection wakes one waiter of its
// pool, not all of them (session 14: with the selection bench's 128 workers per server, waking all
// of them on every return cost the servers 4x the CPU per write).
TestDb SmallPgPool(const char* size) {
  setenv("KEHOU_PG_POOL", size, 1);
  setenv("KEHOU_PG_READ_POOL", size, 1);
  TestDb t = MakeTestDb("postgres");
  unsetenv("KEHOU_PG_POOL");
  unsetenv("KEHOU_PG_READ_POOL");
  return t;
}

// Waits (up to 10 s) until `n` callers wait for a connection of db's pools.
bool WaitForWaiters(Db& db, size_t n) {
  for (int i = 0; i < 1000; ++i) {
    if (PostgresPoolStats(db)->waiting == n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// Holds db's connection (a read's or a write's) on a thread of its own until released: by calling
// it, or when it goes out of scope (a test that stops early still joins the thread).
class HeldConnection {
 public:
  HeldConnection(Db& db, bool write) {
    auto holding = std::make_shared<std::promise<void>>();
    auto held = holding->get_future();
    thread_ = std::thread([&db, write, holding, released = release_.get_future().share()] {
      const auto hold = [&](Conn&) {
        holding->set_value();
        released.wait();
      };
      if (write) db.Write(hold);
      else db.Read(hold);
    });
    held.wait();
  }
  HeldConnection(const HeldConnection&) = delete;
  HeldConnection& operator=(const HeldConnection&) = delete;
  ~HeldConnection() { operator()(); }
  void operator()() {
    if (!thread_.joinable()) return;
    release_.set_value();
    thread_.join();
  }

 private:
  std::promise<void> release_;
  std::thread thread_;
};

TEST(DbPool, ReadsAndWritesKeepTheirOwnConnectionsAndOpenNoneBeyondThem) {
  if (TestDialects().size() < 2) GTEST_SKIP() << "PostgreSQL only (KEHOU_TEST_PG)";
  TestDb t = SmallPgPool("1");
  ASSERT_TRUE(t.db);
  Db* db = t.db.get();
  EXPECT_EQ(ReadConnections(*db), 1u);
  EXPECT_EQ(PostgresPoolStats(*db)->open, 2u);  // each pool's first, opened at start
  // The one write connection held: a read does not wait for it.
  HeldConnection release_write(*db, true);
  EXPECT_EQ(db->Read([](Conn& c) { return c.QueryOne("SELECT 1")->Int(0); }), 1);
  // The one read connection held too: a second read waits for it, and nothing opens another.
  HeldConnection release_read(*db, false);
  auto read =
      std::async(std::launch::async, [&] { return db->Read([](Conn& c) { return c.QueryOne("SELECT 2")->Int(0); }); });
  EXPECT_TRUE(WaitForWaiters(*db, 1));  // (not ASSERT: `read` would then wait for ever in its destructor)
  EXPECT_EQ(read.wait_for(std::chrono::milliseconds(0)), std::future_status::timeout);
  release_write();
  // The write's connection returned: the waiting read still waits (it is not its pool's), and a
  // write runs.
  db->Write([](Conn& c) { c.QueryOne("SELECT 3"); });
  EXPECT_EQ(read.wait_for(std::chrono::milliseconds(50)), std::future_status::timeout);
  release_read();
  EXPECT_EQ(read.get(), 2);
  auto stats = *PostgresPoolStats(*db);
  EXPECT_EQ(stats.open, 2u);
  EXPECT_EQ(stats.connects, 0u);  // the two connections, opened at start, served everything
}

TEST(DbPool, AReturnedConnectionWakesOneWaiterNotAll) {
  if (TestDialects().size() < 2) GTEST_SKIP() << "PostgreSQL only (KEHOU_TEST_PG)";
  TestDb t = SmallPgPool("1");
  ASSERT_TRUE(t.db);
  Db* db = t.db.get();
  constexpr size_t kWaiters = 12;
  HeldConnection release_read(*db, false);
  HeldConnection release_write(*db, true);
  std::vector<std::thread> waiters;
  for (size_t i = 0; i < kWaiters; ++i)
    waiters.emplace_back([&, i] {
      if (i % 2) db->Read([](Conn& c) { c.QueryOne("SELECT 1"); });
      else db->Write([](Conn& c) { c.QueryOne("SELECT 1"); });
    });
  EXPECT_TRUE(WaitForWaiters(*db, kWaiters));  // (not ASSERT: the waiters must be joined)
  const uint64_t before = PostgresPoolStats(*db)->wakeups;
  release_read();
  release_write();
  for (auto& w : waiters) w.join();
  // Each of the 12 returns (each holder's, then each waiter's but the last of each pool) wakes one
  // waiter: 12 wake-ups, a few more for spurious ones. Waking all of a pool's 6 on each return:
  // 2 x (6 + 5 + ... + 1) = 42.
  const uint64_t wakeups = PostgresPoolStats(*db)->wakeups - before;
  EXPECT_GE(wakeups, kWaiters);
  EXPECT_LE(wakeups, kWaiters + 6) << "a returned connection woke more than one waiter";
}

// Conn::QueryAll: each statement's rows in order, parameters as Query takes them (NULL, integer,
// text); on PostgreSQL one round trip once the statements are prepared on the connection; a
// failing statement throws (naming it) and the connection serves the next read as before.
TEST_P(DbTest, QueryAllAnswersEachStatementInOrderInOneRoundTrip) {
  db().Write(
      [](Conn& c) { c.Exec("INSERT INTO areas (kind, name) VALUES ('county', '青山县'), ('county', '绿水县')"); });
  const std::vector<Stmt> stmts = {
      {"SELECT name FROM areas WHERE name = $1", {std::string("绿水县")}},
      {"SELECT COUNT(*) FROM areas WHERE kind = $1 AND CAST($2 AS TEXT) IS NULL", {std::string("county"), Null()}},
      {"SELECT name FROM areas WHERE id > $1 ORDER BY name", {int64_t{0}}}};
  trace::Record rec;
  auto all = db().Read([&](Conn& c) {
    c.QueryAll(stmts);  // prepares them on this connection
    trace::current = &rec;
    auto out = c.QueryAll(stmts);
    trace::current = nullptr;
    return out;
  });
  ASSERT_EQ(all.size(), 3u);
  ASSERT_EQ(all[0].size(), 1u);
  EXPECT_EQ(all[0][0].Text(0), "绿水县");
  EXPECT_EQ(all[1][0].Int(0), 2);
  ASSERT_EQ(all[2].size(), 2u);
  EXPECT_EQ(all[2][0].Text(0), "绿水县");
  EXPECT_EQ(all[2][1].Text(0), "青山县");
  if (db().dialect() == Dialect::kPostgres) {
    EXPECT_EQ(rec.round_trips, 1);
    EXPECT_EQ(rec.stmts, 3);
  }
  const auto [one, names] = db().Read([&](Conn& c) {
    return FetchAll(
        c, Fetch<int64_t>{{"SELECT CAST($1 AS BIGINT) + 1", {int64_t{41}}}, [](const Rows& r) { return r[0].Int(0); }},
        Fetch<size_t>{stmts[2], [](const Rows& r) { return r.size(); }});
  });
  EXPECT_EQ(one, 42);
  EXPECT_EQ(names, 2u);
  try {
    db().Read([&](Conn& c) { c.QueryAll({stmts[0], {"SELECT no_such_column FROM areas", {}}, stmts[1]}); });
    FAIL() << "expected the failing statement to throw";
  } catch (const DbError& e) {
    EXPECT_NE(std::string(e.what()).find("no_such_column"), std::string::npos) << e.what();
  }
  EXPECT_EQ(db().Read([&](Conn& c) { return c.QueryAll(stmts)[1][0].Int(0); }), 2);
}

// After a failed pipeline the one connection of the pool is lent again, out of pipeline mode.
TEST(DbPool, AFailedPipelineLeavesItsConnectionUsable) {
  if (TestDialects().size() < 2) GTEST_SKIP() << "PostgreSQL only (KEHOU_TEST_PG)";
  TestDb t = SmallPgPool("1");
  ASSERT_TRUE(t.db);
  EXPECT_THROW(t.db->Read([](Conn& c) {
    c.QueryAll({{"SELECT 1", {}}, {"SELECT 1/0", {}}, {"SELECT 2", {}}});
  }),
               DbError);
  EXPECT_EQ(t.db->Read([](Conn& c) { return c.QueryOne("SELECT 3")->Int(0); }), 3);
  EXPECT_EQ(PostgresPoolStats(*t.db)->connects, 0u);  // the same connection, not a new one
}

// A write's BEGIN goes in one round trip with its first statement (a pipeline), and a write that
// runs no statement sends nothing; the statements still share one transaction, which a failure
// rolls back whole, whichever statement or script comes first.
TEST(DbPool, AWritesBeginGoesWithItsFirstStatement) {
  if (TestDialects().size() < 2) GTEST_SKIP() << "PostgreSQL only (KEHOU_TEST_PG)";
  TestDb t = SmallPgPool("1");
  ASSERT_TRUE(t.db);
  const auto traced = [&](const std::function<void(Conn&)>& fn) {
    trace::Record rec;
    t.db->Write([&](Conn& c) {
      trace::current = &rec;
      fn(c);
    });
    trace::current = nullptr;
    return rec;
  };
  const auto txids = [](Conn& c) {
    return std::pair{c.QueryOne("SELECT txid_current()")->Int(0), c.QueryOne("SELECT txid_current()")->Int(0)};
  };
  std::pair<int64_t, int64_t> ids;
  traced([&](Conn& c) { ids = txids(c); });  // prepares them on this connection
  const trace::Record two = traced([&](Conn& c) { ids = txids(c); });
  EXPECT_EQ(ids.first, ids.second);  // one transaction
  EXPECT_EQ(two.round_trips, 3);     // BEGIN with the first, the second, COMMIT
  EXPECT_EQ(two.stmts, 2);
  EXPECT_EQ(traced([](Conn&) {}).round_trips, 0);
  traced([&](Conn& c) {
    c.ExecScript("SELECT 1");  // a script first: its own BEGIN, then the same transaction
    ids = txids(c);
  });
  EXPECT_EQ(ids.first, ids.second);
  const auto count = [&] {
    return t.db->Read([](Conn& c) { return c.QueryOne("SELECT COUNT(*) FROM areas")->Int(0); });
  };
  const int64_t before = count();
  EXPECT_THROW(t.db->Write([](Conn& c) {
    c.Exec("INSERT INTO areas (kind, name) VALUES ('county', '青山县')");
    c.Exec("SELECT 1/0");
  }),
               DbError);
  EXPECT_EQ(count(), before);  // the first insert rolled back with the failure
  EXPECT_THROW(t.db->Write([](Conn& c) {
    c.Exec("SELECT 1/0");  // the first statement fails in its pipeline with BEGIN
  }),
               DbError);
  t.db->Write([](Conn& c) {
    c.QueryAll({{"INSERT INTO areas (kind, name) VALUES ('county', '绿水县')", {}}, {"SELECT 1", {}}});
  });
  EXPECT_EQ(count(), before + 1);
  EXPECT_EQ(PostgresPoolStats(*t.db)->connects, 0u);  // the same connection throughout
}

TEST_P(DbTest, PortablePrimaryKey) {
  EXPECT_NE(Portable("id {{PK}}", db().dialect()).find("PRIMARY KEY"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Both, DbTest, ::testing::ValuesIn(TestDialects()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

// SQLite: the WAL is copied back into the database file by the background checkpointer, not
// by whichever commit crosses a threshold (none is crossed here: ~2 MB stays far below the
// writer's own kWriterCheckpointPages).
TEST(SqliteCheckpoints, RunInTheBackground) {
  auto t = MakeTestDb("sqlite");
  auto file_size = [&] { return std::filesystem::file_size(t.cleanup); };
  t.db->Write([](Conn& c) {
    c.ExecScript("CREATE TABLE blobs (id INTEGER PRIMARY KEY, b TEXT NOT NULL)");
    for (int i = 0; i < 500; ++i)
      c.Exec("INSERT INTO blobs (b) VALUES ($1)", {std::string(4000, static_cast<char>('a' + i % 26))});
  });
  auto before = file_size();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (file_size() < before + 1'500'000 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_GE(file_size(), before + 1'500'000) << "the database file did not receive the WAL's pages";
}

// libsqlite3 is opened on the first SQLite database (sqlite_lazy.h): the normal path finds every
// function; a missing library is named in Chinese and English instead of failing at process start.
TEST(DbOpen, SqliteIsOpenedOnFirstUseAndAMissingLibraryIsNamed) {
  auto t = MakeTestDb("sqlite");
  EXPECT_EQ(internal::SqliteLib().error, "");
  EXPECT_NE(internal::SqliteLib().handle, nullptr);
  internal::Sqlite3 missing = internal::LoadSqlite3("libkehou-no-such-sqlite3.so.0");
  EXPECT_EQ(missing.handle, nullptr);
  EXPECT_NE(missing.error.find("SQLite 库"), std::string::npos) << missing.error;
  EXPECT_NE(missing.error.find("cannot load libkehou-no-such-sqlite3.so.0"), std::string::npos) << missing.error;
}

TEST(DbOpen, RejectsUnknownUrls) {
  EXPECT_THROW(Db::Open("mysql://x"), DbError);
  EXPECT_THROW(Db::Open("sqlite:"), DbError);
}

}  // namespace
}  // namespace kehou::db
