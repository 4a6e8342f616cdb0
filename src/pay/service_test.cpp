// Pay runs on both databases: sessions held (roll call taken; a substitute who took the roll is
// paid for it), the contract's rate, the factor rule from quality scores, institution invoices,
// idempotent re-runs, approval freezes, teachers read only their own approved slips.
#include "pay/service.h"

#include <gtest/gtest.h>

#include "catalog/test_fixture.h"
#include "db/testing.h"
#include "ledger/service.h"
#include "school/service.h"

namespace kehou::pay {
namespace {

class PayService : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    t_ = db::MakeTestDb(GetParam());
    if (!t_.db) GTEST_SKIP() << "no PostgreSQL";
    m_ = testing::MakeMiniSchool(*t_.db, 4);
    leader_ = m_.office;
    leader_.role = auth::Role::kPrincipal;
    leader_.scope = auth::Scope::kSchool;
    month_ = PreviousMonth(MonthOf(TodayLocal()));
    db().Write([&](db::Conn& c) {
      const int64_t now = NowMs();
      // The term covers the whole of last month; after school is 90 minutes.
      c.Exec("UPDATE terms SET start_date = $1 WHERE id = $2", {FormatDate(AddDays(month_.First(), -7)), m_.term_id});
      c.Exec(
          "INSERT INTO service_bands (school_id, term_id, kind, start_time, end_time) VALUES ($1, $2, 'after_school',"
          " '15:30', '17:00')",
          {m_.school_id, m_.term_id});
      c.Exec("UPDATE staff_records SET hourly_rate_fen = 6000 WHERE staff_id = $1", {m_.staff_id});
      sub_ = Staff(c, "李老师", "13900000002", 8000, std::nullopt);
      int64_t area = c.QueryOne("SELECT area_id FROM schools WHERE id = $1", {m_.school_id})->Int(0);
      int64_t inst = c.Insert(
          "INSERT INTO institutions (area_id, name, licence_no, filing_no, review_date, created_at, updated_at)"
          " VALUES ($1, '星光艺术', 'L1', 'F1', '2030-01-01', $2, $2) RETURNING id",
          {area, now});
      ext_ = Staff(c, "赵教练", "13900000003", 5000, inst);
      sub_user_ = c.Insert(
          "INSERT INTO users (login, password_hash, display_name, role, school_id, staff_id, created_at,"
          " updated_at) VALUES ('sub', 'x', '李老师', 'teacher', $1, $2, $3, $3) RETURNING id",
          {m_.school_id, sub_, now});
      section_ = Section(c, "围棋", m_.staff_id);
      ext_section_ = Section(c, "舞蹈", ext_);
      auto term = school::CurrentTerm(c, m_.school_id);
      for (Date d = month_.First(); d <= month_.Last() && days_.size() < 4; d = AddDays(d, 1))
        if (school::IsSchoolDay(term->dates, d)) days_.push_back(d);
    });
    ASSERT_EQ(days_.size(), 4u);
    // Held: the teacher's section on days 0 and 1 (roll by the office), on day 2 by the substitute;
    // day 3 has no roll call (not held). The institution's section on day 0.
    Mark(section_, days_[0], std::nullopt);
    Mark(section_, days_[1], std::nullopt);
    Mark(section_, days_[2], sub_user_);
    Mark(ext_section_, days_[0], std::nullopt);
  }
  int64_t Staff(db::Conn& c, const std::string& name, const std::string& mobile, int64_t rate,
                std::optional<int64_t> inst) {
    const int64_t now = NowMs();
    int64_t id = c.Insert(
        "INSERT INTO staff (school_id, name, kind, mobile, created_at, updated_at) VALUES ($1, $2,"
        " 'in_school', $3, $4, $4) RETURNING id",
        {m_.school_id, name, mobile, now});
    c.Exec(
        "INSERT INTO staff_records (school_id, staff_id, institution_id, hourly_rate_fen, contract_start, contract_end,"
        " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {m_.school_id, id, db::Opt(inst), rate, FormatDate(AddDays(month_.First(), -30)),
         FormatDate(AddDays(month_.Last(), 200)), now});
    return id;
  }
  int64_t Section(db::Conn& c, const std::string& name, int64_t teacher) {
    const int64_t now = NowMs();
    int64_t course = c.Insert(
        "INSERT INTO courses (school_id, term_id, name, category, grades, capacity, teacher_staff_id, slots, "
        "created_at,"
        " updated_at) VALUES ($1, $2, $3, 'interest', '3,4', 40, $4,"
        " '1:after_school,2:after_school,3:after_school,4:after_school,5:after_school', $5, $5) RETURNING id",
        {m_.school_id, m_.term_id, name, teacher, now});
    return c.Insert(
        "INSERT INTO sections (school_id, course_id, name, capacity, taken, created_at) VALUES ($1, $2, $3, 40, 1,"
        " $4) RETURNING id",
        {m_.school_id, course, name + "1班", now});
  }
  void Mark(int64_t section, const Date& day, std::optional<int64_t> user) {
    db().Write([&](db::Conn& c) {
      c.Exec(
          "INSERT INTO attendance_marks (school_id, section_id, day, band, student_id, status, by_user_id, updated_at)"
          " VALUES ($1, $2, $3, 'after_school', $4, 'present', $5, $6)",
          {m_.school_id, section, FormatDate(day), m_.students[0], db::Opt(user), NowMs()});
    });
  }
  auth::Principal TeacherOf(int64_t staff) const {
    auth::Principal p;
    p.user_id = 500 + staff;
    p.login = "t" + std::to_string(staff);
    p.role = auth::Role::kTeacher;
    p.school_id = m_.school_id;
    p.staff_id = staff;
    p.scope = auth::Scope::kSelf;
    return p;
  }
  Json Run() {
    auto r = RunMonth(db(), m_.office, std::nullopt, {{"month", month_.Text()}}, TodayLocal());
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : Json();
  }
  static Json SlipOf(const Json& run, int64_t staff) {
    for (const auto& s : run["slips"])
      if (s["staff_id"] == staff) return s;
    return Json();
  }
  db::Db& db() { return *t_.db; }
  db::TestDb t_;
  testing::MiniSchool m_;
  auth::Principal leader_;
  Month month_;
  std::vector<Date> days_;
  int64_t sub_ = 0, ext_ = 0, sub_user_ = 0, section_ = 0, ext_section_ = 0;
};

