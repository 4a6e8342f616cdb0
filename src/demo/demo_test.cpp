#include "demo/demo.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "auth/principal.h"
#include "auth/service.h"
#include "core/time.h"
#include "db/testing.h"
#include "demo/generator.h"

namespace kehou::demo {
namespace {

// ---- pure parts ---------------------------------------------------------------------------------

TEST(DemoIdNumber, CheckCharacterOfKnownNumbers) {
  EXPECT_EQ(IdCheckChar("11010519491231002"), 'X');  // the GB 11643 example
  EXPECT_EQ(IdCheckChar("44052418800101001"), '4');
  EXPECT_EQ(IdCheckChar("1101051949123100"), '?');   // 16 digits
  EXPECT_EQ(IdCheckChar("1101051949123100A"), '?');
  EXPECT_TRUE(ValidIdNumber("11010519491231002X"));
  EXPECT_FALSE(ValidIdNumber("110105194912310021"));  // wrong check character
  EXPECT_FALSE(ValidIdNumber("110105194902300020"));  // 30 February (check char right, date not)
}

TEST(DemoIdNumber, InvalidDateIsRefusedEvenWithRightCheck) {
  std::string first17 = "11010519490230002";
  EXPECT_FALSE(ValidIdNumber(first17 + IdCheckChar(first17)));
}

TEST(DemoMobile, Shape) {
  EXPECT_TRUE(ValidMobile("13800138000"));
  EXPECT_TRUE(ValidMobile("19912345678"));
  EXPECT_FALSE(ValidMobile("12800138000"));
  EXPECT_FALSE(ValidMobile("1380013800"));
  EXPECT_FALSE(ValidMobile("1380013800a"));
}

TEST(DemoRng, SameSeedSameSequenceAndBounds) {
  Rng a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 1000; ++i) {
    uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    differs |= x != c.Next();
  }
  EXPECT_TRUE(differs);
  std::set<int> seen;
  for (int i = 0; i < 2000; ++i) {
    int v = a.Range(3, 7);
    ASSERT_GE(v, 3);
    ASSERT_LE(v, 7);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_FALSE(a.Chance(0));
  EXPECT_TRUE(a.Chance(10000));
}

// The splitmix64 reference values (seed 1234567), so a platform change cannot shift the demo.
TEST(DemoRng, SplitMix64ReferenceValues) {
  uint64_t s = 1234567;
  EXPECT_EQ(SplitMix64(s), 6457827717110365317ULL);
  EXPECT_EQ(SplitMix64(s), 3203168211198807973ULL);
}

class Generated : public ::testing::Test {
 protected:
  static const DemoData& D() {
    static const DemoData d = Generate();
    return d;
  }
};

TEST_F(Generated, SameSeedSameData) {
  DemoData again = Generate();
  ASSERT_EQ(again.students.size(), D().students.size());
  for (size_t i = 0; i < D().students.size(); ++i) {
    ASSERT_EQ(again.students[i].name, D().students[i].name);
    ASSERT_EQ(again.students[i].id_number, D().students[i].id_number);
  }
  EXPECT_EQ(again.guardians.size(), D().guardians.size());
  DemoData other = Generate(kDemoSeed + 1);
  EXPECT_NE(other.students.front().name + other.students[1].name, D().students.front().name + D().students[1].name);
}

TEST_F(Generated, MainSchoolSizes) {
  const DemoData& d = D();
  ASSERT_EQ(d.schools.size(), 4u);
  EXPECT_EQ(d.schools[0].level, "nine_year");
  size_t students = 0, classes = 0, staff = 0;
  for (const auto& s : d.students) students += s.school == 0;
  for (const auto& c : d.classes) classes += c.school == 0;
  for (const auto& s : d.staff) staff += s.school == 0;
  EXPECT_GE(students, 2300u);
  EXPECT_LE(students, 2500u);
  EXPECT_EQ(classes, 48u);
  EXPECT_GE(staff, 140u);
  EXPECT_LE(staff, 160u);
  std::set<size_t> guardians;
  for (const auto& l : d.links)
    if (d.students[l.student].school == 0) guardians.insert(l.guardian);
  EXPECT_GE(guardians.size(), 3800u);
  EXPECT_LE(guardians.size(), 4400u);
}

TEST_F(Generated, ClassesAreAtMostFiftyAndEachHasATeacherAndRoom) {
  const DemoData& d = D();
  std::vector<int> n(d.classes.size(), 0);
  for (const auto& s : d.students) ++n[s.klass];
  std::set<size_t> teachers;
  for (size_t k = 0; k < d.classes.size(); ++k) {
    EXPECT_LE(n[k], kMaxClassSize) << d.classes[k].name;
    EXPECT_GT(n[k], 0) << d.classes[k].name;
    ASSERT_TRUE(d.classes[k].class_teacher) << d.classes[k].name;
    EXPECT_EQ(d.staff[*d.classes[k].class_teacher].school, d.classes[k].school);
    EXPECT_TRUE(teachers.insert(*d.classes[k].class_teacher).second) << "one class per class teacher";
    ASSERT_TRUE(d.classes[k].room);
    EXPECT_GE(d.rooms[*d.classes[k].room].capacity, n[k]);
  }
}

TEST_F(Generated, IdNumbersValidUniqueAndBirthFitsGrade) {
  const DemoData& d = D();
  std::set<std::string> ids, numbers;
  for (const auto& s : d.students) {
    ASSERT_TRUE(ValidIdNumber(s.id_number)) << s.id_number;
    EXPECT_TRUE(ids.insert(s.id_number).second);
    EXPECT_TRUE(numbers.insert(std::to_string(s.school) + "/" + s.student_no).second);
    // 17th digit odd for boys, even for girls.
    EXPECT_EQ((s.id_number[16] - '0') % 2 == 1, s.gender == "M");
    // Born in the grade's cohort (1 Sept (2020-g) .. 31 Aug (2021-g)), or a year older.
    int g = d.classes[s.klass].grade_number;
    auto birth = ParseDate(s.birth_date);
    ASSERT_TRUE(birth);
    EXPECT_GE(*birth, (Date{2019 - g, 9, 1})) << s.name;
    EXPECT_LE(*birth, (Date{2021 - g, 8, 31})) << s.name;
    EXPECT_EQ(s.id_number.substr(6, 8), s.birth_date.substr(0, 4) + s.birth_date.substr(5, 2) + s.birth_date.substr(8, 2));
  }
}

TEST_F(Generated, GuardiansMobilesRelationsAndFlags) {
  const DemoData& d = D();
  std::set<std::string> mobiles;
  for (const auto& g : d.guardians) {
    EXPECT_TRUE(ValidMobile(g.mobile)) << g.mobile;
    EXPECT_TRUE(mobiles.insert(g.mobile).second) << g.mobile;
  }
  std::map<size_t, int> per_student, primaries;
  const std::set<std::string> relations = {"父亲", "母亲", "祖父", "祖母", "外公", "外婆"};
  for (const auto& l : d.links) {
    ++per_student[l.student];
    primaries[l.student] += l.is_primary;
    EXPECT_TRUE(relations.count(l.relation)) << l.relation;
    if (l.relation == "父亲") {  // children carry the father's surname
      EXPECT_EQ(d.students[l.student].name.substr(0, 3), d.guardians[l.guardian].name.substr(0, 3));
    }
  }
  size_t two = 0;
  for (size_t i = 0; i < d.students.size(); ++i) {
    ASSERT_GE(per_student[i], 1);
    EXPECT_EQ(primaries[i], 1);
    two += per_student[i] == 2;
  }
  EXPECT_GT(two * 2, d.students.size());  // most children have two guardians
  size_t left = 0, low = 0, dis = 0, health = 0;
  for (const auto& s : d.students) {
    left += s.left_behind;
    low += s.low_income;
    dis += s.disability;
    health += !s.health_notes.empty();
  }
  const size_t n = d.students.size();
  EXPECT_NEAR(static_cast<double>(left) / static_cast<double>(n), 0.05, 0.02);
  EXPECT_NEAR(static_cast<double>(low) / static_cast<double>(n), 0.03, 0.015);
  EXPECT_NEAR(static_cast<double>(dis) / static_cast<double>(n), 0.005, 0.004);
  EXPECT_GT(health, 20u);
  // Siblings share guardians, some across schools.
  std::map<size_t, std::set<size_t>> schools_of_guardian;
  for (const auto& l : d.links) schools_of_guardian[l.guardian].insert(d.students[l.student].school);
  size_t cross = 0;
  for (const auto& [g, s] : schools_of_guardian) cross += s.size() > 1;
  EXPECT_GT(cross, 20u);
}

TEST_F(Generated, StaffKindsAndMobiles) {
  const DemoData& d = D();
  std::map<std::string, int> kinds;
  std::set<std::string> mobiles;
  for (const auto& s : d.staff) {
    if (s.school != 0) continue;
    ++kinds[s.kind];
    EXPECT_TRUE(ValidMobile(s.mobile));
    EXPECT_TRUE(mobiles.insert(s.mobile).second) << "staff mobiles are unique per school";
    if (s.kind == "institution") {
      EXPECT_EQ(s.institution, kInstitutionName);
    }
  }
  EXPECT_EQ(kinds["retired"], 10);
  EXPECT_EQ(kinds["institution"], 8);
  EXPECT_GE(kinds["volunteer"], 2);
  EXPECT_GE(kinds["parent_volunteer"], 2);
  EXPECT_GT(kinds["in_school"], 100);
}

TEST_F(Generated, TermsAndBands) {
  const DemoData& d = D();
  ASSERT_EQ(d.terms.size(), 4u);
  for (const auto& t : d.terms) {
    EXPECT_TRUE(t.is_current);
    EXPECT_EQ(t.start_date, "2026-09-01");
    EXPECT_EQ(t.end_date, "2027-01-22");
    bool national_day = false;
    for (const auto& h : t.holidays) national_day |= h.name == "国庆节" && h.start_date == "2026-10-01";
    EXPECT_TRUE(national_day);
    for (const auto& b : t.bands) {
      auto from = ParseTimeOfDay(b.start_time), to = ParseTimeOfDay(b.end_time);
      ASSERT_TRUE(from && to);
      EXPECT_LT(*from, *to);
      if (b.kind == "evening") {
        EXPECT_LE(*to, 20 * 60 + 30);  // evening self-study ends by 20:30
        EXPECT_NE(d.schools[t.school].level, "primary");
      }
      if (b.kind == "after_school") {
        EXPECT_GE(*to, 17 * 60 + 20);  // office closes 17:00, after-school ends 20 minutes later
        EXPECT_GE(*to - *from, 120);   // "5+2": two hours a day
      }
    }
  }
}

TEST_F(Generated, OneAccountPerRoleLinkedToRealRecords) {
  const DemoData& d = D();
  ASSERT_EQ(d.accounts.size(), static_cast<size_t>(auth::kRoleCount));
  std::set<std::string> logins;
  for (int i = 0; i < auth::kRoleCount; ++i) {
    const GenAccount& a = d.accounts[static_cast<size_t>(i)];
    EXPECT_EQ(a.role, static_cast<auth::Role>(i));
    EXPECT_TRUE(logins.insert(a.login).second) << a.login;
    EXPECT_FALSE(a.display_name.empty());
  }
  auto find = [&](auth::Role r) -> const GenAccount& { return d.accounts[static_cast<size_t>(r)]; };
  // The class teacher leads 三年级(2)班 of the main school.
  const GenAccount& ct = find(auth::Role::kClassTeacher);
  ASSERT_TRUE(ct.staff);
  bool leads = false;
  for (const auto& c : d.classes) leads |= c.school == 0 && c.name == "三年级(2)班" && c.class_teacher == ct.staff;
  EXPECT_TRUE(leads);
  EXPECT_EQ(d.staff[*find(auth::Role::kExternalStaff).staff].kind, "institution");
  // The guardian logs in with a real mobile and has children in two schools.
  const GenAccount& g = find(auth::Role::kGuardian);
  ASSERT_TRUE(g.guardian);
  EXPECT_EQ(g.login, d.guardians[*g.guardian].mobile);
  std::set<size_t> schools;
  for (const auto& l : d.links)
    if (l.guardian == *g.guardian) schools.insert(d.students[l.student].school);
  EXPECT_EQ(schools.size(), 2u);
  EXPECT_TRUE(schools.count(0));
  EXPECT_EQ(find(auth::Role::kCountyOfficer).area, Index{1});
  EXPECT_EQ(find(auth::Role::kCityOfficer).area, Index{0});
  EXPECT_FALSE(find(auth::Role::kSysAdmin).school);
  EXPECT_FALSE(find(auth::Role::kSysAdmin).area);
}

TEST(DemoAccountsTable, HasEveryRoleAndThePassword) {
  auto accounts = DemoAccounts();
  ASSERT_EQ(accounts.size(), static_cast<size_t>(auth::kRoleCount));
  std::string table = FormatAccounts(accounts);
  for (auto r : auth::AllRoles()) EXPECT_NE(table.find(std::string(auth::RoleName(r))), std::string::npos);
  EXPECT_NE(table.find(kDemoPassword), std::string::npos);
  EXPECT_NE(table.find("principal"), std::string::npos);
}

// ---- on a database (SQLite always, PostgreSQL when KEHOU_TEST_PG is set) ---------------------

int64_t Count(db::Db& d, const std::string& sql, const db::Params& p = {}) {
  return d.Read([&](db::Conn& c) { return c.QueryOne(sql, p)->Int(0); });
}

struct Created {
  db::TestDb t;
  DemoSummary summary;
  std::vector<std::pair<std::string, int>> steps;
};

// One demo per database kind, shared by the tests that only read it.
Created* Shared(const std::string& kind) {
  static std::map<std::string, std::unique_ptr<Created>> made;
  auto& slot = made[kind];
  if (!slot) {
    auto c = std::make_unique<Created>();
    c->t = db::MakeTestDb(kind);
    if (!c->t.db) return nullptr;
    auto r = CreateDemo(*c->t.db, [&](std::string_view s, int p) { c->steps.emplace_back(std::string(s), p); });
    if (!r.ok()) ADD_FAILURE() << r.error().message;
    else c->summary = *r;
    slot = std::move(c);
  }
  return slot.get();
}

class DemoDb : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    c_ = Shared(GetParam());
    if (!c_) GTEST_SKIP() << "KEHOU_TEST_PG is not set";
  }
  db::Db& db() { return *c_->t.db; }
  Created* c_ = nullptr;
};

