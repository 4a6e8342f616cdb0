#include "core/combiner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <stdexcept>
#include <thread>

namespace kehou {
namespace {

using Clock = std::chrono::steady_clock;

template <class F>
bool Eventually(F done) {
  for (auto until = Clock::now() + std::chrono::seconds(10); Clock::now() < until;) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return done();
}

struct Item {
  int id = 0;
  int key = 0;         // items of one key never share a group (the test's "one write a child")
  int written = 0;     // times a group held it
  int group = -1;      // the group that wrote it
  bool fails = false;  // its group's write throws
};

// Records every group; the first write waits until `open` (so the others queue behind it).
struct Recorder {
  std::mutex mu;
  std::vector<std::vector<int>> groups;
  std::atomic<int> in_write{0}, most_at_once{0};
  std::promise<void> open;
  std::shared_future<void> opened = open.get_future().share();
  std::atomic<bool> first{true};

  void Write(const std::vector<Item*>& g) {
    int now = ++in_write;
    for (int m = most_at_once; now > m && !most_at_once.compare_exchange_weak(m, now);) {
    }
    if (first.exchange(false)) opened.wait();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::vector<int> ids;
    int n;
    {
      std::lock_guard l(mu);
      n = static_cast<int>(groups.size());
      for (Item* i : g) ids.push_back(i->id);
      groups.push_back(ids);
    }
    --in_write;
    for (Item* i : g) {
      if (i->fails) throw std::runtime_error("group " + std::to_string(n));
    }
    for (Item* i : g) {
      ++i->written;
      i->group = n;
    }
  }
};

Combiner<Item>::Joins DifferentKeys() {
  return [](const std::vector<Item*>& g, const Item& c) {
    for (const Item* i : g) {
      if (i->key == c.key) return false;
    }
    return true;
  };
}

TEST(Combiner, AnItemAloneIsWrittenAtOnce) {
  Recorder r;
  r.first = false;
  Combiner<Item> c({2, 16}, DifferentKeys(), [&](const auto& g) { r.Write(g); });
  Item a{.id = 1, .key = 1};
  c.Hand(a);
  EXPECT_EQ(a.written, 1);
  auto s = c.GetStats();
  EXPECT_EQ(s.calls, 1);
  EXPECT_EQ(s.items, 1);
  EXPECT_EQ(s.waiting, 0);
}

TEST(Combiner, ItemsThatWaitAreWrittenTogetherInGroupsTheJoinsAllow) {
  Recorder r;
  Combiner<Item> c({1, 4}, DifferentKeys(), [&](const auto& g) { r.Write(g); });
  std::vector<Item> items(13);
  for (int i = 0; i < 13; ++i) items[i] = Item{.id = i, .key = i == 0 ? 100 : i % 3};
  std::vector<std::thread> threads;
  threads.emplace_back([&] { c.Hand(items[0]); });
  ASSERT_TRUE(Eventually([&] { return r.in_write.load() == 1; }));  // the first leads and holds
  for (int i = 1; i < 13; ++i) threads.emplace_back([&, i] { c.Hand(items[i]); });
  ASSERT_TRUE(Eventually([&] { return c.GetStats().waiting == 12; }));
  r.open.set_value();
  for (auto& t : threads) t.join();

  std::set<int> seen;
  for (const auto& g : r.groups) {
    EXPECT_LE(g.size(), 4u);
    std::set<int> keys;
    for (int id : g) {
      EXPECT_TRUE(seen.insert(id).second) << id << " written twice";
      EXPECT_TRUE(keys.insert(items[id].key).second) << "two of one key in a group";
    }
  }
  EXPECT_EQ(seen.size(), 13u);
  for (const auto& i : items) EXPECT_EQ(i.written, 1);
  EXPECT_EQ(r.most_at_once.load(), 1);  // one leader at a time
  auto s = c.GetStats();
  EXPECT_EQ(s.items, 13);
  EXPECT_EQ(s.largest, 3);  // three keys among the waiting
  EXPECT_LE(s.calls, 1 + 4 + 1);
  EXPECT_EQ(s.waiting, 0);
}

TEST(Combiner, AtMostTheLeadersWriteAtOnce) {
  Recorder r;
  Combiner<Item> c({2, 1}, DifferentKeys(), [&](const auto& g) { r.Write(g); });
  std::vector<Item> items(40);
  std::vector<std::thread> threads;
  for (int i = 0; i < 40; ++i) {
    items[i] = Item{.id = i, .key = i};
    threads.emplace_back([&, i] { c.Hand(items[i]); });
  }
  ASSERT_TRUE(Eventually([&] { return r.in_write.load() == 2; }));  // the first holds, a second writes
  r.open.set_value();
  for (auto& t : threads) t.join();
  EXPECT_EQ(r.most_at_once.load(), 2);
  EXPECT_EQ(c.GetStats().calls, 40);
  for (const auto& i : items) EXPECT_EQ(i.written, 1);
}

TEST(Combiner, AGroupsFailureIsThrownForEveryItemOfThatGroupOnly) {
  Recorder r;
  Combiner<Item> c({1, 16}, DifferentKeys(), [&](const auto& g) { r.Write(g); });
  std::vector<Item> items(6);
  std::vector<std::string> errors(6);
  std::vector<std::thread> threads;
  auto hand = [&](int i) {
    try {
      c.Hand(items[i]);
    } catch (const std::runtime_error& e) {
      errors[i] = e.what();
    }
  };
  items[0] = Item{.id = 0, .key = 0};
  threads.emplace_back(hand, 0);
  ASSERT_TRUE(Eventually([&] { return r.in_write.load() == 1; }));
  for (int i = 1; i < 6; ++i) {
    items[i] = Item{.id = i, .key = i, .fails = i == 3};
    threads.emplace_back(hand, i);
  }
  ASSERT_TRUE(Eventually([&] { return c.GetStats().waiting == 5; }));
  r.open.set_value();
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors[0], "");
  EXPECT_EQ(items[0].written, 1);
  for (int i = 1; i < 6; ++i) {
    EXPECT_EQ(errors[i], "group 1") << i;  // the five waited together; their write threw
    EXPECT_EQ(items[i].written, 0);
  }
  EXPECT_EQ(c.GetStats().calls, 2);
}

// Leaves `c` after a group with company (the first item held while two more queued behind it).
void MakeBusy(Combiner<Item>& c, Recorder& r, std::vector<Item>& items) {
  items = {Item{.id = 100, .key = 100}, Item{.id = 101, .key = 101}, Item{.id = 102, .key = 102}};
  std::vector<std::thread> threads;
  threads.emplace_back([&] { c.Hand(items[0]); });
  ASSERT_TRUE(Eventually([&] { return r.in_write.load() == 1; }));
  for (int i = 1; i < 3; ++i) threads.emplace_back([&, i] { c.Hand(items[i]); });
  ASSERT_TRUE(Eventually([&] { return c.GetStats().waiting == 2; }));
  r.open.set_value();
  for (auto& t : threads) t.join();
  ASSERT_EQ(r.groups.back().size(), 2u);
}

TEST(Combiner, AQuietHoursItemDoesNotLinger) {
  Recorder r;
  r.first = false;
  Combiner<Item> c({1, 16, std::chrono::seconds(30)}, DifferentKeys(), [&](const auto& g) { r.Write(g); });
  auto t0 = Clock::now();
  Item a{.id = 1, .key = 1}, b{.id = 2, .key = 2};
  c.Hand(a);
  c.Hand(b);  // its predecessor was alone: no wait either
  EXPECT_LT(Clock::now() - t0, std::chrono::seconds(10));
  EXPECT_EQ(c.GetStats().calls, 2);
}

TEST(Combiner, ABusyHoursLeaderWaitsForCompanyUntilAGroupIsFull) {
  Recorder r;
  Combiner<Item> c({1, 2, std::chrono::seconds(30)}, DifferentKeys(), [&](const auto& g) { r.Write(g); });
  std::vector<Item> busy;
  MakeBusy(c, r, busy);
  Item x{.id = 1, .key = 1}, y{.id = 2, .key = 2};
  auto t0 = Clock::now();
  std::thread lead([&] { c.Hand(x); });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(x.written, 0);  // still waiting for company
  c.Hand(y);                // fills the group of two: the wait ends
  lead.join();
  EXPECT_LT(Clock::now() - t0, std::chrono::seconds(10));
  EXPECT_EQ(x.group, y.group);
  EXPECT_EQ(r.groups.back(), (std::vector<int>{1, 2}));
}

TEST(Combiner, ALingerEndsAfterItsTimeAndAGroupAloneEndsTheBusyHour) {
  Recorder r;
  Combiner<Item> c({1, 16, std::chrono::milliseconds(200)}, DifferentKeys(), [&](const auto& g) { r.Write(g); });
  std::vector<Item> busy;
  MakeBusy(c, r, busy);
  Item x{.id = 1, .key = 1}, y{.id = 2, .key = 2};
  auto t0 = Clock::now();
  c.Hand(x);  // waits its 200 ms for company that never comes
  EXPECT_GE(Clock::now() - t0, std::chrono::milliseconds(200));
  EXPECT_EQ(r.groups.back(), (std::vector<int>{1}));
  auto t1 = Clock::now();
  c.Hand(y);  // the last group was alone: written at once
  EXPECT_LT(Clock::now() - t1, std::chrono::milliseconds(200));
}

}  // namespace
}  // namespace kehou
