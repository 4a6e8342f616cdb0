#include "allocate/lottery.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace kehou::allocate {
namespace {

Seed SeedOf(unsigned char b) {
  Seed s{};
  for (size_t i = 0; i < s.size(); ++i) s[i] = static_cast<unsigned char>(b + i);
  return s;
}

TEST(Lottery, CommitmentIsStableHexAndRevealChecks) {
  const Seed s = SeedOf(1);
  const std::string c = SeedCommitment(s);
  EXPECT_EQ(c.size(), 64u);
  EXPECT_EQ(c, SeedCommitment(s));
  EXPECT_TRUE(RevealCheck(s, c));
  std::string upper = c;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  EXPECT_TRUE(RevealCheck(s, upper));
  EXPECT_FALSE(RevealCheck(SeedOf(2), c));  // another seed
  std::string tampered = c;
  tampered[10] = tampered[10] == '0' ? '1' : '0';
  EXPECT_FALSE(RevealCheck(s, tampered));
  EXPECT_FALSE(RevealCheck(s, c.substr(1)));  // wrong length
  EXPECT_FALSE(RevealCheck(s, std::string(64, 'g')));
  EXPECT_NE(c, SeedToHex(s));  // the commitment does not reveal the seed
}

TEST(Lottery, SeedHexRoundTrip) {
  const Seed s = NewSeed();
  auto back = SeedFromHex(SeedToHex(s));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, s);
  EXPECT_FALSE(SeedFromHex("abc").ok());
  EXPECT_FALSE(SeedFromHex(std::string(64, 'z')).ok());
  EXPECT_NE(NewSeed(), NewSeed());
}

TEST(Lottery, ValuesAreDeterministicAndSeedDependent) {
  const Seed a = SeedOf(7), b = SeedOf(8);
  EXPECT_EQ(LotteryValue(a, 42), LotteryValue(a, 42));
  EXPECT_NE(LotteryValue(a, 42), LotteryValue(a, 43));
  EXPECT_NE(LotteryValue(a, 42), LotteryValue(b, 42));
}

TEST(Lottery, KnownAnswer) {
  // Pinned against Python's hashlib.blake2b(digest_size=32), so the documented recipe is the code:
  //   blake2b(b"kehou/seed-commit/v1" + seed) and blake2b(b"kehou/lottery/v1" + seed + id_be64)[:8]
  Seed zero{};
  EXPECT_EQ(SeedCommitment(zero), "2b047de9e92238d22359d69f36bad76ff2ca9e1076f047a7a8dcf8a0f1e4ce86");
  EXPECT_EQ(LotteryValue(zero, 1), 8843410612913406998ull);
}

TEST(Lottery, PositionsArePermutationOrderedByValue) {
  const Seed s = SeedOf(3);
  std::vector<int64_t> ids;
  for (int64_t i = 1; i <= 200; ++i) ids.push_back(i * 17);
  const auto pos = LotteryPositions(s, ids);
  std::set<int> seen(pos.begin(), pos.end());
  EXPECT_EQ(seen.size(), ids.size());
  EXPECT_EQ(*seen.begin(), 1);
  EXPECT_EQ(*seen.rbegin(), 200);
  for (size_t i = 0; i < ids.size(); ++i)
    for (size_t j = 0; j < ids.size(); ++j)
      if (pos[i] < pos[j]) {
        ASSERT_LE(LotteryValue(s, ids[i]), LotteryValue(s, ids[j]));
      }
}

}  // namespace
}  // namespace kehou::allocate
