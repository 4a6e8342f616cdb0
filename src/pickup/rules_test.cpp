#include "pickup/rules.h"

#include <gtest/gtest.h>

namespace kehou::pickup {
namespace {

const Date kDay{2026, 12, 4};

Authorisation Proxy(Date from, Date to) {
  Authorisation a;
  a.kind = AdultKind::kProxy;
  a.valid_from = from;
  a.valid_to = to;
  return a;
}

std::string Code(const Status& s) { return s.ok() ? "ok" : s.error().field; }

TEST(Authorisation, ProxyValidToIsInclusiveExpiredTheDayAfter) {
  auto a = Proxy({2026, 11, 1}, kDay);
  EXPECT_TRUE(CheckAuthorisation(a, kDay).ok());
  auto next = CheckAuthorisation(a, AddDays(kDay, 1));
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.error().code, kRuleBroken);
  EXPECT_EQ(next.error().field, "expired");
  EXPECT_NE(next.error().message.find("过期"), std::string::npos);
}

TEST(Authorisation, ProxyNotYetValidBeforeValidFrom) {
  auto a = Proxy(kDay, AddDays(kDay, 30));
  EXPECT_EQ(Code(CheckAuthorisation(a, AddDays(kDay, -1))), "not_yet_valid");
  EXPECT_EQ(Code(CheckAuthorisation(a, kDay)), "ok");
}

TEST(Authorisation, RevokedProxyRefusedWithItsReason) {
  auto a = Proxy({2026, 11, 1}, {2027, 1, 1});
  a.revoked = true;
  a.revoke_reason = "家长撤回";
  auto s = CheckAuthorisation(a, kDay);
  EXPECT_EQ(Code(s), "revoked");
  EXPECT_NE(s.error().message.find("家长撤回"), std::string::npos);
}

TEST(Authorisation, RestrictionBeatsEverythingEvenAGuardian) {
  Authorisation g;  // a guardian of the child
  EXPECT_TRUE(CheckAuthorisation(g, kDay).ok());
  g.restriction = "法院判决 (2026)01民初123号";
  auto s = CheckAuthorisation(g, kDay);
  EXPECT_EQ(Code(s), "restricted");
  EXPECT_NE(s.error().message.find("法院"), std::string::npos);
  auto p = Proxy({2026, 11, 1}, {2027, 1, 1});
  p.restriction = "监护限制";
  p.revoked = true;
  EXPECT_EQ(Code(CheckAuthorisation(p, kDay)), "restricted");
}

TEST(Authorisation, CardRevokedAndNotLinkedAndSelf) {
  Authorisation g;
  g.card_revoked = true;
  EXPECT_EQ(Code(CheckAuthorisation(g, kDay)), "card_revoked");
  Authorisation stranger;
  stranger.linked = false;
  EXPECT_EQ(Code(CheckAuthorisation(stranger, kDay)), "not_authorised");
  Authorisation self;
  self.kind = AdultKind::kSelf;
  EXPECT_EQ(Code(CheckAuthorisation(self, kDay)), "no_self_permission");
  self.self_permission = true;
  EXPECT_TRUE(CheckAuthorisation(self, kDay).ok());
}

TEST(ProxyDates, AtTheLimits) {
  EXPECT_TRUE(CheckProxyDates(kDay, kDay, kDay).ok());
  EXPECT_FALSE(CheckProxyDates(kDay, AddDays(kDay, -1), AddDays(kDay, -5)).ok());   // to before from
  EXPECT_FALSE(CheckProxyDates(AddDays(kDay, -3), AddDays(kDay, -1), kDay).ok());   // ended already
  EXPECT_TRUE(CheckProxyDates(kDay, AddDays(kDay, kMaxProxyDays - 1), kDay).ok());  // 366 days
  auto too_long = CheckProxyDates(kDay, AddDays(kDay, kMaxProxyDays), kDay);        // 367 days
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().field, "valid_to");
}

TEST(ProxyDates, IdLast4) {
  EXPECT_TRUE(ValidIdLast4("1234"));
  EXPECT_TRUE(ValidIdLast4("123X"));
  EXPECT_TRUE(ValidIdLast4("123x"));
  EXPECT_FALSE(ValidIdLast4("12X4"));
  EXPECT_FALSE(ValidIdLast4("123"));
  EXPECT_FALSE(ValidIdLast4("12345"));
  EXPECT_FALSE(ValidIdLast4("12a4"));
}