TEST_P(DemoDb, CountsInTheDatabase) {
  const int64_t main = c_->summary.main_school_id;
  ASSERT_GT(main, 0);
  int64_t students = Count(db(), "SELECT COUNT(*) FROM students WHERE school_id = $1", {main});
  EXPECT_GE(students, 2300);
  EXPECT_LE(students, 2500);
  EXPECT_EQ(students, c_->summary.main_students);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM classes WHERE school_id = $1", {main}), 48);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM grades WHERE school_id = $1", {main}), 9);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM schools"), 4);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM students"), c_->summary.students);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM guardians"), c_->summary.guardians);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM student_guardians"), c_->summary.guardian_links);
  EXPECT_EQ(Count(db(), "SELECT COUNT(DISTINCT guardian_id) FROM student_guardians WHERE school_id = $1", {main}),
            c_->summary.main_guardians);
  EXPECT_GE(c_->summary.main_guardians, 3800);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM staff WHERE school_id = $1", {main}), c_->summary.main_staff);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM terms WHERE is_current = 1"), 4);
  EXPECT_EQ(Count(db(), "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM students GROUP BY class_id) x") <= kMaxClassSize,
            true);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM classes WHERE class_teacher_id IS NULL OR room_id IS NULL"), 0);
  for (const char* kind : {"classroom", "sports_ground", "gym", "function_room", "library", "lab"})
    EXPECT_GT(Count(db(), "SELECT COUNT(*) FROM rooms WHERE school_id = $1 AND kind = $2", {main, std::string(kind)}), 0)
        << kind;
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM audit_log WHERE action = 'demo_create'"), 1);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM areas WHERE kind = 'county' AND office_close_time = '17:00'"), 1);
  // Progress went forward to 100.
  ASSERT_FALSE(c_->steps.empty());
  EXPECT_EQ(c_->steps.back().second, 100);
  for (size_t i = 1; i < c_->steps.size(); ++i) EXPECT_GE(c_->steps[i].second, c_->steps[i - 1].second);
}

