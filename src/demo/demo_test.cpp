#include "demo/demo.h"
#include "demo/staff.h"
#include "staff/service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "access/principal.h"
#include "auth/service.h"
#include "core/time.h"
#include "db/testing.h"
#include "demo/generator.h"
#include "enroll/rules.h"
#include "enroll/service.h"
#include "select/verify.h"

namespace kehou::demo {
namespace {

// ---- pure parts ---------------------------------------------------------------------------------

// (The ID number and mobile checks are core/ids.h, tested in core/ids_test.cpp.)

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

// ---- registration (pure) ------------------------------------------------------------------------

TEST_F(Generated, OneCurrentAgreementPerTermWithTheClausesAFamilyReads) {
  const DemoData& d = D();
  ASSERT_EQ(d.agreements.size(), d.terms.size());
  std::set<size_t> terms;
  for (const GenAgreement& a : d.agreements) {
    EXPECT_TRUE(terms.insert(a.term).second);
    EXPECT_TRUE(d.terms[a.term].is_current);
    EXPECT_TRUE(enroll::CheckText(a.title, enroll::kMaxTitleChars, true, "title", "协议标题").ok()) << a.title;
    EXPECT_TRUE(enroll::CheckText(a.body, enroll::kMaxAgreementChars, true, "body", "协议正文").ok());
    for (const char* clause : {"一、服务内容（“1+X”）", "二、服务时间", "三、服务费用", "四、安全与接送", "六、自愿参加",
                               "七、退出", "八、个人信息保护"})
      EXPECT_NE(a.body.find(clause), std::string::npos) << clause;
    const GenSchool& s = d.schools[d.terms[a.term].school];
    EXPECT_NE(a.body.find(s.name), std::string::npos);
    // A private boarding school charges no fee (SPEC R-SET-4); the others follow the county's standard.
    if (s.type == "private_boarding") {
      EXPECT_NE(a.body.find("不收取任何费用"), std::string::npos);
    } else {
      EXPECT_NE(a.body.find("核定的标准"), std::string::npos);
    }
    // The times are the term's own bands.
    for (const GenBand& b : d.terms[a.term].bands)
      EXPECT_NE(a.body.find(b.start_time + "至" + b.end_time), std::string::npos) << b.name;
    if (d.terms[a.term].excluded_weekdays == "4") {
      EXPECT_NE(a.body.find("每周四下午"), std::string::npos);
    }
  }
}

TEST_F(Generated, ApplicationsPassTheEnrollRulesAndFollowTheReviewChain) {
  const DemoData& d = D();
  std::map<size_t, std::vector<int64_t>> guardians;  // student -> guardian indices
  for (const GenLink& l : d.links) guardians[l.student].push_back(static_cast<int64_t>(l.guardian));
  std::set<size_t> students;
  std::map<enroll::AppStatus, int> by_status;
  for (const GenApplication& a : d.applications) {
    ASSERT_TRUE(students.insert(a.student).second) << "one application per child and term";
    const GenStudent& s = d.students[a.student];
    const GenTerm& t = d.terms[d.agreements.at(a.agreement).term];
    ASSERT_EQ(t.school, s.school);
    const int grade = d.classes[s.klass].grade_number;
    std::vector<enroll::Band> offered;
    for (const GenBand& b : t.bands) offered.push_back(*enroll::ParseBand(b.kind));
    // What enroll's ApplyForm checks when a guardian saves the form.
    EXPECT_TRUE(enroll::CheckDays(a.days, enroll::SplitInts(t.excluded_weekdays), false).ok()) << enroll::JoinInts(a.days);
    EXPECT_TRUE(std::is_sorted(a.days.begin(), a.days.end()));
    EXPECT_GE(a.days.size(), 4u);
    EXPECT_TRUE(enroll::CheckBands(a.bands, grade, offered, false).ok()) << enroll::JoinBands(a.bands);
    EXPECT_NE(std::find(a.bands.begin(), a.bands.end(), enroll::Band::kAfterSchool), a.bands.end());
    enroll::Pickup p{a.pickup,
                     a.pickup_guardian ? std::optional<int64_t>(static_cast<int64_t>(*a.pickup_guardian)) : std::nullopt,
                     a.proxy_name, a.proxy_mobile};
    EXPECT_TRUE(enroll::CheckPickup(p, guardians[a.student]).ok()) << s.name;
    if (a.pickup == enroll::PickupMode::kSelf) {
      EXPECT_GE(grade, 4) << "the demo lets only grade 4 and up go home alone";
    }
    EXPECT_TRUE(enroll::CheckText(a.note, enroll::kMaxNoteChars, false, "note", "备注").ok());
    // Signed by a guardian of the child, from a phone.
    const auto& mine = guardians[a.student];
    EXPECT_NE(std::find(mine.begin(), mine.end(), static_cast<int64_t>(a.signer)), mine.end());
    EXPECT_NE(a.device.find("Mobile"), std::string::npos) << a.device;
    EXPECT_LE(a.device.size(), enroll::kMaxDeviceChars);
    // The chain: draft -> submitted (-> class_approved (-> approved)), each step by the service's rules,
    // in time order, after the agreement was published and the form was signed.
    ++by_status[a.status];
    ASSERT_FALSE(a.decisions.empty());
    enroll::AppStatus at = enroll::AppStatus::kDraft;
    int64_t last = a.signed_ago_s;
    EXPECT_GT(d.agreements[a.agreement].ago_s, a.created_ago_s);
    EXPECT_GT(a.created_ago_s, a.signed_ago_s);
    for (const GenDecision& x : a.decisions) {
      EXPECT_EQ(x.from, at);
      auto to = enroll::Transition(at, x.step);
      ASSERT_TRUE(to.ok());
      EXPECT_EQ(x.to, *to);
      at = x.to;
      EXPECT_LT(x.ago_s, last);
      EXPECT_GT(x.ago_s, 0);
      last = x.ago_s;
      EXPECT_FALSE(x.user_name.empty());
    }
    EXPECT_EQ(at, a.status);
    EXPECT_EQ(a.decisions.front().role, auth::Role::kGuardian);
  }
  const double n = static_cast<double>(d.students.size());
  const double approved = by_status[enroll::AppStatus::kApproved] / n;
  EXPECT_GE(approved, 0.85);
  EXPECT_LE(approved, 0.91);
  EXPECT_NEAR(by_status[enroll::AppStatus::kSubmitted] / n, kSubmittedShareBp / 10000.0, 0.015);
  EXPECT_NEAR(by_status[enroll::AppStatus::kClassApproved] / n, kClassApprovedShareBp / 10000.0, 0.01);
  EXPECT_EQ(by_status.size(), 3u);  // nothing else: no drafts, returns or rejections
  EXPECT_LT(d.applications.size(), d.students.size());  // some families have not applied
}

TEST_F(Generated, TheDemoLoginsFindWorkAndEnrolledChildren) {
  const DemoData& d = D();
  std::map<size_t, enroll::AppStatus> status;
  for (const GenApplication& a : d.applications) status[a.student] = a.status;
  auto account = [&](auth::Role r) -> const GenAccount& { return d.accounts[static_cast<size_t>(r)]; };
  // The guardian's and the parent committee's children (all of them) are approved.
  for (auth::Role r : {auth::Role::kGuardian, auth::Role::kParentCommittee}) {
    int children = 0;
    for (const GenLink& l : d.links)
      if (l.guardian == account(r).guardian) {
        ++children;
        EXPECT_EQ(status.count(l.student) ? status[l.student] : enroll::AppStatus::kDraft, enroll::AppStatus::kApproved)
            << auth::RoleName(r) << ": " << d.students[l.student].name;
      }
    EXPECT_GE(children, 1) << auth::RoleName(r);
  }
  // The class teacher's class: its first children approved, a queue to review.
  std::vector<size_t> members;
  for (size_t i = 0; i < d.students.size(); ++i)
    if (d.classes[d.students[i].klass].class_teacher == account(auth::Role::kClassTeacher).staff) members.push_back(i);
  ASSERT_GT(members.size(), static_cast<size_t>(kClassTeacherFirstApproved + kClassTeacherQueueMin));
  int queued = 0;
  for (size_t j = 0; j < members.size(); ++j) {
    if (j < static_cast<size_t>(kClassTeacherFirstApproved)) {
      EXPECT_EQ(status[members[j]], enroll::AppStatus::kApproved);
    }
    queued += status.count(members[j]) && status[members[j]] == enroll::AppStatus::kSubmitted;
  }
  EXPECT_GE(queued, kClassTeacherQueueMin);
}

// The browser scenarios (tests/browser/enroll.mjs, review.mjs) look for their fresh child of
// 三年级(2)班 on the first page (20 rows, in grade, class and student number order) of the
// principal's queue: the demo's class-approved applications ahead of that class must leave room.
TEST_F(Generated, PrincipalQueueLeavesRoomOnItsFirstPageForTheClassTeachersClass) {
  const DemoData& d = D();
  int ahead = 0;
  for (const GenApplication& a : d.applications) {
    const GenClass& k = d.classes[d.students[a.student].klass];
    if (k.school == 0 && a.status == enroll::AppStatus::kClassApproved &&
        (k.grade_number < 3 || (k.grade_number == 3 && k.number <= 2)))
      ++ahead;
  }
  EXPECT_LE(ahead, 15);
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

// 人员档案与准入 and 校外机构 are filled (issue 12): every person of the main school has a record,
// kDemoBlocked are blocked (no check, an expired check, no contract) and the gate agrees; two
// institutions on the county's list, one of whose contracts ended by exit.
TEST_P(DemoDb, StaffRecordsWithAFewBlockedAndTwoInstitutions) {
  const int64_t school = c_->summary.main_school_id;
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM staff_records WHERE school_id = $1", {school}),
            Count(db(), "SELECT COUNT(*) FROM staff WHERE school_id = $1", {school}));
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM institutions"), 2);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM institution_contracts WHERE exited_on IS NOT NULL"), 1);
  int blocked = 0;
  db().Read([&](db::Conn& c) {
    for (auto& r : c.Query("SELECT staff_id FROM staff_records WHERE school_id = $1", {school}))
      blocked += !staff::CheckAssignable(c, school, r.Int(0), std::nullopt, TodayLocal()).ok();
  });
  EXPECT_EQ(blocked, kDemoBlocked);
}

