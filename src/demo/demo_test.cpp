#include "demo/demo.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "access/principal.h"
#include "auth/service.h"
#include "core/time.h"
#include "db/testing.h"
#include "demo/generator.h"
#include "demo/staff.h"
#include "enroll/rules.h"
#include "enroll/service.h"
#include "select/verify.h"
#include "staff/service.h"

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
    EXPECT_EQ(s.id_number.substr(6, 8),
              s.birth_date.substr(0, 4) + s.birth_date.substr(5, 2) + s.birth_date.substr(8, 2));
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
    for (const char* clause : {"一、服务内容（“1+X”）", "二、服务时间", "三、服务费用", "四、安全与接送",
                               "六、自愿参加", "七、退出", "八、个人信息保护"})
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
    EXPECT_TRUE(enroll::CheckDays(a.days, enroll::SplitInts(t.excluded_weekdays), false).ok())
        << enroll::JoinInts(a.days);
    EXPECT_TRUE(std::is_sorted(a.days.begin(), a.days.end()));
    EXPECT_GE(a.days.size(), 4u);
    EXPECT_TRUE(enroll::CheckBands(a.bands, grade, offered, false).ok()) << enroll::JoinBands(a.bands);
    EXPECT_NE(std::find(a.bands.begin(), a.bands.end(), enroll::Band::kAfterSchool), a.bands.end());
    enroll::Pickup p{
        a.pickup, a.pickup_guardian ? std::optional<int64_t>(static_cast<int64_t>(*a.pickup_guardian)) : std::nullopt,
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
  EXPECT_EQ(by_status.size(), 3u);                      // nothing else: no drafts, returns or rejections
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

}  // namespace
}  // namespace kehou::demo