TEST_P(DemoDb, EveryIdNumberValid) {
  auto ids = db().Read([](db::Conn& c) { return c.Query("SELECT id_number FROM students"); });
  ASSERT_EQ(static_cast<int64_t>(ids.size()), c_->summary.students);
  for (const auto& r : ids) ASSERT_TRUE(ValidIdNumber(r.Text(0))) << r.Text(0);
}

TEST_P(DemoDb, OneAccountPerRoleWithRealLinks) {
  auto users = db().Read([](db::Conn& c) {
    return c.Query("SELECT login, role, school_id, area_id, staff_id, guardian_id, password_hash FROM users");
  });
  ASSERT_EQ(users.size(), static_cast<size_t>(auth::kRoleCount));
  std::map<std::string, const db::Row*> by_role;
  for (const auto& u : users) by_role[u.Text("role")] = &u;
  for (auto r : auth::AllRoles()) ASSERT_TRUE(by_role.count(std::string(auth::RoleName(r)))) << auth::RoleName(r);
  const int64_t main = c_->summary.main_school_id;
  for (const char* role : {"principal", "vice_principal", "office_director", "office_staff", "course_group",
                           "safety_officer", "guard", "school_doctor", "liaison", "grade_leader", "class_teacher",
                           "teacher", "external_staff"}) {
    const db::Row& u = *by_role[role];
    ASSERT_TRUE(u.OptInt("staff_id")) << role;
    EXPECT_EQ(u.OptInt("school_id"), main) << role;
    EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM staff WHERE id = $1 AND school_id = $2", {u.Int("staff_id"), main}), 1)
        << role;
  }
  // The class teacher's class.
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM classes WHERE school_id = $1 AND name = '三年级(2)班' AND class_teacher_id = $2",
                  {main, by_role["class_teacher"]->Int("staff_id")}),
            1);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM staff WHERE id = $1 AND kind = 'institution'",
                  {by_role["external_staff"]->Int("staff_id")}),
            1);
  // The guardian: login is the mobile of a guardian with children in two schools.
  const db::Row& g = *by_role["guardian"];
  ASSERT_TRUE(g.OptInt("guardian_id"));
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM guardians WHERE id = $1 AND mobile = $2",
                  {g.Int("guardian_id"), g.Text("login")}),
            1);
  EXPECT_EQ(Count(db(), "SELECT COUNT(DISTINCT school_id) FROM student_guardians WHERE guardian_id = $1",
                  {g.Int("guardian_id")}),
            2);
  EXPECT_EQ(by_role["county_officer"]->OptInt("area_id"), c_->summary.county_id);
  EXPECT_EQ(by_role["city_officer"]->OptInt("area_id"), c_->summary.city_id);
  EXPECT_FALSE(by_role["sysadmin"]->OptInt("school_id"));
  EXPECT_FALSE(by_role["sysadmin"]->OptInt("area_id"));
  // Passwords are argon2id hashes of the demo password.
  EXPECT_EQ(by_role["principal"]->Text("password_hash").rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(auth::VerifyPassword(by_role["principal"]->Text("password_hash"), kDemoPassword));
  EXPECT_FALSE(auth::VerifyPassword(by_role["principal"]->Text("password_hash"), "wrong"));
}