// A new user finds course selection on 选课轮次: a preference round whose allocation ran (its
// verifiable record recomputes identically) and a first-come round open now.
TEST_P(DemoDb, OneAllocatedPreferenceRoundAndOneOpenFirstComeRound) {
  const auto& s = c_->summary;
  ASSERT_GT(s.preference_round_id, 0);
  ASSERT_GT(s.fcfs_round_id, 0);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM select_rounds"), 2);
  EXPECT_GT(s.ranked_children, 200);
  EXPECT_GT(s.ranked_children, s.placed_children);  // some children are not placed: a real report
  EXPECT_GT(s.placed_children, 0);
  EXPECT_EQ(Count(db(), "SELECT COUNT(DISTINCT student_id) FROM select_preferences WHERE round_id = $1",
                  {s.preference_round_id}),
            s.ranked_children);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM select_rounds WHERE id = $1 AND allocated_at IS NOT NULL"
                        " AND seed IS NOT NULL AND closes_at < allocated_at",
                  {s.preference_round_id}),
            1);
  EXPECT_EQ(Count(db(), "SELECT COUNT(DISTINCT student_id) FROM selections WHERE round_id = $1 AND status = 'confirmed'",
                  {s.preference_round_id}),
            s.placed_children);
  // Every ranked section has a result with its reason.
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM select_results WHERE round_id = $1", {s.preference_round_id}),
            Count(db(), "SELECT COUNT(*) FROM select_preferences WHERE round_id = $1", {s.preference_round_id}));
  auto verified = db().Read([&](db::Conn& c) -> Result<select::VerifyOutcome> {
    auto rec = select::LoadRecord(c, s.preference_round_id);
    if (!rec.ok()) return rec.error();
    return select::VerifyRecord(*rec);
  });
  ASSERT_TRUE(verified.ok()) << verified.error().message;
  EXPECT_TRUE(verified->identical) << verified->difference_en;
  // The first-come round is open now, with no seats taken yet.
  const int64_t now = NowMs();
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM select_rounds WHERE id = $1 AND mode = 'fcfs' AND opens_at < $2"
                        " AND closes_at > $2 AND allocated_at IS NULL",
                  {s.fcfs_round_id, now}),
            1);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM selections WHERE round_id = $1", {s.fcfs_round_id}), 0);
  // Sections within the class-size limit, each in its round.
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM sections WHERE capacity > 45"), 0);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM round_sections WHERE round_id IN ($1, $2)",
                  {s.preference_round_id, s.fcfs_round_id}),
            s.round_sections);
}

