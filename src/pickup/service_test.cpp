// Pickup on both databases: proxies and their scope, cards, the gate's verdicts and handovers
// (refusals audited), restrictions, arrivals, late escalation once per step, closing the day.
#include "pickup/service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "catalog/test_fixture.h"
#include "db/testing.h"
#include "db/trace.h"
#include "pickup/rules.h"
#include "pickup/store.h"

namespace kehou::pickup {
namespace {

class Pickup : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    t_ = db::MakeTestDb(GetParam());
    if (!t_.db) GTEST_SKIP() << "no PostgreSQL";
    m_ = testing::MakeMiniSchool(*t_.db, 4);
    day_ = TodayLocal();
    db().Write([&](db::Conn& c) {
      const int64_t now = NowMs();
      batch_ = c.Insert(
          "INSERT INTO dismissal_batches (school_id, name, leave_time, created_at) VALUES ($1, '第一批',"
          " '17:00', $2) RETURNING id",
          {m_.school_id, now});
      int64_t course = c.Insert(
          "INSERT INTO courses (school_id, term_id, name, category, grades, capacity, slots, created_at, updated_at)"
          " VALUES ($1, $2, '围棋', 'interest', '3,4', 40, '1:after_school', $3, $3) RETURNING id",
          {m_.school_id, m_.term_id, now});
      int64_t section = c.Insert(
          "INSERT INTO sections (school_id, course_id, name, capacity, created_at) VALUES ($1, $2,"
          " '围棋1班', 40, $3) RETURNING id",
          {m_.school_id, course, now});
      for (int64_t s : m_.students)  // every child present today
        c.Exec(
            "INSERT INTO attendance_marks (school_id, section_id, day, band, student_id, status, updated_at)"
            " VALUES ($1, $2, $3, 'after_school', $4, 'present', $5)",
            {m_.school_id, section, FormatDate(day_), s, now});
      c.Exec("UPDATE classes SET class_teacher_id = $1", {m_.staff_id});
    });
    gate_.user_id = 5;
    gate_.login = "guard";
    gate_.display_name = "门卫张师傅";
    gate_.role = auth::Role::kGuard;
    gate_.school_id = m_.school_id;
    gate_.scope = auth::Scope::kSchool;
  }
  db::Db& db() { return *t_.db; }
  int64_t At(int minutes, int64_t plus_ms = 0) const { return LocalInstant(day_, minutes) + plus_ms; }
  Json ProxyBody(size_t child, const Date& from, const Date& to) const {
    return {{"student_id", m_.students[child]},
            {"name", "李阿姨"},
            {"relation", "邻居"},
            {"id_last4", "123x"},
            {"valid_from", FormatDate(from)},
            {"valid_to", FormatDate(to)},
            {"form", {{"name", "授权书.pdf"}, {"type", "application/pdf"}, {"data", "JVBERi0xLjQK"}}}};
  }
  int64_t Count(const std::string& sql) {
    return db().Read([&](db::Conn& c) { return c.QueryOne(sql)->Int(0); });
  }
  Json HandBy(size_t child, const std::string& kind, std::optional<int64_t> adult, int64_t now,
              std::string* err = nullptr) {
    Json b = {{"student_id", m_.students[child]}, {"adult_kind", kind}};
    if (adult) b["adult_id"] = *adult;
    auto r = Handover(db(), gate_, std::nullopt, b, now);
    if (!r.ok()) {
      if (err) *err = r.error().field + ":" + r.error().message;
      return Json();
    }
    return *r;
  }
  db::TestDb t_;
  testing::MiniSchool m_;
  Date day_;
  int64_t batch_ = 0;
  auth::Principal gate_;
};

