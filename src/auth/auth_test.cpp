#include <gtest/gtest.h>
#include <sodium.h>

#include "auth/audit.h"
#include "auth/permissions.h"
#include "auth/service.h"
#include "db/testing.h"

namespace kehou::auth {
namespace {

TEST(Roles, EveryRoleHasANameAndLabelAndRoundTrips) {
  EXPECT_EQ(AllRoles().size(), static_cast<size_t>(kRoleCount));
  for (Role r : AllRoles()) {
    EXPECT_FALSE(RoleName(r).empty());
    EXPECT_FALSE(RoleLabelZh(r).empty());
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  }
  EXPECT_FALSE(ParseRole("root"));
}

TEST(Permissions, TableIsUniqueAndDeniesByDefault) {
  std::set<std::string> seen;
  for (auto& p : PermissionTable()) {
    EXPECT_TRUE(seen.insert(p.method + " " + p.pattern).second) << "duplicate " << p.pattern;
    if (!p.is_public) {
      EXPECT_FALSE(p.grants.empty()) << p.pattern;
    }
  }
  auto* students = FindPermission("GET", "/api/v1/students");
  ASSERT_TRUE(students);
  EXPECT_EQ(ScopeFor(*students, Role::kPrincipal), Scope::kSchool);
  EXPECT_EQ(ScopeFor(*students, Role::kClassTeacher), Scope::kOwnClass);
  EXPECT_FALSE(ScopeFor(*students, Role::kGuardian));
  EXPECT_FALSE(ScopeFor(*students, Role::kCountyOfficer));
  EXPECT_FALSE(ScopeFor(*students, Role::kParentCommittee));
  // Officers only ever read.
  for (auto& p : PermissionTable()) {
    if (p.method == "GET" || p.is_public || ScopeFor(p, Role::kCountyOfficer) == Scope::kSelf) continue;  // own account only
    EXPECT_FALSE(ScopeFor(p, Role::kCountyOfficer)) << p.pattern;
    EXPECT_FALSE(ScopeFor(p, Role::kCityOfficer)) << p.pattern;
  }
}

TEST(Masking, IdNumbersAndMobiles) {
  EXPECT_EQ(MaskIdNumber("11010520150312123X"), "110***********123X");
  EXPECT_EQ(MaskMobile("13812345678"), "138****5678");
}

TEST(Passwords, StrengthHashAndVerify) {
  ASSERT_GE(sodium_init(), 0);
  EXPECT_FALSE(CheckPasswordStrength("short1").ok());
  EXPECT_FALSE(CheckPasswordStrength("longbutnodigits").ok());
  EXPECT_TRUE(CheckPasswordStrength("Kehou@2026").ok());
  auto h = HashPassword("Kehou@2026");
  EXPECT_EQ(h.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword(h, "Kehou@2026"));
  EXPECT_FALSE(VerifyPassword(h, "Kehou@2027"));
  EXPECT_TRUE(CheckPasswordStrength(TemporaryPassword()).ok());
}

TEST(Throttle, GrowingDelayAfterFiveFailures) {
  Throttle t;
  int64_t now = 1'000'000;
  for (int i = 0; i < kFreeLoginFailures - 1; ++i) t.Failure("a", now);
  EXPECT_EQ(t.WaitSeconds("a", now), 0);  // 4 failures: no delay yet
  t.Failure("a", now);                    // the 5th
  EXPECT_EQ(t.WaitSeconds("a", now), 1);
  t.Failure("a", now);
  EXPECT_EQ(t.WaitSeconds("a", now), 2);
  t.Failure("a", now);
  EXPECT_EQ(t.WaitSeconds("a", now), 4);
  EXPECT_EQ(t.WaitSeconds("a", now + 4000), 0);
  t.Success("a");
  EXPECT_EQ(t.WaitSeconds("a", now), 0);
}

class AuthDbTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    t_ = db::MakeTestDb(GetParam());
    t_.db->Write([&](db::Conn& c) {
      area_ = c.Insert("INSERT INTO areas (kind, name) VALUES ('county', '青山县') RETURNING id", {});
      school_ = c.Insert("INSERT INTO schools (area_id, name, level, type, created_at) VALUES ($1, '实验学校', 'nine_year', 'public', 0) RETURNING id", {area_});
      other_ = c.Insert("INSERT INTO schools (area_id, name, level, type, created_at) VALUES ($1, '二小', 'primary', 'public', 0) RETURNING id", {area_});
    });
    svc_ = std::make_unique<AuthService>(*t_.db);
    ASSERT_TRUE(svc_->CreateUserDirect("principal", "张校长", Role::kPrincipal, school_, std::nullopt, "Kehou@2026", false).ok());
  }
  db::TestDb t_;
  std::unique_ptr<AuthService> svc_;
  int64_t area_ = 0, school_ = 0, other_ = 0;
};