TEST_P(DemoDb, TheBooksBalanceTraceTheBillsAndOneMonthIsPublished) {
  const int64_t main = c_->summary.main_school_id;
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM (SELECT entry_id FROM ledger_lines GROUP BY entry_id"
                        " HAVING SUM(debit_fen) <> SUM(credit_fen)) x"),
            0);
  EXPECT_EQ(Count(db(), "SELECT COALESCE(SUM(debit_fen) - SUM(credit_fen), 0) FROM ledger_lines"), 0);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM fee_payments p WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e"
                        " WHERE ((e.source_type = 'payment' AND e.source_id = p.id) OR (e.source_type = 'suspense_match'"
                        " AND e.source_id IN (SELECT x.id FROM fee_exceptions x WHERE x.payment_id = p.id)))"
                        " AND e.source_ref = p.transaction_id)"),
            0);
  // Income is what was received: fee + materials income is the payments, and 2205 holds the receivable.
  EXPECT_EQ(Count(db(), "SELECT COALESCE(SUM(credit_fen - debit_fen), 0) FROM ledger_lines WHERE school_id = $1"
                        " AND account_code IN ('4101', '4102')",
                  {main}),
            Count(db(), "SELECT COALESCE(SUM(amount_fen), 0) FROM fee_payments WHERE school_id = $1", {main}));
  EXPECT_EQ(Count(db(), "SELECT COALESCE(SUM(credit_fen - debit_fen), 0) FROM ledger_lines WHERE school_id = $1 AND account_code = '2205'",
                  {main}),
            Count(db(), "SELECT COALESCE(SUM(gross_fen - reduction_fen - paid_fen), 0) FROM fee_bills WHERE school_id = $1", {main}));
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM fee_refunds r WHERE r.status = 'approved' AND NOT EXISTS (SELECT 1"
                        " FROM ledger_entries e WHERE e.source_type = 'refund' AND e.source_id = r.id)"),
            0);
  EXPECT_EQ(Count(db(), "SELECT COALESCE(SUM(debit_fen - credit_fen), 0) FROM ledger_lines WHERE school_id = $1 AND account_code = '1122'",
                  {main}),
            Count(db(), "SELECT COALESCE(SUM(gross_fen - reduction_fen - paid_fen), 0) FROM fee_bills WHERE school_id = $1", {main}));
  EXPECT_GE(Count(db(), "SELECT COUNT(*) FROM ledger_documents WHERE school_id = $1 AND kind = 'expense'", {main}), 4);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM ledger_budgets WHERE school_id = $1", {main}), 8);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM ledger_disclosures WHERE school_id = $1", {main}), 1);
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
  EXPECT_EQ(a.applications, b.applications);
  EXPECT_EQ(a.applications_approved, b.applications_approved);
  EXPECT_EQ(a.main_applications_pending, b.main_applications_pending);
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

