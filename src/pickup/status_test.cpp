// The guardian's status in one statement (store::GuardianChildDays) against the path it replaced,
// on both databases: each child's presence as attendance::PresenceOn gives it (attendance's rule,
// restated in pickup's statement), the day at the gate as store::ChildDayOf and the batch as
// store::BatchIdOf (only an active one): children with and without a swipe, marks in several
// sessions (present, late; absent and on leave left out), a swipe of another day and of another
// school left out, queued, left, late steps, several children in two schools, an inactive child.
#include <gtest/gtest.h>

#include <algorithm>
#include <tuple>

#include "attendance/present.h"
#include "catalog/test_fixture.h"
#include "db/testing.h"
#include "pickup/store.h"

namespace kehou::pickup {
namespace {

class PickupStatus : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    t_ = db::MakeTestDb(GetParam());
    if (!t_.db) GTEST_SKIP() << "no PostgreSQL";
    m_ = testing::MakeMiniSchool(*t_.db, 6);
    day_ = FormatDate(TodayLocal());
    yesterday_ = FormatDate(AddDays(TodayLocal(), -1));
    db().Write([&](db::Conn& c) { Fill(c); });
  }
  db::Db& db() { return *t_.db; }
  int64_t Id(db::Conn& c, const std::string& sql, const db::Params& p) { return c.Insert(sql, p); }
  int64_t Batch(db::Conn& c, int64_t school, const std::string& name, const std::string& time, int active) {
    return Id(c,
              "INSERT INTO dismissal_batches (school_id, name, leave_time, active, created_at) VALUES ($1, $2, $3, $4,"
              " 0) RETURNING id",
              {school, name, time, active});
  }
  int64_t Section(db::Conn& c, int64_t school, std::optional<int64_t> term, const std::string& name) {
    int64_t course = Id(c,
                        "INSERT INTO courses (school_id, term_id, name, category, grades, capacity, slots, created_at,"
                        " updated_at) VALUES ($1, $2, $3, 'interest', '3,4', 40, '1:after_school', 0, 0) RETURNING id",
                        {school, term ? db::Value(*term) : db::Null(), name + "课"});
    return Id(c,
              "INSERT INTO sections (school_id, course_id, name, capacity, created_at) VALUES ($1, $2, $3, 40, 0)"
              " RETURNING id",
              {school, course, name});
  }
  void Mark(db::Conn& c, int64_t school, int64_t section, const std::string& day, const std::string& band,
            int64_t student, const std::string& status, int64_t at) {
    c.Exec(
        "INSERT INTO attendance_marks (school_id, section_id, day, band, student_id, status, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {school, section, day, band, student, status, at});
  }
  void Swipe(db::Conn& c, int64_t school, int64_t device, int64_t student, const std::string& day, int64_t at) {
    c.Exec(
        "INSERT INTO attendance_swipes (school_id, device_id, uid, card_no, student_id, at_ms, day, received_at)"
        " VALUES ($1, $2, $3, 'C1', $4, $5, $6, $5)",
        {school, device, "u" + std::to_string(++uid_), student, at, day});
  }
  void Fill(db::Conn& c) {
    const auto& s = m_.students;
    const int64_t sid = m_.school_id, other = m_.other_school_id;
    batch1_ = Batch(c, sid, "第一批", "16:50", 1);
    batch2_ = Batch(c, sid, "第二批", "17:20", 1);
    const int64_t closed = Batch(c, sid, "停用批次", "18:00", 0);
    const int64_t go = Section(c, sid, m_.term_id, "围棋1班"), art = Section(c, sid, m_.term_id, "美术1班"),
                  run = Section(c, sid, m_.term_id, "田径1班");
    const int64_t dev = Id(c,
                           "INSERT INTO attendance_devices (school_id, name, key_hash, created_at) VALUES ($1, '东门',"
                           " 'k', 0) RETURNING id",
                           {sid});
    // Child 0: two sessions (after school present, noon late), absent in a third; two swipes
    // today (the first counts) and one yesterday; the day's choice (batch 2) over the default.
    Mark(c, sid, go, day_, "after_school", s[0], "present", 1000);
    Mark(c, sid, art, day_, "noon", s[0], "late", 2000);
    Mark(c, sid, run, day_, "evening", s[0], "absent", 3000);
    Mark(c, sid, go, yesterday_, "after_school", s[0], "present", 500);
    Swipe(c, sid, dev, s[0], day_, 9000);
    Swipe(c, sid, dev, s[0], day_, 7000);
    Swipe(c, sid, dev, s[0], yesterday_, 100);
    Choose(c, s[0], "", batch1_);
    Choose(c, s[0], day_, batch2_);
    // Child 1: nothing today; the default choice; queued third behind children 2 (left) and 3.
    Choose(c, s[1], "", batch1_);
    // Child 2: a swipe only; arrived first and left.
    Swipe(c, sid, dev, s[2], day_, 8000);
    // Child 3: on leave in one session, present in another; queued; late steps 1 and 2; the day's
    // choice is an inactive batch (none shown).
    Mark(c, sid, go, day_, "after_school", s[3], "leave", 1500);
    Mark(c, sid, art, day_, "noon", s[3], "present", 1600);
    Choose(c, s[3], day_, closed);
    // Child 4: the application's batch (no choice).
    c.Exec("UPDATE applications SET dismissal_batch_id = $1 WHERE student_id = $2", {batch2_, s[4]});
    // Child 5: no longer active (not listed).
    c.Exec("UPDATE students SET active = 0 WHERE id = $1", {s[5]});
    Arrive(c, s[2], 10000);
    Arrive(c, s[3], 11000);
    Arrive(c, s[1], 12000);
    c.Exec(
        "INSERT INTO pickup_handovers (school_id, day, student_id, batch_id, adult_kind, adult_id, adult_name,"
        " relation, by_user_id, by_name, at) VALUES ($1, $2, $3, $4, 'guardian', $5, '家长2', '母亲', 5, '门卫', "
        "13000)",
        {sid, day_, s[2], batch1_, m_.guardians[2]});
    for (int step : {1, 2})
      c.Exec("INSERT INTO pickup_escalations (school_id, day, student_id, step, at) VALUES ($1, $2, $3, $4, 0)",
             {sid, day_, s[3], step});
    // A child of the other school: present in a session there, a swipe there and one at this
    // school's gate (another school's record: not this child's presence).
    const int64_t grade =
        Id(c, "INSERT INTO grades (school_id, number, name) VALUES ($1, 3, '三年级') RETURNING id", {other});
    const int64_t cls = Id(c,
                           "INSERT INTO classes (school_id, grade_id, name, number) VALUES ($1, $2, '别校三(1)班', 1)"
                           " RETURNING id",
                           {other, grade});
    away_ = Id(c,
               "INSERT INTO students (school_id, student_no, name, gender, class_id, created_at, updated_at)"
               " VALUES ($1, 'X1', '别校学生', 'F', $2, 0, 0) RETURNING id",
               {other, cls});
    const int64_t away_dev = Id(c,
                                "INSERT INTO attendance_devices (school_id, name, key_hash, created_at) VALUES ($1,"
                                " '别校门', 'k', 0) RETURNING id",
                                {other});
    Mark(c, other, Section(c, other, std::nullopt, "别校书法班"), day_, "after_school", away_, "present", 4000);
    Swipe(c, other, away_dev, away_, day_, 6000);
    Swipe(c, sid, dev, away_, day_, 5000);
    // Guardian 0 has all of them (two schools, an inactive child).
    for (size_t i = 1; i < s.size(); ++i) Link(c, sid, s[i], m_.guardians[0]);
    Link(c, other, away_, m_.guardians[0]);
  }
  void Choose(db::Conn& c, int64_t student, const std::string& day, int64_t batch) {
    c.Exec(
        "INSERT INTO pickup_batch_choices (school_id, student_id, day, batch_id, updated_at) VALUES ($1, $2, $3, $4,"
        " 0)",
        {m_.school_id, student, day, batch});
  }
  void Arrive(db::Conn& c, int64_t student, int64_t at) {
    c.Exec(
        "INSERT INTO pickup_arrivals (school_id, day, student_id, adult_kind, adult_id, adult_name, at) VALUES ($1,"
        " $2, $3, 'guardian', 1, '家长', $4)",
        {m_.school_id, day_, student, at});
  }
  void Link(db::Conn& c, int64_t school, int64_t student, int64_t guardian) {
    c.Exec(
        "INSERT INTO student_guardians (school_id, student_id, guardian_id, relation, is_primary) VALUES ($1, $2, $3,"
        " '父亲', 0)",
        {school, student, guardian});
  }
  // The statement's answer for each child against the old path's (PresenceOn, ChildDayOf,
  // BatchIdOf with the batch's name when active).
  std::vector<store::GuardianChild> CheckAgainstOldPath(int64_t guardian) {
    return db().Read([&](db::Conn& c) {
      auto got = store::GuardianChildDays(c, guardian, day_, day_);
      for (const auto& g : got) {
        SCOPED_TRACE("child " + std::to_string(g.child.id));
        const auto old = attendance::PresenceOn(c, g.school_id, TodayLocal(), g.child.id);
        EXPECT_EQ(g.presence.size(), old.size());
        for (size_t i = 0; i < std::min(old.size(), g.presence.size()); ++i) {
          const auto &a = g.presence[i], &b = old[i];
          EXPECT_EQ(std::tie(a.student_id, a.source, a.status, a.course, a.section, a.band, a.at_ms),
                    std::tie(b.student_id, b.source, b.status, b.course, b.section, b.band, b.at_ms));
        }
        const auto day = store::ChildDayOf(c, g.school_id, day_, g.child.id);
        EXPECT_EQ(g.gate.late_step, day.late_step);
        EXPECT_EQ(g.gate.left.has_value(), day.left.has_value());
        if (g.gate.left && day.left) {
          const auto &a = *g.gate.left, &b = *day.left;
          EXPECT_EQ(std::tie(a.id, a.student_id, a.at, a.batch_id, a.adult_id, a.adult_kind, a.adult_name, a.relation,
                             a.by_name),
                    std::tie(b.id, b.student_id, b.at, b.batch_id, b.adult_id, b.adult_kind, b.adult_name, b.relation,
                             b.by_name));
        }
        EXPECT_EQ(g.gate.queued.has_value(), day.queued.has_value());
        if (g.gate.queued && day.queued) {
          EXPECT_EQ(g.gate.queued->position, day.queued->position);
          EXPECT_EQ(g.gate.queued->arrival.id, day.queued->arrival.id);
          EXPECT_EQ(g.gate.queued->arrival.at, day.queued->arrival.at);
          EXPECT_EQ(g.gate.queued->arrival.adult_name, day.queued->arrival.adult_name);
        }
        const auto batch = store::BatchIdOf(c, g.school_id, g.child.id, day_, day_);
        const auto active =
            batch ? c.QueryOne("SELECT name FROM dismissal_batches WHERE id = $1 AND active = 1", {*batch})
                  : std::nullopt;
        EXPECT_EQ(g.batch_id, active ? batch : std::nullopt);
        EXPECT_EQ(g.batch_name, active ? active->Text(0) : "");
      }
      return got;
    });
  }
  db::TestDb t_;
  testing::MiniSchool m_;
  std::string day_, yesterday_;
  int64_t batch1_ = 0, batch2_ = 0, away_ = 0, uid_ = 0;
};

TEST_P(PickupStatus, OneStatementAnswersAsThePresenceAndGatePaths) {
  const auto& s = m_.students;
  auto all = CheckAgainstOldPath(m_.guardians[0]);
  // The children by id, the inactive one left out, the other school's with its school.
  ASSERT_EQ(all.size(), 6u);
  std::vector<int64_t> ids;
  for (const auto& g : all) ids.push_back(g.child.id);
  EXPECT_EQ(ids, (std::vector<int64_t>{s[0], s[1], s[2], s[3], s[4], away_}));
  EXPECT_EQ(all[5].school_id, m_.other_school_id);
  EXPECT_EQ(all[0].child.class_name, "三年级(1)班");
  // Child 0: two sessions by band, then the first swipe of the day.
  ASSERT_EQ(all[0].presence.size(), 3u);
  EXPECT_EQ(all[0].presence[0].band, "after_school");
  EXPECT_EQ(all[0].presence[0].section, "围棋1班");
  EXPECT_EQ(all[0].presence[0].course, "围棋1班课");
  EXPECT_EQ(all[0].presence[1].status, "late");
  EXPECT_EQ(all[0].presence[2].source, "swipe");
  EXPECT_EQ(all[0].presence[2].at_ms, 7000);
  EXPECT_EQ(all[0].batch_id, batch2_);
  EXPECT_EQ(all[0].batch_leave_time, "17:20");
  // Child 1: nothing today, queued second (child 2 has left, child 3 is ahead).
  EXPECT_TRUE(all[1].presence.empty());
  ASSERT_TRUE(all[1].gate.queued.has_value());
  EXPECT_EQ(all[1].gate.queued->position, 2);
  EXPECT_EQ(all[1].batch_id, batch1_);
  // Child 2: a swipe only; left (no longer queued).
  ASSERT_EQ(all[2].presence.size(), 1u);
  EXPECT_EQ(all[2].presence[0].source, "swipe");
  ASSERT_TRUE(all[2].gate.left.has_value());
  EXPECT_EQ(all[2].gate.left->relation, "母亲");
  EXPECT_FALSE(all[2].gate.queued.has_value());
  // Child 3: present at noon (on leave after school: not present), first in the queue, step 2, an
  // inactive batch chosen (none).
  ASSERT_EQ(all[3].presence.size(), 1u);
  EXPECT_EQ(all[3].presence[0].band, "noon");
  EXPECT_EQ(all[3].gate.queued->position, 1);
  EXPECT_EQ(all[3].gate.late_step, 2);
  EXPECT_FALSE(all[3].batch_id.has_value());
  // Child 4: the application's batch. The other school's child: its own school's records only.
  EXPECT_EQ(all[4].batch_id, batch2_);
  ASSERT_EQ(all[5].presence.size(), 2u);
  EXPECT_EQ(all[5].presence[0].section, "别校书法班");
  EXPECT_EQ(all[5].presence[1].at_ms, 6000);
  // Each other guardian: their one child, as the old path.
  for (size_t i = 1; i < s.size(); ++i) EXPECT_EQ(CheckAgainstOldPath(m_.guardians[i]).size(), i == 5 ? 0u : 1u);
  EXPECT_TRUE(CheckAgainstOldPath(-1).empty());
}

INSTANTIATE_TEST_SUITE_P(Db, PickupStatus, ::testing::ValuesIn(db::TestDialects()));

}  // namespace
}  // namespace kehou::pickup
