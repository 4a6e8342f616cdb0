// seats_test_fixture.h (select, tests): a mini school with sections, a first-come round and the
// PostgreSQL take function called as a server calls it (seats_test.cpp, take_group_test.cpp).
#pragma once
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "select/store.h"
#include "select/take_cache.h"
#include "select/test_base.h"

namespace kehou::select {

class SeatWrites : public SelectTest {
 protected:
  SeatWrites() : SelectTest(20) {}
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
  // A drop of child `kid`'s seat as kehou_seat_writes reads it (its 17 parameters, at time 2000,
  // request id r2, fingerprint fpd), with `more` after them (a drop from the server's facts: the
  // child's and the round's).
  db::Params DropParams(int kid, int64_t guardian, const std::string& key, int64_t round, int64_t sec,
                        db::Params more = {}) {
    db::Params p{guardian,
                 key,
                 m_.school_id,
                 m_.students[kid],
                 round,
                 sec,
                 int64_t{2000},
                 db::Null(),
                 std::string("家长"),
                 std::string("test"),
                 std::string("r2"),
                 std::string(R"({"section_id":1})"),
                 std::string(R"({"ok":true,"body":{"status":"dropped"}})"),
                 int64_t{404},
                 std::string(R"({"ok":false})"),
                 std::string("fpd"),
                 int64_t{86400000}};
    p.insert(p.end(), more.begin(), more.end());
    return p;
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
};

}  // namespace kehou::select