// ---- registration in the database ---------------------------------------------------------------

// A school day of the demo term (a Monday in November, no holiday).
const Date kSchoolDay{2026, 11, 23};

// The principal of a demo login as the server would build it for a request.
auth::Principal Login(db::Db& d, const std::string& role) {
  auto u = d.Read([&](db::Conn& c) {
    return *c.QueryOne("SELECT id, login, display_name, school_id, staff_id, guardian_id FROM users WHERE role = $1",
                       {role});
  });
  auth::Principal p;
  p.user_id = u.Int("id");
  p.login = u.Text("login");
  p.display_name = u.Text("display_name");
  p.role = *auth::ParseRole(role);
  p.school_id = u.OptInt("school_id");
  p.staff_id = u.OptInt("staff_id");
  p.guardian_id = u.OptInt("guardian_id");
  p.scope = role == "guardian" ? auth::Scope::kOwnChildren
            : role == "class_teacher" ? auth::Scope::kOwnClass
                                      : auth::Scope::kSchool;
  p.client = "127.0.0.1";
  return p;
}

int64_t CurrentTerm(db::Db& d, int64_t school) {
  return Count(d, "SELECT id FROM terms WHERE school_id = $1 AND is_current = 1", {school});
}

TEST_P(DemoDb, TheGuardianAccountsChildrenAreEnrolled) {
  for (const char* role : {"guardian", "parent_committee"}) {
    const auth::Principal g = Login(db(), role);
    ASSERT_TRUE(g.guardian_id) << role;
    auto kids = db().Read([&](db::Conn& c) {
      return c.Query("SELECT s.id, s.school_id FROM student_guardians sg JOIN students s ON s.id = sg.student_id "
                     "WHERE sg.guardian_id = $1",
                     {*g.guardian_id});
    });
    ASSERT_FALSE(kids.empty()) << role;
    bool main_school = false;
    for (const auto& k : kids) {
      main_school = main_school || k.Int(1) == c_->summary.main_school_id;
      const int64_t term = CurrentTerm(db(), k.Int(1));
      EXPECT_TRUE(db().Read([&](db::Conn& c) { return enroll::IsEnrolled(c, k.Int(1), k.Int(0), term, kSchoolDay); }))
          << role << " child " << k.Int(0);
    }
    EXPECT_TRUE(main_school) << role;
  }
}