TEST_P(Pickup, ProxyCreatedWithCardOnlyForOwnChild) {
  auto g0 = m_.Guardian(0), g1 = m_.Guardian(1);
  auto p = CreateProxy(db(), g0, std::nullopt, ProxyBody(0, day_, AddDays(day_, 30)), At(8 * 60));
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ((*p)["id_last4"], "123X");
  EXPECT_EQ((*p)["status"], "valid");
  EXPECT_EQ((*p)["card"]["token"].get<std::string>().size(), kTokenChars);
  // Another family: not found, for reading, revoking, the form and a new card.
  EXPECT_EQ(ChildAdults(db(), g1, std::nullopt, m_.students[0], At(8 * 60)).error().code, kNotFound);
  EXPECT_EQ(RevokeProxy(db(), g1, std::nullopt, (*p)["id"], {{"reason", "x"}}, At(8 * 60)).error().code, kNotFound);
  EXPECT_EQ(ProxyForm(db(), g1, std::nullopt, (*p)["id"]).error().code, kNotFound);
  EXPECT_FALSE(CreateProxy(db(), g1, std::nullopt, ProxyBody(0, day_, day_), At(8 * 60)).ok());
  auto mine = ChildAdults(db(), g0, std::nullopt, m_.students[0], At(8 * 60));
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ((*mine)["proxies"].size(), 1u);
  EXPECT_EQ((*mine)["guardians"].size(), 1u);
  auto form = ProxyForm(db(), g0, std::nullopt, (*p)["id"]);
  ASSERT_TRUE(form.ok());
  EXPECT_EQ(form->bytes, "%PDF-1.4\n");
  // No form: refused.
  Json no_form = ProxyBody(0, day_, day_);
  no_form.erase("form");
  EXPECT_EQ(CreateProxy(db(), g0, std::nullopt, no_form, At(8 * 60)).error().field, "form");
  EXPECT_GE(Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'pickup_proxy' AND action = 'create'"), 1);
}

TEST_P(Pickup, ProxyRefusedAfterExpiryAndTheRefusalIsAudited) {
  auto g0 = m_.Guardian(0);
  // Registered five days ago, valid until yesterday.
  auto p = CreateProxy(db(), g0, std::nullopt, ProxyBody(0, AddDays(day_, -5), AddDays(day_, -1)),
                       LocalInstant(AddDays(day_, -5), 9 * 60));
  ASSERT_TRUE(p.ok()) << p.error().message;
  std::string err;
  EXPECT_TRUE(HandBy(0, "proxy", (*p)["id"].get<int64_t>(), At(17 * 60), &err).is_null());
  EXPECT_EQ(err.substr(0, err.find(':')), "expired");
  EXPECT_NE(err.find("过期"), std::string::npos);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'pickup_refused'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM pickup_handovers"), 0);
  // The guardian themself may.
  auto h = HandBy(0, "guardian", m_.guardians[0], At(17 * 60));
  ASSERT_FALSE(h.is_null());
  EXPECT_EQ(h["by"], "门卫张师傅");
  // Once per day.
  EXPECT_TRUE(HandBy(0, "guardian", m_.guardians[0], At(17 * 60 + 1), &err).is_null());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notify_outbox WHERE event_key LIKE 'pickup_left:%'"), 1);
}

TEST_P(Pickup, RestrictionIsAHardRefusalAndStrangersAreRefused) {
  auto r = CreateRestriction(db(), m_.office, std::nullopt,
                             {{"student_id", m_.students[1]},
                              {"adult_kind", "guardian"},
                              {"adult_id", m_.guardians[1]},
                              {"reason", "法院判决限制探视"},
                              {"document", "(2026)民初123号"}},
                             At(8 * 60));
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::string err;
  EXPECT_TRUE(HandBy(1, "guardian", m_.guardians[1], At(17 * 60), &err).is_null());
  EXPECT_EQ(err.substr(0, err.find(':')), "restricted");
  EXPECT_TRUE(HandBy(1, "guardian", m_.guardians[2], At(17 * 60), &err).is_null());  // another child's guardian
  EXPECT_EQ(err.substr(0, err.find(':')), "not_authorised");
  EXPECT_TRUE(HandBy(1, "self", std::nullopt, At(17 * 60), &err).is_null());
  EXPECT_EQ(err.substr(0, err.find(':')), "no_self_permission");
  // The guardian's arrival is refused as well.
  EXPECT_EQ(Arrive(db(), m_.Guardian(1), {{"student_id", m_.students[1]}}, At(17 * 60)).error().field, "restricted");
}

TEST_P(Pickup, CardsScanAndRevoke) {
  auto g2 = m_.Guardian(2);
  auto card = IssueCard(db(), g2, std::nullopt,
                        {{"student_id", m_.students[2]}, {"adult_kind", "guardian"}, {"adult_id", m_.guardians[2]}},
                        At(8 * 60));
  ASSERT_TRUE(card.ok()) << card.error().message;
  const std::string token = (*card)["token"];
  auto seen = GateLookup(db(), gate_, std::nullopt, {{"token", "http://x/m/card?token=" + token}}, At(17 * 60));
  ASSERT_TRUE(seen.ok()) << seen.error().message;
  ASSERT_EQ((*seen)["items"].size(), 1u);
  EXPECT_EQ((*seen)["items"][0]["adults"][0]["ok"], true);
  auto by_code = GateLookup(db(), gate_, std::nullopt, {{"q", token.substr(0, kCodeChars)}}, At(17 * 60));
  ASSERT_TRUE(by_code.ok());
  EXPECT_EQ((*by_code)["items"][0]["child"]["id"], m_.students[2]);
  ASSERT_TRUE(RevokeCard(db(), g2, std::nullopt, (*card)["id"], At(8 * 60)).ok());
  auto again = GateLookup(db(), gate_, std::nullopt, {{"token", token}}, At(17 * 60));
  EXPECT_EQ((*again)["items"][0]["adults"][0]["reason_code"], "card_revoked");
  // Another school's staff: the card is not theirs.
  auto stranger = gate_;
  stranger.school_id = m_.other_school_id;
  EXPECT_EQ(GateLookup(db(), stranger, std::nullopt, {{"token", token}}, At(17 * 60)).error().code, kNotFound);
}

TEST_P(Pickup, ArrivalsQueueInOrder) {
  ASSERT_TRUE(Arrive(db(), m_.Guardian(3), {{"student_id", m_.students[3]}}, At(16 * 60 + 50)).ok());
  auto second = Arrive(db(), m_.Guardian(2), {{"student_id", m_.students[2]}}, At(16 * 60 + 55));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ((*second)["position"], 2);
  EXPECT_EQ((*Arrive(db(), m_.Guardian(2), {{"student_id", m_.students[2]}}, At(16 * 60 + 56)))["already"], true);
  EXPECT_EQ(Arrive(db(), m_.Guardian(2), {{"student_id", m_.students[3]}}, At(16 * 60 + 56)).error().code, kNotFound);
  auto q = Queue(db(), gate_, std::nullopt, At(16 * 60 + 57));
  ASSERT_TRUE(q.ok());
  ASSERT_EQ((*q)["items"].size(), 2u);
  EXPECT_EQ((*q)["items"][0]["child"]["id"], m_.students[3]);
  // The guardian's status shows the place in the queue, which moves up when the first has left.
  auto waiting = MyChildren(db(), m_.Guardian(2), At(16 * 60 + 58));
  ASSERT_TRUE(waiting.ok());
  EXPECT_EQ((*waiting)["items"][0]["queued"]["position"], 2);
  EXPECT_EQ((*waiting)["items"][0]["left"], nullptr);
  HandBy(3, "guardian", m_.guardians[3], At(17 * 60));
  EXPECT_EQ((*Queue(db(), gate_, std::nullopt, At(17 * 60)))["items"].size(), 1u);
  EXPECT_EQ((*MyChildren(db(), m_.Guardian(2), At(17 * 60)))["items"][0]["queued"]["position"], 1);
  auto mine = MyChildren(db(), m_.Guardian(3), At(17 * 60 + 1));
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ((*mine)["items"][0]["arrived"], true);
  EXPECT_EQ((*mine)["items"][0]["left"]["adult_kind"], "guardian");
  EXPECT_EQ((*mine)["items"][0]["queued"], nullptr);  // left: no longer queued
}

// An arrival by card checks its adult as the gate does (a proxy's card while the proxy is valid, not
// once revoked) and is audited under the card's adult. On PostgreSQL a guardian's arrival is five
// round trips: the guardian with the child's school, the checks (the child, the restrictions, the
// adult, the batch), then the write: BEGIN with the insert and the child's day, the audit row, COMMIT.
TEST_P(Pickup, ArrivalsByCardAreCheckedAndAnArrivalIsFiveRoundTrips) {
  auto g0 = m_.Guardian(0);
  auto p = CreateProxy(db(), g0, std::nullopt, ProxyBody(0, day_, AddDays(day_, 30)), At(8 * 60));
  ASSERT_TRUE(p.ok()) << p.error().message;
  const std::string token = (*p)["card"]["token"];
  auto by_card = ArriveByCard(db(), {{"token", token}}, "t", At(16 * 60 + 50));
  ASSERT_TRUE(by_card.ok()) << by_card.error().message;
  EXPECT_EQ((*by_card)["adult_name"], "李阿姨");
  EXPECT_EQ((*by_card)["position"], 1);
  EXPECT_EQ((*by_card)["already"], false);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'arrive' AND user_name LIKE '李阿姨（接送卡%'"), 1);
  ASSERT_TRUE(RevokeProxy(db(), g0, std::nullopt, (*p)["id"], {{"reason", "搬家"}}, At(16 * 60 + 51)).ok());
  EXPECT_FALSE(ArriveByCard(db(), {{"token", token}}, "t", At(16 * 60 + 52)).ok());
  ASSERT_TRUE(Arrive(db(), m_.Guardian(2), {{"student_id", m_.students[2]}}, At(16 * 60 + 53)).ok());  // prepared
  db::trace::Record rec;
  db::trace::current = &rec;
  auto out = Arrive(db(), m_.Guardian(3), {{"student_id", m_.students[3]}}, At(16 * 60 + 54));
  db::trace::current = nullptr;
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ((*out)["position"], 3);
  if (db().dialect() == db::Dialect::kPostgres) {
    EXPECT_EQ(rec.round_trips, 5);
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM pickup_arrivals"), 3);
}

// Two announcements of one child at the same moment (both guardians, or a retry while the first
// is still being written): the second waits for the first and answers "already", it is not refused.
// Before the fix a check-then-insert let both pass the check on PostgreSQL, and the second hit the
// unique index (409 at the dismissal peak).
TEST_P(Pickup, ConcurrentArrivalsOfOneChildQueueOnce) {
  const int64_t now = At(16 * 60 + 50);
  std::promise<void> inserted;
  std::thread first([&] {
    db().Write([&](db::Conn& c) {
      store::Arrival a;
      a.student_id = m_.students[2];
      a.adult_kind = "guardian";
      a.adult_id = m_.guardians[2];
      a.adult_name = "先到的家长";
      a.at = now;
      EXPECT_TRUE(store::InsertArrival(c, m_.school_id, FormatDate(day_), a));
      inserted.set_value();
      std::this_thread::sleep_for(std::chrono::milliseconds(300));  // not committed yet
    });
  });
  inserted.get_future().wait();
  Result<Json> second = Error::Invalid("not run", "not run");
  try {
    second = Arrive(db(), m_.Guardian(2), {{"student_id", m_.students[2]}}, now + 1);
  } catch (const db::DbError& e) {
    ADD_FAILURE() << "the second announcement failed: " << e.what();
  }
  first.join();
  if (second.ok()) {
    EXPECT_EQ((*second)["already"], true);
    EXPECT_EQ((*second)["position"], 1);
  } else {
    ADD_FAILURE() << second.error().message;
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM pickup_arrivals WHERE student_id = " + std::to_string(m_.students[2])), 1);
}

// An arrival is checked on a reader and written after: a child handed over in between is not queued
// (the insert checks the handover in its own statement) and the announcement is refused.
TEST_P(Pickup, ArrivalAfterTheChildLeftIsRefusedAndNotQueued) {
  HandBy(1, "guardian", m_.guardians[1], At(17 * 60));
  auto late = Arrive(db(), m_.Guardian(1), {{"student_id", m_.students[1]}}, At(17 * 60 + 1));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, kConflict);
  db().Write([&](db::Conn& c) {
    store::Arrival a;
    a.student_id = m_.students[1];
    a.adult_kind = "guardian";
    a.adult_id = m_.guardians[1];
    a.adult_name = "家长";
    a.at = At(17 * 60 + 2);
    EXPECT_FALSE(store::InsertArrival(c, m_.school_id, FormatDate(day_), a));
  });
  EXPECT_EQ(Count("SELECT COUNT(*) FROM pickup_arrivals WHERE student_id = " + std::to_string(m_.students[1])), 0);
}

// The guardian's status reads the batch of the day in its one statement: the choice for the day,
// else the default choice; a chosen batch no longer active shows none (no fallback).
TEST_P(Pickup, StatusShowsTheBatchOfTheDay) {
  const auto batch = [&] { return (*MyChildren(db(), m_.Guardian(0), At(16 * 60)))["items"][0]["batch"]; };
  EXPECT_EQ(batch(), nullptr);
  int64_t second = 0;
  db().Write([&](db::Conn& c) {
    second = c.Insert(
        "INSERT INTO dismissal_batches (school_id, name, leave_time, created_at) VALUES ($1, '第二批', '17:30', 0)"
        " RETURNING id",
        {m_.school_id});
    c.Exec(
        "INSERT INTO pickup_batch_choices (school_id, student_id, day, batch_id, updated_at) VALUES ($1, $2, '', $3, "
        "0)",
        {m_.school_id, m_.students[0], batch_});
  });
  EXPECT_EQ(batch()["name"], "第一批");
  EXPECT_EQ(batch()["leave_time"], "17:00");
  db().Write([&](db::Conn& c) {
    c.Exec(
        "INSERT INTO pickup_batch_choices (school_id, student_id, day, batch_id, updated_at) VALUES ($1, $2, $3, $4, "
        "0)",
        {m_.school_id, m_.students[0], FormatDate(day_), second});
  });
  EXPECT_EQ(batch()["id"], second);
  EXPECT_EQ(batch()["name"], "第二批");
  db().Write([&](db::Conn& c) { c.Exec("UPDATE dismissal_batches SET active = 0 WHERE id = $1", {second}); });
  EXPECT_EQ(batch(), nullptr);
}

TEST_P(Pickup, LateEscalationOncePerStepAtEachLimit) {
  // Children 0..3 in batch 17:00 (ends 17:15); 0, 1 and 2 collected on time; 3 left.
  for (size_t i = 0; i < 4; ++i)
    ASSERT_TRUE(ChooseBatch(db(), m_.Guardian(i), std::nullopt, {{"student_id", m_.students[i]}, {"batch_id", batch_}},
                            At(8 * 60))
                    .ok());
  for (size_t i = 0; i < 3; ++i) HandBy(i, "guardian", m_.guardians[i], At(17 * 60 + 5));
  const int64_t end = BatchEndMs(day_, 17 * 60), minute = 60'000;
  EXPECT_EQ(EscalateLate(db(), end + 10 * minute - 1), 0);
  EXPECT_EQ(EscalateLate(db(), end + 10 * minute), 1);
  EXPECT_EQ(EscalateLate(db(), end + 10 * minute + 5), 0);  // idempotent
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notify_outbox WHERE event_key LIKE 'pickup_late:%:1'"), 1);
  EXPECT_EQ((*MyChildren(db(), m_.Guardian(3), end + 11 * minute))["items"][0]["late_step"], 1);
  EXPECT_EQ(EscalateLate(db(), end + 40 * minute), 2);  // steps 2 and 3 at once
  EXPECT_EQ(Count("SELECT COUNT(*) FROM pickup_escalations"), 3);
  EXPECT_EQ((*MyChildren(db(), m_.Guardian(3), end + 41 * minute))["items"][0]["late_step"], 3);
  // Step 2 reaches the class teacher.
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM notify_outbox WHERE event_key LIKE 'pickup_late:%:2' AND recipient_kind = 'staff'"),
      1);
  auto gate = GateList(db(), gate_, std::nullopt, std::nullopt, end + 41 * minute);
  ASSERT_TRUE(gate.ok());
  EXPECT_EQ((*gate)["counts"]["late"], 1);
  EXPECT_EQ((*gate)["counts"]["left"], 3);
}

TEST_P(Pickup, LateEscalationFollowsTheSchoolsSetting) {
  // The school moves the steps to +5/+15/+30: step 1 is due at +5, not at the default +10.
  auto bad = PutSettings(db(), m_.office, std::nullopt, {{"late_office_minutes", 3}}, At(8 * 60));
  ASSERT_FALSE(bad.ok());  // 3 is not later than the guardians' 10
  EXPECT_EQ(bad.error().field, "late_office_minutes");
  EXPECT_FALSE(PutSettings(db(), m_.office, std::nullopt, {{"late_guardian_minutes", 0}}, At(8 * 60)).ok());
  EXPECT_FALSE(
      PutSettings(db(), m_.office, std::nullopt, {{"late_leader_minutes", kMaxLateMinutes + 1}}, At(8 * 60)).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM pickup_settings"), 0);
  EXPECT_EQ((*GetSettings(db(), m_.office, std::nullopt))["late_guardian_minutes"], kLateGuardianMinutes);
  auto put =
      PutSettings(db(), m_.office, std::nullopt,
                  {{"late_guardian_minutes", 5}, {"late_office_minutes", 15}, {"late_leader_minutes", 30}}, At(8 * 60));
  ASSERT_TRUE(put.ok()) << put.error().message;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'update' AND entity = 'pickup_settings'"), 1);
  EXPECT_EQ((*GetSettings(db(), m_.office, std::nullopt))["late_office_minutes"], 15);
  for (size_t i = 0; i < 4; ++i)
    ASSERT_TRUE(ChooseBatch(db(), m_.Guardian(i), std::nullopt, {{"student_id", m_.students[i]}, {"batch_id", batch_}},
                            At(8 * 60))
                    .ok());
  for (size_t i = 0; i < 3; ++i) HandBy(i, "guardian", m_.guardians[i], At(17 * 60 + 5));
  const int64_t end = BatchEndMs(day_, 17 * 60), minute = 60'000;
  EXPECT_EQ(EscalateLate(db(), end + 5 * minute - 1), 0);
  EXPECT_EQ(EscalateLate(db(), end + 5 * minute), 1);
  EXPECT_EQ(EscalateLate(db(), end + 15 * minute), 1);
  EXPECT_EQ(EscalateLate(db(), end + 30 * minute), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM pickup_escalations"), 3);
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM notify_outbox WHERE event_key LIKE 'pickup_late:%:1' AND body LIKE '%超过 5 分钟%'"),
      Count("SELECT COUNT(*) FROM notify_outbox WHERE event_key LIKE 'pickup_late:%:1'"));
}

TEST_P(Pickup, CloseDayRefusedWhileAChildIsLeftThenClosedOnce) {
  for (size_t i = 0; i < 3; ++i) HandBy(i, "guardian", m_.guardians[i], At(17 * 60));
  Json body = {{"date", FormatDate(day_)}};
  auto refused = CloseDay(db(), m_.office, std::nullopt, body, At(18 * 60));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, kConflict);
  auto board = DayBoard(db(), m_.office, std::nullopt, std::nullopt, At(18 * 60));
  ASSERT_EQ((*board)["unaccounted"].size(), 1u);
  const std::string name = (*board)["unaccounted"][0]["name"];
  EXPECT_NE(refused.error().message.find(name), std::string::npos);
  HandBy(3, "guardian", m_.guardians[3], At(18 * 60 + 1));
  auto closed = CloseDay(db(), m_.office, std::nullopt, body, At(18 * 60 + 2));
  ASSERT_TRUE(closed.ok()) << closed.error().message;
  EXPECT_EQ((*closed)["present"], 4);
  EXPECT_EQ(CloseDay(db(), m_.office, std::nullopt, body, At(18 * 60 + 3)).error().code, kConflict);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'close_day'"), 1);
  // A closed day takes no more handovers; the future cannot be closed.
  EXPECT_EQ(CloseDay(db(), m_.office, std::nullopt, {{"date", FormatDate(AddDays(day_, 1))}}, At(18 * 60)).error().code,
            kInvalid);
}

TEST_P(Pickup, BatchChoiceForTodayOverridesTheDefault) {
  int64_t late = db().Write([&](db::Conn& c) {
    return c.Insert(
        "INSERT INTO dismissal_batches (school_id, name, leave_time, created_at) VALUES ($1, '第二批', '18:00', 1)"
        " RETURNING id",
        {m_.school_id});
  });
  auto g = m_.Guardian(0);
  ASSERT_TRUE(
      ChooseBatch(db(), g, std::nullopt, {{"student_id", m_.students[0]}, {"batch_id", batch_}}, At(8 * 60)).ok());
  ASSERT_TRUE(ChooseBatch(db(), g, std::nullopt,
                          {{"student_id", m_.students[0]}, {"batch_id", late}, {"date", FormatDate(day_)}}, At(8 * 60))
                  .ok());
  auto a = ChildAdults(db(), g, std::nullopt, m_.students[0], At(9 * 60));
  EXPECT_EQ((*a)["batch"]["today"], late);
  EXPECT_EQ((*a)["batch"]["default"], batch_);
  auto tomorrow = ChildAdults(db(), g, std::nullopt, m_.students[0], LocalInstant(AddDays(day_, 1), 9 * 60));
  EXPECT_EQ((*tomorrow)["batch"]["today"], batch_);
  EXPECT_EQ(ChooseBatch(db(), g, std::nullopt,
                        {{"student_id", m_.students[0]}, {"batch_id", late}, {"date", FormatDate(AddDays(day_, -1))}},
                        At(8 * 60))
                .error()
                .field,
            "date");
}

INSTANTIATE_TEST_SUITE_P(Db, Pickup, ::testing::ValuesIn(db::TestDialects()));

}  // namespace
}  // namespace kehou::pickup
