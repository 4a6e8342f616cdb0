// seats_test_fixture.h (select, tests): a mini school with sections, a first-come round and the
// PostgreSQL take function called as a server calls it (seats_test.cpp, take_group_test.cpp).
#pragma once
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "catalog/service.h"
#include "catalog/test_files.h"
#include "catalog/test_fixture.h"
#include "core/time.h"
#include "db/testing.h"
#include "select/service.h"
#include "select/store.h"
#include "select/take_cache.h"

namespace kehou::select {

class SeatWrites : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ClearSeatsCache();
    t_ = db::MakeTestDb(GetParam());
    m_ = testing::MakeMiniSchool(*t_.db, 20);
  }
  db::Db& db() { return *t_.db; }
  int64_t Section(const char* name, const char* slots, int64_t cap) {
    auto c = catalog::CreateCourse(db(), m_.principal, std::nullopt,  // approved with its plan (note 31)
                                   testing::Planned({{"name", name},
                                                     {"category", "arts"},
                                                     {"grades", "3,4"},
                                                     {"capacity", 90},
                                                     {"institution", "少年宫"},
                                                     {"slots", slots}}));
    EXPECT_TRUE(c.ok()) << c.error().message;
    auto s = catalog::CreateSection(db(), m_.office, std::nullopt, (*c)["id"], {{"capacity", cap}});
    EXPECT_TRUE(s.ok()) << s.error().message;
    return (*s)["id"];
  }
  int64_t Round() {
    int64_t now = NowMs();
    auto r = CreateRound(db(), m_.office, std::nullopt,
                         {{"name", "第一轮"},
                          {"mode", "fcfs"},
                          {"grades", {3, 4}},
                          {"opens_at", now - 1000},
                          {"closes_at", now + 3600000},
                          {"max_per_child", 2}});
    EXPECT_TRUE(r.ok()) << r.error().message;
    return (*r)["id"];
  }
  int64_t Count(const std::string& sql, db::Params p) {
    return db().Read([&](db::Conn& c) { return c.QueryOne(sql, p)->Int(0); });
  }
  // kehou_seat_writes (one take) as the server calls it, with the facts the load read for child `kid` (changed
  // by `change`, if given) and its seats `held`.
  struct TakeArgs {
    int kid = 0;
    std::string held = "[]";
    db::Value key;
    std::function<void(store::TakeLoad&)> change;
    int64_t guardian = 0;  // 0: the child's
  };
  store::TakeLoad Facts(int kid, int64_t round, int64_t sec) {
    return db().Read([&](db::Conn& c) {
      return store::LoadTakePg(c, *m_.Guardian(kid).guardian_id, "", m_.students[kid], round, sec);
    });
  }
  db::Row CallTake(int64_t round, int64_t sec, const TakeArgs& a) { return CallTakes(round, {{sec, a}}).at(0); }
  // Takes in one call of kehou_seat_writes, each (section, args); its rows in the takes' order.
  std::vector<db::Row> CallTakes(int64_t round, const std::vector<std::pair<int64_t, TakeArgs>>& takes) {
    std::vector<db::Params> params;
    for (const auto& [sec, a] : takes) params.push_back(TakeParams(round, sec, a));
    std::vector<store::SeatWriteIn> writes;
    for (const auto& p : params) writes.push_back({store::SeatWriteIn::kTake, &p});
    db::Rows rows =
        db().Write([&](db::Conn& c) { return c.Query(store::kSeatWritesPg, {store::SeatWritesJson(writes)}); });
    EXPECT_EQ(rows.size(), takes.size());
    std::vector<db::Row> out(takes.size(), rows.at(0));
    for (const auto& r : rows) out.at(static_cast<size_t>(r.Int(7))) = r;
    return out;
  }
  db::Params TakeParams(int64_t round, int64_t sec, const TakeArgs& a) {
    store::TakeLoad f = Facts(a.kid, round, sec);
    if (a.change) a.change(f);
    return db::Params{a.guardian ? a.guardian : *m_.Guardian(a.kid).guardian_id,
                      a.key,
                      m_.school_id,
                      m_.students[a.kid],
                      round,
                      sec,
                      take_cache::ChildFacts(*f.child),
                      f.round_facts,
                      f.section_facts,
                      a.held,
                      int64_t{1000},
                      db::Null(),
                      std::string("家长"),
                      std::string("test"),
                      std::string("r1"),
                      std::string(R"({"status":"confirmed"})"),
                      std::string("{}"),
                      int64_t{409},
                      std::string(R"({"ok":false})"),
                      std::string("fp")};
  }
  db::TestDb t_;
  testing::MiniSchool m_;
};

}  // namespace kehou::select