TEST_P(DemoDb, AgreementsAreCurrentAndEveryApplicationSignedTheirText) {
  auto agreements = db().Read([](db::Conn& c) {
    return c.Query("SELECT school_id, term_id, version, is_current, body, body_hash, title FROM agreements");
  });
  ASSERT_EQ(static_cast<int64_t>(agreements.size()), c_->summary.agreements);
  ASSERT_EQ(agreements.size(), 4u);
  for (const auto& a : agreements) {
    EXPECT_EQ(a.Int("term_id"), CurrentTerm(db(), a.Int("school_id")));
    EXPECT_EQ(a.Int("version"), 1);
    EXPECT_EQ(a.Int("is_current"), 1);
    EXPECT_EQ(a.Text("body_hash"), enroll::TextHash(a.Text("body"))) << a.Text("title");
  }
  // Every application (approved or waiting) carries a signature of its current version, of its
  // term's current agreement, with that agreement's hash: what SubmitApplication demands.
  EXPECT_EQ(Count(db(),
                  "SELECT COUNT(*) FROM applications a WHERE NOT EXISTS (SELECT 1 FROM application_signatures s "
                  "JOIN agreements g ON g.id = s.agreement_id WHERE s.school_id = a.school_id AND s.application_id = a.id "
                  "AND s.application_version = a.version AND g.school_id = a.school_id AND g.term_id = a.term_id "
                  "AND g.is_current = 1 AND s.agreement_version = g.version AND s.text_hash = g.body_hash)"),
            0);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM application_signatures"), c_->summary.applications);
  // The review chain: one decision per step taken, with the service's action names and statuses.
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM applications a WHERE (SELECT COUNT(*) FROM application_decisions d "
                        "WHERE d.school_id = a.school_id AND d.application_id = a.id) <> CASE a.status WHEN 'approved' THEN 3 "
                        "WHEN 'class_approved' THEN 2 ELSE 1 END"),
            0);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM application_decisions WHERE NOT ("
                        "(action = 'submit' AND from_status = 'draft' AND to_status = 'submitted' AND role = 'guardian') OR "
                        "(action = 'class_approve' AND from_status = 'submitted' AND to_status = 'class_approved' "
                        " AND role = 'class_teacher') OR "
                        "(action = 'approve' AND from_status = 'class_approved' AND to_status = 'approved' "
                        " AND role = 'principal'))"),
            0);
  // A guardian who picks up is a guardian of that child.
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM applications a WHERE a.pickup_mode = 'guardian' AND NOT EXISTS ("
                        "SELECT 1 FROM student_guardians sg WHERE sg.student_id = a.student_id "
                        "AND sg.guardian_id = a.pickup_guardian_id)"),
            0);
}