TEST(Late, StepsAtEachLimit) {
  const int64_t end = BatchEndMs(kDay, 17 * 60);  // batch at 17:00, ends 17:15
  EXPECT_EQ(end, LocalInstant(kDay, 17 * 60 + kBatchWindowMinutes));
  const int64_t m = 60'000;
  EXPECT_EQ(LateStepsDue(end, end - 1), 0);
  EXPECT_EQ(LateStepsDue(end, end + 10 * m - 1), 0);
  EXPECT_EQ(LateStepsDue(end, end + 10 * m), 1);  // +10: guardian
  EXPECT_EQ(LateStepsDue(end, end + 20 * m - 1), 1);
  EXPECT_EQ(LateStepsDue(end, end + 20 * m), 2);  // +20: class teacher and office
  EXPECT_EQ(LateStepsDue(end, end + 40 * m - 1), 2);
  EXPECT_EQ(LateStepsDue(end, end + 40 * m), 3);  // +40: leaders
  EXPECT_EQ(LateStepsDue(end, end + 600 * m), kLateSteps);
}

TEST(Late, SchoolRuleMinutes) {
  const int64_t end = BatchEndMs(kDay, 16 * 60);
  LateRule r{5, 15, 30};
  EXPECT_EQ(LateStepsDue(end, end + 5 * 60'000 - 1, r), 0);
  EXPECT_EQ(LateStepsDue(end, end + 5 * 60'000, r), 1);
  EXPECT_EQ(LateStepsDue(end, end + 30 * 60'000, r), 3);
}

TEST(Late, SchoolRuleIsCheckedAtEachLimit) {
  EXPECT_TRUE(CheckLateRule({}).ok());  // the defaults 10/20/40
  EXPECT_TRUE(CheckLateRule({1, 2, kMaxLateMinutes}).ok());
  EXPECT_EQ(CheckLateRule({0, 20, 40}).error().field, "late_guardian_minutes");  // positive
  EXPECT_EQ(CheckLateRule({-5, 20, 40}).error().field, "late_guardian_minutes");
  EXPECT_EQ(CheckLateRule({10, 20, kMaxLateMinutes + 1}).error().field, "late_leader_minutes");
  EXPECT_EQ(CheckLateRule({10, 10, 40}).error().field, "late_office_minutes");  // strictly increasing
  EXPECT_EQ(CheckLateRule({20, 10, 40}).error().field, "late_office_minutes");
  EXPECT_EQ(CheckLateRule({10, 40, 40}).error().field, "late_leader_minutes");
  EXPECT_EQ(CheckLateRule({10, 40, 39}).error().field, "late_leader_minutes");
  EXPECT_EQ(CheckLateRule({10, 20, 40}).ok(), true);
  EXPECT_EQ(LateStepMinutes({7, 14, 28}, 1), 7);
  EXPECT_EQ(LateStepMinutes({7, 14, 28}, 2), 14);
  EXPECT_EQ(LateStepMinutes({7, 14, 28}, 3), 28);
}

TEST(CloseDay, UnaccountedChildrenBlock) {
  EXPECT_TRUE(Unaccounted({}, {}).empty());
  EXPECT_TRUE(Unaccounted({1, 2, 3}, {3, 2, 1}).empty());
  EXPECT_EQ(Unaccounted({1, 2, 3}, {1, 3}), std::vector<int64_t>{2});
  EXPECT_EQ(Unaccounted({4, 2, 4}, {}), (std::vector<int64_t>{4, 2}));
  EXPECT_TRUE(Unaccounted({}, {9}).empty());  // left without being marked present: not blocking
}

TEST(AdultKinds, ParseAndName) {
  for (auto k : {AdultKind::kGuardian, AdultKind::kProxy, AdultKind::kSelf})
    EXPECT_EQ(ParseAdultKind(AdultKindName(k)), k);
  EXPECT_FALSE(ParseAdultKind("Guardian"));
}

}  // namespace
}  // namespace kehou::pickup