TEST_P(PayService, SessionsHeldTimesRateAndInstitutionInvoices) {
  Json run = Run();
  EXPECT_EQ(run["status"], "draft");
  EXPECT_EQ(run["sessions"], 4);
  Json own = SlipOf(run, m_.staff_id);
  EXPECT_EQ(own["sessions"], 2);  // day 2 was taught by the substitute, day 3 not held
  EXPECT_EQ(own["minutes"], 180);
  EXPECT_EQ(own["amount_fen"], 18000);  // 3 h x 60.00
  EXPECT_EQ(own["factor"], "1.0");
  Json sub = SlipOf(run, sub_);
  EXPECT_EQ(sub["sessions"], 1);
  EXPECT_EQ(sub["amount_fen"], 12000);       // 1.5 h x 80.00
  EXPECT_TRUE(SlipOf(run, ext_).is_null());  // institution staff: on the invoice, no slip
  ASSERT_EQ(run["invoices"].size(), 1u);
  EXPECT_EQ(run["invoices"][0]["institution_name"], "星光艺术");
  EXPECT_EQ(run["invoices"][0]["amount_fen"], 7500);
  EXPECT_EQ(run["slips_fen"], 30000);
  EXPECT_EQ(run["invoices_fen"], 7500);
}

// A substitution recorded in the timetable decides who is paid for that session, even when the
// office (not the substitute) took the roll: day 1's session moves from the teacher to 李老师.
TEST_P(PayService, ASubstitutionInTheTimetableDecidesWhoIsPaid) {
  db().Write([&](db::Conn& c) {
    c.Exec(
        "INSERT INTO timetable_substitutions (school_id, term_id, section_id, day, band, absent_staff_id,"
        " substitute_staff_id, source, status, reported_at, assigned_at) VALUES ($1, $2, $3, $4, 'after_school', $5,"
        " $6, 'office', 'assigned', $7, $7)",
        {m_.school_id, m_.term_id, section_, FormatDate(days_[1]), m_.staff_id, sub_, NowMs()});
    // An open (unassigned) substitution changes nothing: day 0 stays the teacher's.
    c.Exec(
        "INSERT INTO timetable_substitutions (school_id, term_id, section_id, day, band, absent_staff_id,"
        " source, status, reported_at) VALUES ($1, $2, $3, $4, 'after_school', $5, 'none', 'open', $6)",
        {m_.school_id, m_.term_id, section_, FormatDate(days_[0]), m_.staff_id, NowMs()});
  });
  Json run = Run();
  EXPECT_EQ(run["sessions"], 4);
  EXPECT_EQ(SlipOf(run, m_.staff_id)["sessions"], 1);  // day 0 only
  EXPECT_EQ(SlipOf(run, m_.staff_id)["amount_fen"], 9000);
  EXPECT_EQ(SlipOf(run, sub_)["sessions"], 2);  // day 1 (the timetable's substitution) and day 2 (took the roll)
  EXPECT_EQ(SlipOf(run, sub_)["amount_fen"], 24000);
}

