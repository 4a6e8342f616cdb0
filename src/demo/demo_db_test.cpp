// demo_db_test.cpp: the demo written to a database (SQLite always, PostgreSQL when KEHOU_TEST_PG
// is set): counts, accounts and their links, rounds, the books, enrolment and the review queues, a
// second run. The generator's pure parts are tested in demo_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "access/principal.h"
#include "auth/service.h"
#include "core/time.h"
#include "db/testing.h"
#include "demo/demo.h"
#include "demo/generator.h"
#include "demo/staff.h"
#include "enroll/rules.h"
#include "enroll/service.h"
#include "select/verify.h"
#include "staff/service.h"

namespace kehou::demo {
namespace {

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
    EXPECT_GT(Count(db(), "SELECT COUNT(*) FROM rooms WHERE school_id = $1 AND kind = $2", {main, std::string(kind)}),
              0)
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
  EXPECT_EQ(Count(db(),
                  "SELECT COUNT(*) FROM select_rounds WHERE id = $1 AND allocated_at IS NOT NULL"
                  " AND seed IS NOT NULL AND closes_at < allocated_at",
                  {s.preference_round_id}),
            1);
  EXPECT_EQ(
      Count(db(), "SELECT COUNT(DISTINCT student_id) FROM selections WHERE round_id = $1 AND status = 'confirmed'",
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
  EXPECT_EQ(Count(db(),
                  "SELECT COUNT(*) FROM select_rounds WHERE id = $1 AND mode = 'fcfs' AND opens_at < $2"
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
  EXPECT_EQ(Count(db(),
                  "SELECT COUNT(*) FROM (SELECT entry_id FROM ledger_lines GROUP BY entry_id"
                  " HAVING SUM(debit_fen) <> SUM(credit_fen)) x"),
            0);
  EXPECT_EQ(Count(db(), "SELECT COALESCE(SUM(debit_fen) - SUM(credit_fen), 0) FROM ledger_lines"), 0);
  EXPECT_EQ(Count(db(),
                  "SELECT COUNT(*) FROM fee_payments p WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e"
                  " WHERE ((e.source_type = 'payment' AND e.source_id = p.id) OR (e.source_type = 'suspense_match'"
                  " AND e.source_id IN (SELECT x.id FROM fee_exceptions x WHERE x.payment_id = p.id)))"
                  " AND e.source_ref = p.transaction_id)"),
            0);
  // Income is what was received: fee + materials income is the payments, and 2205 holds the receivable.
  EXPECT_EQ(Count(db(),
                  "SELECT COALESCE(SUM(credit_fen - debit_fen), 0) FROM ledger_lines WHERE school_id = $1"
                  " AND account_code IN ('4101', '4102')",
                  {main}),
            Count(db(), "SELECT COALESCE(SUM(amount_fen), 0) FROM fee_payments WHERE school_id = $1", {main}));
  EXPECT_EQ(
      Count(db(),
            "SELECT COALESCE(SUM(credit_fen - debit_fen), 0) FROM ledger_lines WHERE school_id = $1 AND account_code = "
            "'2205'",
            {main}),
      Count(db(), "SELECT COALESCE(SUM(gross_fen - reduction_fen - paid_fen), 0) FROM fee_bills WHERE school_id = $1",
            {main}));
  EXPECT_EQ(Count(db(),
                  "SELECT COUNT(*) FROM fee_refunds r WHERE r.status = 'approved' AND NOT EXISTS (SELECT 1"
                  " FROM ledger_entries e WHERE e.source_type = 'refund' AND e.source_id = r.id)"),
            0);
  EXPECT_EQ(
      Count(db(),
            "SELECT COALESCE(SUM(debit_fen - credit_fen), 0) FROM ledger_lines WHERE school_id = $1 AND account_code = "
            "'1122'",
            {main}),
      Count(db(), "SELECT COALESCE(SUM(gross_fen - reduction_fen - paid_fen), 0) FROM fee_bills WHERE school_id = $1",
            {main}));
  // Most bills paid through the test provider (WeChat), some left unpaid: the receivable is real.
  const int64_t bills = Count(db(), "SELECT COUNT(*) FROM fee_bills WHERE school_id = $1", {main});
  EXPECT_GE(Count(db(), "SELECT COUNT(DISTINCT bill_id) FROM fee_payments WHERE school_id = $1 AND channel = 'wechat'",
                  {main}) *
                100,
            bills * 80);
  EXPECT_GT(Count(db(), "SELECT COUNT(*) FROM fee_bills WHERE school_id = $1 AND status = 'unpaid'", {main}) * 20,
            bills);
  // The monthly sums the disclosure reads are the lines.
  EXPECT_EQ(Count(db(),
                  "SELECT COUNT(*) FROM (SELECT account_code, SUM(debit_fen) AS d, SUM(credit_fen) AS c"
                  " FROM ledger_month_sums WHERE school_id = $1 GROUP BY account_code) s JOIN (SELECT account_code,"
                  " SUM(debit_fen) AS d, SUM(credit_fen) AS c FROM ledger_lines WHERE school_id = $1 GROUP BY"
                  " account_code) l ON l.account_code = s.account_code AND l.d = s.d AND l.c = s.c",
                  {main}),
            Count(db(), "SELECT COUNT(DISTINCT account_code) FROM ledger_lines WHERE school_id = $1", {main}));
  EXPECT_GE(Count(db(), "SELECT COUNT(*) FROM ledger_documents WHERE school_id = $1 AND kind = 'expense'", {main}), 4);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM ledger_budgets WHERE school_id = $1", {main}), 8);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM ledger_disclosures WHERE school_id = $1", {main}), 1);
}

TEST_P(DemoDb, EveryIdNumberValid) {
  auto ids = db().Read([](db::Conn& c) { return c.Query("SELECT id_number FROM students"); });
  ASSERT_EQ(static_cast<int64_t>(ids.size()), c_->summary.students);
  for (const auto& r : ids) ASSERT_TRUE(ValidIdNumber(r.Text(0))) << r.Text(0);
}

// Every mobile the demo wrote (staff, the supervisors the timetable demo adds, guardians, pick-up
// proxies) passes the one validator people and enroll use (core/ids.h, issue 9 §1).
TEST_P(DemoDb, EveryMobileValid) {
  auto mobiles = db().Read([](db::Conn& c) {
    return c.Query(
        "SELECT mobile FROM staff UNION ALL SELECT mobile FROM guardians"
        " UNION ALL SELECT proxy_mobile FROM applications WHERE proxy_mobile <> ''");
  });
  ASSERT_GT(static_cast<int64_t>(mobiles.size()), c_->summary.staff + c_->summary.guardians);
  for (const auto& r : mobiles) ASSERT_TRUE(ValidMobile(r.Text("mobile"))) << r.Text("mobile");
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
  for (const char* role :
       {"principal", "vice_principal", "office_director", "office_staff", "course_group", "safety_officer", "guard",
        "school_doctor", "liaison", "grade_leader", "class_teacher", "teacher", "external_staff"}) {
    const db::Row& u = *by_role[role];
    ASSERT_TRUE(u.OptInt("staff_id")) << role;
    EXPECT_EQ(u.OptInt("school_id"), main) << role;
    EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM staff WHERE id = $1 AND school_id = $2", {u.Int("staff_id"), main}), 1)
        << role;
  }
  // The class teacher's class.
  EXPECT_EQ(
      Count(db(),
            "SELECT COUNT(*) FROM classes WHERE school_id = $1 AND name = '三年级(2)班' AND class_teacher_id = $2",
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
    c.Exec(
        "INSERT INTO users (login, password_hash, display_name, role, created_at, updated_at) "
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
      return c.Query(
          "SELECT s.name, s.id_number, c.name FROM students s JOIN classes c ON c.id = s.class_id "
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
  p.scope = role == "guardian"        ? auth::Scope::kOwnChildren
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
      return c.Query(
          "SELECT s.id, s.school_id FROM student_guardians sg JOIN students s ON s.id = sg.student_id "
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
  EXPECT_EQ(
      Count(db(),
            "SELECT COUNT(*) FROM applications a WHERE NOT EXISTS (SELECT 1 FROM application_signatures s "
            "JOIN agreements g ON g.id = s.agreement_id WHERE s.school_id = a.school_id AND s.application_id = a.id "
            "AND s.application_version = a.version AND g.school_id = a.school_id AND g.term_id = a.term_id "
            "AND g.is_current = 1 AND s.agreement_version = g.version AND s.text_hash = g.body_hash)"),
      0);
  EXPECT_EQ(Count(db(), "SELECT COUNT(*) FROM application_signatures"), c_->summary.applications);
  // The review chain: one decision per step taken, with the service's action names and statuses.
  EXPECT_EQ(
      Count(db(),
            "SELECT COUNT(*) FROM applications a WHERE (SELECT COUNT(*) FROM application_decisions d "
            "WHERE d.school_id = a.school_id AND d.application_id = a.id) <> CASE a.status WHEN 'approved' THEN 3 "
            "WHEN 'class_approved' THEN 2 ELSE 1 END"),
      0);
  EXPECT_EQ(Count(db(),
                  "SELECT COUNT(*) FROM application_decisions WHERE NOT ("
                  "(action = 'submit' AND from_status = 'draft' AND to_status = 'submitted' AND role = 'guardian') OR "
                  "(action = 'class_approve' AND from_status = 'submitted' AND to_status = 'class_approved' "
                  " AND role = 'class_teacher') OR "
                  "(action = 'approve' AND from_status = 'class_approved' AND to_status = 'approved' "
                  " AND role = 'principal'))"),
            0);
  // A guardian who picks up is a guardian of that child.
  EXPECT_EQ(Count(db(),
                  "SELECT COUNT(*) FROM applications a WHERE a.pickup_mode = 'guardian' AND NOT EXISTS ("
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
  EXPECT_FALSE(db().Read([&](db::Conn& c) {
    return enroll::IsEnrolled(c, main, rows.front().Int(0), term, Date{2027, 2, 1});
  })) << "not after the term";
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