TEST_P(AuthDbTest, LoginSessionLogout) {
  auto bad = svc_->Login("principal", "wrong-pass1", "10.0.0.1");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, kUnauthenticated);
  auto failures = t_.db->Read([](db::Conn& c) { return c.QueryOne("SELECT COUNT(*) FROM audit_log WHERE action='login_failed'")->Int(0); });
  EXPECT_EQ(failures, 1);

  auto ok = svc_->Login("principal", "Kehou@2026", "10.0.0.1");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->token.size(), 64u);
  // Only the hash is stored.
  auto stored = t_.db->Read([](db::Conn& c) { return c.QueryOne("SELECT token_hash FROM sessions")->Text(0); });
  EXPECT_NE(stored, ok->token);
  EXPECT_EQ(stored, AuthService::TokenHash(ok->token));
  auto who = svc_->Authenticate(ok->token);
  ASSERT_TRUE(who);
  EXPECT_EQ(who->role, Role::kPrincipal);
  EXPECT_EQ(who->school_id, school_);
  EXPECT_TRUE(svc_->Logout(*who).ok());
  EXPECT_FALSE(svc_->Authenticate(ok->token));
}

// A login longer than any account's is refused before the audit (it used to store a 900 KB row);
// the audit keeps at most kMaxAuditLoginChars of what a stranger typed in any case.
TEST_P(AuthDbTest, OverlongLoginIsRefusedAndNeverStoredWhole) {
  auto huge = svc_->Login(std::string(900 * 1024, 'x'), "whatever1", "10.0.0.3");
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().code, kInvalid);
  EXPECT_EQ(huge.error().field, "login");
  EXPECT_FALSE(svc_->Login(std::string(kMaxLoginChars + 1, 'y'), "whatever1", "10.0.0.3").ok());
  auto rows = t_.db->Read([](db::Conn& c) { return c.QueryOne("SELECT COUNT(*) FROM audit_log WHERE action='login_failed'")->Int(0); });
  EXPECT_EQ(rows, 0);
  // At the limit: an ordinary failed login, audited.
  auto at = svc_->Login(std::string(kMaxLoginChars, 'z'), "whatever1", "10.0.0.3");
  EXPECT_EQ(at.error().code, kUnauthenticated);
  t_.db->Write([](db::Conn& c) { AuditAnonymous(c, std::string(5000, '1') + "王", "c", AuditEntry{"login_failed", "user", std::nullopt, nullptr, nullptr, std::nullopt}); });
  auto longest = t_.db->Read([](db::Conn& c) {
    return c.QueryOne("SELECT MAX(LENGTH(user_name)) FROM audit_log WHERE action='login_failed'")->Int(0);
  });
  EXPECT_EQ(longest, static_cast<int64_t>(kMaxAuditLoginChars));
}

TEST_P(AuthDbTest, ThrottledAfterFiveFailuresWithRetryAfter) {
  for (int i = 0; i < kFreeLoginFailures; ++i) (void)svc_->Login("principal", "nope-nope1", "10.0.0.2");
  auto r = svc_->Login("principal", "Kehou@2026", "10.0.0.2");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kRateLimited);
  EXPECT_GT(r.error().retry_after, 0);
}

TEST_P(AuthDbTest, ResetForcesChangeAndOtherSchoolsAreNotFound) {
  auto ok = svc_->Login("principal", "Kehou@2026", "c");
  ASSERT_TRUE(ok.ok());
  auto created = svc_->CreateUser(ok->user, {{"login", "office1"}, {"display_name", "李干事"}, {"role", "office_staff"}}, std::nullopt);
  ASSERT_TRUE(created.ok()) << created.error().message;
  std::string temp = (*created)["temporary_password"];
  auto office = svc_->Login("office1", temp, "c");
  ASSERT_TRUE(office.ok());
  EXPECT_TRUE(office->user.must_change_password);
  EXPECT_TRUE(svc_->ChangePassword(office->user, temp, "NewPass2026").ok());
  // A user of another school is not found, not forbidden.
  auto other = svc_->CreateUserDirect("p2", "王校长", Role::kPrincipal, other_, std::nullopt, "Kehou@2026", false);
  ASSERT_TRUE(other.ok());
  auto r = svc_->ResetPassword(ok->user, other.value());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kNotFound);
  // A principal cannot create a county officer.
  auto off = svc_->CreateUser(ok->user, {{"login", "x"}, {"display_name", "x"}, {"role", "county_officer"}, {"area_id", area_}}, std::nullopt);
  ASSERT_FALSE(off.ok());
  EXPECT_EQ(off.error().code, kForbidden);
  auto audit = svc_->ListAudit(ok->user, std::nullopt, nlohmann::json::object(), 1, 50);
  ASSERT_TRUE(audit.ok());
  EXPECT_GE((*audit)["total"].get<int64_t>(), 3);
}

INSTANTIATE_TEST_SUITE_P(Both, AuthDbTest, ::testing::ValuesIn(db::TestDialects()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace kehou::auth