TEST_P(DemoDb, MostChildrenAreEnrolledAndSomeWaitForReview) {
  const int64_t main = c_->summary.main_school_id;
  const int64_t students = Count(db(), "SELECT COUNT(*) FROM students WHERE active = 1");
  const int64_t approved = Count(db(), "SELECT COUNT(*) FROM applications WHERE status = 'approved'");
  EXPECT_EQ(approved, c_->summary.applications_approved);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM applications WHERE status IN ('submitted', 'class_approved')"),
            c_->summary.applications_pending);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM applications"), c_->summary.applications);
  const double share = static_cast<double>(approved) / static_cast<double>(students);
  EXPECT_GE(share, 0.85);
  EXPECT_LE(share, 0.91);
  const int64_t main_approved =
      Count(db(), "SELECT COUNT(*) FROM applications WHERE school_id = $1 AND status = 'approved'", {main});
  EXPECT_EQ(main_approved, c_->summary.main_applications_approved);
  const double main_share = static_cast<double>(main_approved) / static_cast<double>(c_->summary.main_students);
  EXPECT_GE(main_share, 0.85);
  EXPECT_LE(main_share, 0.91);
  // Every approved child of the main school is enrolled on a school day; a waiting one is not.
  const int64_t term = CurrentTerm(db(), main);
  auto rows = db().Read([&](db::Conn& c) {
    return c.Query("SELECT student_id, status FROM applications WHERE school_id = $1 ORDER BY id", {main});
  });
  int64_t enrolled = 0;
  db().Read([&](db::Conn& c) {
    for (const auto& r : rows) {
      const bool in = enroll::IsEnrolled(c, main, r.Int(0), term, kSchoolDay);
      EXPECT_EQ(in, r.Text(1) == "approved") << "student " << r.Int(0) << " " << r.Text(1);
      enrolled += in;
    }
    return 0;
  });
  EXPECT_EQ(enrolled, main_approved);
  EXPECT_FALSE(db().Read([&](db::Conn& c) { return enroll::IsEnrolled(c, main, rows.front().Int(0), term, Date{2027, 2, 1}); }))
      << "not after the term";
}

TEST_P(DemoDb, TheReviewQueuesAreNotEmpty) {
  enroll::ApplicationQuery q;
  q.status = "submitted";
  auto mine = enroll::ListApplications(db(), Login(db(), "class_teacher"), std::nullopt, q);
  ASSERT_TRUE(mine.ok()) << mine.error().message;
  EXPECT_GE((*mine)["total"].get<int64_t>(), kClassTeacherQueueMin);
  for (const auto& a : (*mine)["items"]) {
    EXPECT_EQ(a["student"]["class_name"], "三年级(2)班");
    EXPECT_TRUE(a["signed_current_version"].get<bool>());
  }
  q.status = "class_approved";
  auto head = enroll::ListApplications(db(), Login(db(), "principal"), std::nullopt, q);
  ASSERT_TRUE(head.ok()) << head.error().message;
  EXPECT_GT((*head)["total"].get<int64_t>(), 0);
  EXPECT_EQ((*head)["total"].get<int64_t>(),
            Count(db(), "SELECT COUNT(*) FROM applications WHERE school_id = $1 AND status = 'class_approved'",
                  {c_->summary.main_school_id}));
}