TEST_P(DemoDb, SecondRunIsAConflictAndChangesNothing) {
  EXPECT_TRUE(DemoExists(db()));
  int64_t students = Count(db(), "SELECT COUNT(*) FROM students");
  int64_t audit = Count(db(), "SELECT COUNT(*) FROM audit_log");
  auto r = CreateDemo(db());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kConflict);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM students"), students);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM audit_log"), audit);
}

TEST_P(DemoDb, FreshDatabaseHasNoDemo) {
  db::TestDb fresh = db::MakeTestDb(GetParam());
  ASSERT_TRUE(fresh.db);
  EXPECT_FALSE(DemoExists(*fresh.db));
}

TEST_P(DemoDb, TakenLoginIsAConflictAndWritesNothing) {
  db::TestDb fresh = db::MakeTestDb(GetParam());
  ASSERT_TRUE(fresh.db);
  fresh.db->Write([](db::Conn& c) {
    c.Exec("INSERT INTO users (login, password_hash, display_name, role, created_at, updated_at) "
           "VALUES ('admin', 'x', 'someone', 'sysadmin', 0, 0)");
  });
  auto r = CreateDemo(*fresh.db);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kConflict);
  EXPECT_NE(r.error().message.find("admin"), std::string::npos);
  EXPECT_EQ(Count(*fresh.db, "SELECT COUNT(*) FROM schools"), 0);
  EXPECT_EQ(Count(*fresh.db, "SELECT COUNT(*) FROM users"), 1);
}

