// testing.h: fresh, migrated databases for tests. SQLite always (a temp file); PostgreSQL too
// when KEHOU_TEST_PG holds a connection URL (each TestDb gets its own schema, dropped after).
// Use:  for (auto& t : db::TestDatabases()) { db::Db& d = *t.db; ... }
// or a parameterised GoogleTest over db::TestDialects().
#pragma once
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "db/db.h"

namespace kehou::db {

struct TestDb {
  std::unique_ptr<Db> db;
  std::string name;  // "sqlite" or "postgres"
  std::string url;
  std::string cleanup;  // sqlite file or pg schema
  std::string admin_url;
  TestDb() = default;
  TestDb(TestDb&&) = default;
  TestDb& operator=(TestDb&&) = default;
  ~TestDb() {
    if (!db) return;
    db.reset();
    if (name == "sqlite") {
      std::error_code ec;
      for (auto suffix : {"", "-wal", "-shm"}) std::filesystem::remove(cleanup + suffix, ec);
    } else {
      try {
        auto admin = Db::Open(admin_url);
        admin->Write([&](Conn& c) { c.ExecScript("DROP SCHEMA IF EXISTS " + cleanup + " CASCADE"); });
      } catch (...) {
      }
    }
  }
};

inline std::string UniqueSuffix() {
  static std::atomic<int> n{0};
  std::random_device rd;
  return std::to_string(getpid()) + "_" + std::to_string(n++) + "_" + std::to_string(rd() % 100000);
}

// A fresh migrated database of the given kind ("sqlite" or "postgres"); nullptr db if
// postgres is not configured.
inline TestDb MakeTestDb(const std::string& kind, bool migrate = true) {
  TestDb t;
  t.name = kind;
  if (kind == "sqlite") {
    t.cleanup = (std::filesystem::temp_directory_path() / ("kehou_test_" + UniqueSuffix() + ".db")).string();
    t.url = "sqlite:" + t.cleanup;
  } else {
    const char* pg = std::getenv("KEHOU_TEST_PG");
    if (!pg || !*pg) return t;
    t.admin_url = pg;
    t.cleanup = "t_" + UniqueSuffix();
    auto admin = Db::Open(t.admin_url);
    admin->Write([&](Conn& c) { c.ExecScript("CREATE SCHEMA " + t.cleanup); });
    std::string sep = t.admin_url.find('?') == std::string::npos ? "?" : "&";
    t.url = t.admin_url + sep + "options=-csearch_path%3D" + t.cleanup;
  }
  t.db = Db::Open(t.url);
  if (migrate) Migrate(*t.db);
  return t;
}

// The kinds to run a test on: always sqlite, postgres when KEHOU_TEST_PG is set.
inline std::vector<std::string> TestDialects() {
  std::vector<std::string> out{"sqlite"};
  const char* pg = std::getenv("KEHOU_TEST_PG");
  if (pg && *pg) out.push_back("postgres");
  return out;
}

}  // namespace kehou::db