// The signed form as the service shows it matches the application (the demo writes form_json
// itself; this holds it to the service's FormJson).
void ExpectSignedFormIsTheApplication(const enroll::Json& app) {
  ASSERT_TRUE(app["signature"].is_object());
  enroll::Json form = app["signature"]["form"];
  ASSERT_TRUE(form.is_object()) << app["signature"].dump();
  enroll::Json expected;
  for (const char* k : {"version", "days", "bands", "pickup", "dismissal_batch_id", "note"}) expected[k] = app[k];
  expected["pickup"].erase("guardian_name");  // AppJson adds the name for the page
  EXPECT_EQ(form, expected) << form.dump() << "\n" << expected.dump();
}

TEST_P(DemoDb, GetApplicationShowsDemoApplications) {
  // The guardian's child in the main school: approved, signed, its history complete.
  const auth::Principal g = Login(db(), "guardian");
  enroll::ApplicationQuery all;
  auto list = enroll::ListApplications(db(), g, std::nullopt, all);
  ASSERT_TRUE(list.ok()) << list.error().message;
  int64_t id = 0;
  for (const auto& a : (*list)["items"])
    if (a["school_id"].get<int64_t>() == c_->summary.main_school_id) id = a["id"].get<int64_t>();
  ASSERT_GT(id, 0);
  auto r = enroll::GetApplication(db(), g, std::nullopt, id, kSchoolDay);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const enroll::Json& app = *r;
  EXPECT_EQ(app["status"], "approved");
  EXPECT_TRUE(app["signed_current_version"].get<bool>());
  EXPECT_TRUE(app["enrolled_today"].get<bool>());
  EXPECT_EQ(app["signature"]["text_hash"], app["current_agreement"]["body_hash"]);
  EXPECT_EQ(app["signature"]["agreement_id"], app["current_agreement"]["id"]);
  EXPECT_EQ(app["signature"]["guardian_id"].get<int64_t>(), *g.guardian_id);
  EXPECT_EQ(app["signature"]["signer_name"], g.display_name);
  ASSERT_EQ(app["history"].size(), 3u);
  EXPECT_EQ(app["history"][0]["action"], "submit");
  EXPECT_EQ(app["history"][0]["user_name"], g.display_name);
  EXPECT_EQ(app["history"][1]["action"], "class_approve");
  EXPECT_EQ(app["history"][1]["role_label"], "班主任");
  EXPECT_EQ(app["history"][2]["action"], "approve");
  EXPECT_EQ(app["history"][2]["to_status"], "approved");
  EXPECT_EQ(app["history"][2]["user_name"], Login(db(), "principal").display_name);
  ExpectSignedFormIsTheApplication(app);
  // One application of each pickup mode, as the principal reads it.
  const auth::Principal head = Login(db(), "principal");
  for (const char* mode : {"guardian", "self", "proxy"}) {
    const int64_t one = Count(db(), "SELECT MIN(id) FROM applications WHERE school_id = $1 AND pickup_mode = $2",
                              {c_->summary.main_school_id, std::string(mode)});
    ASSERT_GT(one, 0) << mode;
    auto x = enroll::GetApplication(db(), head, std::nullopt, one, kSchoolDay);
    ASSERT_TRUE(x.ok()) << x.error().message;
    EXPECT_EQ((*x)["pickup"]["mode"], mode);
    ExpectSignedFormIsTheApplication(*x);
  }
}

INSTANTIATE_TEST_SUITE_P(Db, DemoDb, ::testing::Values(std::string("sqlite"), std::string("postgres")),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace kehou::demo
