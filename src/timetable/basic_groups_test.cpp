// Basic-service groups: at most 45 (45 one group, 46 two), small classes mixed, grades 1-2 labelled.
#include "timetable/basic_groups.h"

#include <gtest/gtest.h>

namespace kehou::timetable {
namespace {

std::vector<GroupChild> Class(int64_t class_id, int grade, int n, int64_t first_id) {
  std::vector<GroupChild> out;
  for (int k = 0; k < n; ++k)
    out.push_back({first_id + k, class_id, grade, "G" + std::to_string(grade) + "C" + std::to_string(class_id),
                   "G" + std::to_string(grade)});
  return out;
}

TEST(BasicGroups, FortyFiveIsOneGroupFortySixTwo) {
  auto g = FormGroups(Class(1, 3, kMaxGroupSize, 100));
  ASSERT_EQ(g.size(), 1u);
  EXPECT_EQ(g[0].members.size(), 45u);
  EXPECT_EQ(g[0].class_id, 1);
  EXPECT_FALSE(g[0].play_reading);
  auto two = FormGroups(Class(1, 3, kMaxGroupSize + 1, 100));
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].members.size(), 23u);
  EXPECT_EQ(two[1].members.size(), 23u);
  EXPECT_NE(two[0].name, two[1].name);
}

TEST(BasicGroups, SmallClassesMixWithinTheirGradeAndNoGroupPassesTheLimit) {
  std::vector<GroupChild> all;
  for (int64_t c = 1; c <= 5; ++c) {
    auto part = Class(c, 2, kMinClassGroup - 1, c * 1000);  // 14 each: 70 in mixed groups
    all.insert(all.end(), part.begin(), part.end());
  }
  auto big = Class(9, 2, 90, 9000);
  all.insert(all.end(), big.begin(), big.end());
  auto lone = Class(10, 4, kMinClassGroup, 10000);  // 15: a class group of its own
  all.insert(all.end(), lone.begin(), lone.end());
  auto g = FormGroups(all);
  size_t total = 0, mixed = 0;
  for (const auto& x : g) {
    EXPECT_LE(x.members.size(), static_cast<size_t>(kMaxGroupSize));
    EXPECT_EQ(x.play_reading, x.grade <= kPlayReadingTopGrade);
    total += x.members.size();
    mixed += x.class_id ? 0 : 1;
  }
  EXPECT_EQ(total, all.size());
  EXPECT_EQ(mixed, 2u);                         // 70 children: two mixed groups of 35
  EXPECT_EQ(g.size(), 5u);                      // 2 (class 9) + 2 mixed + 1 (class 10)
  EXPECT_EQ(FormGroups(all).size(), g.size());  // deterministic
  EXPECT_EQ(FormGroups(all)[0].members, g[0].members);
}

}  // namespace
}  // namespace kehou::timetable