// Two runs into two fresh databases give the same data.
TEST_P(DemoDb, DeterministicAcrossDatabases) {
  db::TestDb second = db::MakeTestDb(GetParam());
  ASSERT_TRUE(second.db);
  auto r = CreateDemo(*second.db);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const DemoSummary& a = c_->summary;
  const DemoSummary& b = *r;
  EXPECT_EQ(a.students, b.students);
  EXPECT_EQ(a.guardians, b.guardians);
  EXPECT_EQ(a.guardian_links, b.guardian_links);
  EXPECT_EQ(a.staff, b.staff);
  EXPECT_EQ(a.classes, b.classes);
  EXPECT_EQ(a.rooms, b.rooms);
  EXPECT_EQ(a.main_students, b.main_students);
  EXPECT_EQ(a.main_guardians, b.main_guardians);
  auto names = [](db::Db& d) {
    auto rows = d.Read([](db::Conn& c) {
      return c.Query("SELECT s.name, s.id_number, c.name FROM students s JOIN classes c ON c.id = s.class_id "
                     "ORDER BY s.id LIMIT 20");
    });
    std::vector<std::string> out;
    for (const auto& row : rows) out.push_back(row.Text(0) + "|" + row.Text(1) + "|" + row.Text(2));
    return out;
  };
  auto first = names(db());
  ASSERT_EQ(first.size(), 20u);
  EXPECT_EQ(first, names(*second.db));
  ASSERT_EQ(a.accounts.size(), b.accounts.size());
  for (size_t i = 0; i < a.accounts.size(); ++i) EXPECT_EQ(a.accounts[i].login, b.accounts[i].login);
}

TEST_P(DemoDb, FastEnough) {
#ifndef __SANITIZE_ADDRESS__  // the sanitizer build is several times slower; time only the real one
  if (GetParam() == "sqlite") {
    EXPECT_LT(c_->summary.elapsed_ms, 20000);
  }
#endif
  RecordProperty("elapsed_ms", std::to_string(c_->summary.elapsed_ms));
  std::printf("[demo] %s: created in %lld ms\n", GetParam().c_str(), static_cast<long long>(c_->summary.elapsed_ms));
}

INSTANTIATE_TEST_SUITE_P(Db, DemoDb, ::testing::Values(std::string("sqlite"), std::string("postgres")),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace kehou::demo