TEST_P(PayService, FactorRuleFromScoresAndIdempotentRerun) {
  ASSERT_TRUE(PutSettings(db(), leader_, std::nullopt, {{"factor_rule", "tiered"}}).ok());
  ASSERT_TRUE(
      PutScore(db(), leader_, std::nullopt, {{"staff_id", m_.staff_id}, {"month", month_.Text()}, {"score", 90}}).ok());
  ASSERT_TRUE(
      PutScore(db(), leader_, std::nullopt, {{"staff_id", sub_}, {"month", month_.Text()}, {"score", 59}}).ok());
  Json a = Run();
  EXPECT_EQ(SlipOf(a, m_.staff_id)["factor"], "1.2");
  EXPECT_EQ(SlipOf(a, m_.staff_id)["amount_fen"], 21600);
  EXPECT_EQ(SlipOf(a, m_.staff_id)["base_fen"], 18000);
  EXPECT_EQ(SlipOf(a, sub_)["amount_fen"], 10800);  // 0.9
  EXPECT_NE(a["factor_rule_text"].get<std::string>().find("分档"), std::string::npos);
  Json b = Run();
  EXPECT_EQ(a["id"], b["id"]);
  EXPECT_EQ(a["slips_fen"], b["slips_fen"]);
  EXPECT_EQ(b["slips"].size(), 2u);
  int64_t runs = db().Read([&](db::Conn& c) { return c.QueryOne("SELECT COUNT(*) FROM pay_runs")->Int(0); });
  int64_t lines = db().Read([&](db::Conn& c) { return c.QueryOne("SELECT COUNT(*) FROM pay_lines")->Int(0); });
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(lines, 4);  // re-run replaced, not added
  auto bad = PutSettings(db(), leader_, std::nullopt, {{"factor_rule", "bonus"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "factor_rule");
}

TEST_P(PayService, ApprovalFreezesAndTeachersReadOnlyTheirOwn) {
  Json run = Run();
  int64_t own_slip = SlipOf(run, m_.staff_id)["id"];
  int64_t sub_slip = SlipOf(run, sub_)["id"];
  // Draft slips are not shown to teachers.
  EXPECT_EQ(GetSlip(db(), TeacherOf(m_.staff_id), std::nullopt, own_slip).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(MySlips(db(), TeacherOf(m_.staff_id))->at("items").empty());
  auto ok = ApproveRun(db(), leader_, std::nullopt, run["id"]);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ((*ok)["status"], "approved");
  EXPECT_EQ(ApproveRun(db(), leader_, std::nullopt, run["id"]).error().code, ErrorCode::kConflict);
  // The approval posted the run: teacher pay and institution fees against their payables.
  auto moved = db().Read([&](db::Conn& c) { return ledger::Movements(c, m_.school_id, std::nullopt); });
  EXPECT_EQ(moved[ledger::kAcctTeacherPay].debit_fen, 30000);
  EXPECT_EQ(moved[ledger::kAcctTeacherPayPayable].credit_fen, 30000);
  EXPECT_EQ(moved[ledger::kAcctInstitutions].debit_fen, 7500);
  EXPECT_EQ(moved[ledger::kAcctInstitutionsPayable].credit_fen, 7500);
  // A new roll call after approval does not change the frozen run.
  Mark(section_, days_[3], std::nullopt);
  Json again = Run();
  EXPECT_TRUE(again["frozen"].get<bool>());
  EXPECT_EQ(again["slips_fen"], run["slips_fen"]);
  // Teachers: own slip with its sessions and the rule in words; another's is not found.
  auto mine = GetSlip(db(), TeacherOf(m_.staff_id), std::nullopt, own_slip);
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ((*mine)["lines"].size(), 2u);
  EXPECT_FALSE((*mine)["factor_rule_text"].get<std::string>().empty());
  EXPECT_EQ(GetSlip(db(), TeacherOf(m_.staff_id), std::nullopt, sub_slip).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(MySlips(db(), TeacherOf(sub_))->at("items").size(), 1u);
  // The office reads any slip of the school; another school's office does not.
  EXPECT_TRUE(GetSlip(db(), m_.office, std::nullopt, sub_slip).ok());
  auto other = m_.office;
  other.school_id = m_.other_school_id;
  EXPECT_EQ(GetSlip(db(), other, std::nullopt, sub_slip).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(GetRun(db(), other, std::nullopt, run["id"]).error().code, ErrorCode::kNotFound);
  auto book = ExportRun(db(), m_.office, std::nullopt, run["id"]);
  ASSERT_TRUE(book.ok());
  EXPECT_GT(book->bytes.size(), 100u);
}

TEST_P(PayService, OnlyAnEndedMonth) {
  auto r = RunMonth(db(), m_.office, std::nullopt, {{"month", MonthOf(TodayLocal()).Text()}}, TodayLocal());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kRuleBroken);
  EXPECT_EQ(RunMonth(db(), m_.office, std::nullopt, {{"month", "2026/11"}}, TodayLocal()).error().field, "month");
}

INSTANTIATE_TEST_SUITE_P(Db, PayService, ::testing::ValuesIn(db::TestDialects()));

}  // namespace
}  // namespace kehou::pay
