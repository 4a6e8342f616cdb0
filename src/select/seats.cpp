// seats.cpp (select): the live seats of a round and a family's take and drop (idempotent).
#include "select/service.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>
#include <unordered_map>

#include "auth/audit.h"
#include "core/time.h"
#include "select/enrolment.h"
#include "select/internal.h"
#include "select/store.h"

namespace kehou::select {

using namespace internal;
namespace {

Json ErrorJson(const Error& e) {
  return {{"code", ErrorCodeName(e.code)}, {"message", e.message}, {"message_en", e.message_en}, {"field", e.field}};
}
Error ErrorFromJson(const Json& j) {
  return MakeError(ParseErrorCode(j.value("code", "")).value_or(kInternal), j.value("message", ""), j.value("message_en", ""), j.value("field", ""));
}

Outcome Replay(const std::string& answer, std::string_view stored_fingerprint, std::string_view fingerprint) {
  // The same key with another body or to another endpoint is refused, never answered with the
  // first request's answer (the key's fingerprint, select/rules.h RequestFingerprint).
  if (auto s = CheckFingerprint(stored_fingerprint, fingerprint); !s.ok()) return Outcome{s.error(), false};
  Json stored = Json::parse(answer, nullptr, false);
  Outcome o;
  o.replay = true;
  if (stored.is_object() && stored.value("ok", false)) o.result = stored["body"];
  else if (stored.is_object() && stored.contains("error")) o.result = ErrorFromJson(stored["error"]);
  else o.result = MakeError(kInternal, "无法读取已保存的答复", "stored answer unreadable");
  return o;
}

// Stores the answer with the idempotency key (same transaction as the seat) and returns it.
Outcome Finish(db::Conn& c, const auth::Principal& who, const std::string& key, int64_t school, Result<Json> r,
               int64_t now, std::string_view fingerprint) {
  if (!key.empty()) {
    Json stored = r.ok() ? Json{{"ok", true}, {"body", r.value()}} : Json{{"ok", false}, {"error", ErrorJson(r.error())}};
    int64_t status = r.ok() ? 200 : ErrorStatus(r.error().code);
    c.Exec(store::kInsertRequest, {*who.guardian_id, key, school, status, stored.dump(), now, std::string(fingerprint)});
  }
  return Outcome{std::move(r), false};
}

// What a family's take or drop starts with, inside its transaction.
struct SeatStart {
  std::optional<db::Row> child;  // store::kChildOfGuardian
  int64_t school = 0;
  std::optional<Round> round;
};

// A repeated key is answered from what is stored; else the guardian's child (its row locked on
// PostgreSQL, docs/ARCHITECTURE.md note 13) and the round of its school, or not_found.
std::optional<Outcome> Start(db::Conn& c, const auth::Principal& who, int64_t round_id, int64_t student_id,
                             const std::string& key, std::string_view fingerprint, SeatStart& out) {
  if (!key.empty())
    if (auto stored = c.QueryOne(store::kFindRequest, {*who.guardian_id, key}))
      return Replay(stored->Text(1), stored->Text(2), fingerprint);
  auto child = ChildOfGuardian(c, who, student_id);
  if (!child.ok()) return Outcome{child.error()};
  out.school = child->Int(1);
  out.child = std::move(*child);
  if (IsPg(c)) c.Query(store::kLockChildPg, {student_id});
  out.round = store::LoadRound(c, round_id, &out.school);
  if (!out.round) return Outcome{Error::NotFound("选课轮次不存在或无权访问", "no such round", "round_id")};
  return std::nullopt;
}

// Columns [first, first + n) of a row, as a row of their own.
db::Row Slice(const db::Row& r, size_t first, size_t n) {
  auto names = std::make_shared<std::vector<std::string>>();
  std::vector<db::Value> values;
  for (size_t i = first; i < first + n; ++i) {
    names->push_back(r.names().at(i));
    values.push_back(r.at(i));
  }
  return db::Row(std::move(names), std::move(values));
}

// ---- live seats cache
struct SeatsEntry {
  std::shared_ptr<const SeatsBody> body;
  int64_t fetched_ms = 0;
  int64_t school_id = 0;
};
std::mutex g_seats_mu;
std::unordered_map<int64_t, SeatsEntry> g_seats;
std::mutex g_access_mu;
std::map<std::pair<int64_t, int64_t>, int64_t> g_guardian_school;  // (guardian, school) -> checked at
constexpr int64_t kAccessCacheMs = 60'000;

}  // namespace

namespace internal {

void Invalidate(int64_t round_id) {
  std::lock_guard lock(g_seats_mu);
  g_seats.erase(round_id);
}

}  // namespace internal

void ClearSeatsCache() {
  std::lock_guard lock(g_seats_mu);
  g_seats.clear();
  std::lock_guard lock2(g_access_mu);
  g_guardian_school.clear();
  ClearEnrolledCache();
}

// ---------------------------------------------------------------- live seats

Result<std::shared_ptr<const SeatsBody>> Seats(db::Db& db, const auth::Principal& who, int64_t round_id) {
  int64_t now = NowMs();
  std::optional<SeatsEntry> hit;
  {
    std::lock_guard lock(g_seats_mu);
    auto it = g_seats.find(round_id);
    if (it != g_seats.end() && now - it->second.fetched_ms < kSeatsCacheMs) hit = it->second;
  }
  if (!hit) {
    SeatsEntry e;
    bool found = db.Read([&](db::Conn& c) {
      auto r = c.QueryOne("SELECT school_id, opens_at, closes_at FROM select_rounds WHERE id = $1", {round_id});
      if (!r) return false;
      e.school_id = r->Int(0);
      Json sections = Json::array();
      for (auto& s : c.Query(store::kSeats, {round_id}))
        sections.push_back({s.Int(0), s.Int(1) - s.Int(2)});  // [section_id, remaining]
      Round rd;
      rd.opens_at = r->Int(1);
      rd.closes_at = r->Int(2);
      auto body = std::make_shared<SeatsBody>();
      std::string dumped = sections.dump();
      body->etag = "\"" + std::to_string(std::hash<std::string>{}(dumped)) + "-" + std::string(PhaseOf(rd, now)) + "\"";
      body->json = "{\"round_id\":" + std::to_string(round_id) + ",\"phase\":\"" + std::string(PhaseOf(rd, now)) +
                   "\",\"as_of\":" + std::to_string(now) + ",\"fields\":[\"section_id\",\"remaining\"],\"sections\":" +
                   dumped + "}";
      e.body = std::move(body);
      return true;
    });
    if (!found) return Error::NotFound("选课轮次不存在或无权访问", "no such round");
    e.fetched_ms = now;
    std::lock_guard lock(g_seats_mu);
    g_seats[round_id] = e;
    hit = e;
  }
  // Access: staff of the school (or officers/sysadmin), or a guardian with a child there.
  if (who.role == auth::Role::kGuardian) {
    auto key = std::make_pair(who.guardian_id.value_or(-1), hit->school_id);
    bool ok = false;
    {
      std::lock_guard lock(g_access_mu);
      auto it = g_guardian_school.find(key);
      ok = it != g_guardian_school.end() && now - it->second < kAccessCacheMs;
    }
    if (!ok) {
      ok = db.Read([&](db::Conn& c) {
        return c.QueryOne("SELECT 1 FROM student_guardians WHERE guardian_id = $1 AND school_id = $2", {key.first, key.second})
            .has_value();
      });
      if (!ok) return Error::NotFound("选课轮次不存在或无权访问", "no such round");
      std::lock_guard lock(g_access_mu);
      if (g_guardian_school.size() > 200000) g_guardian_school.clear();
      g_guardian_school[key] = now;
    }
  } else if (!who.school_id || *who.school_id != hit->school_id) {
    auto ok = db.Read([&](db::Conn& c) { return auth::ResolveSchool(c, who, hit->school_id); });
    if (!ok.ok()) return Error::NotFound("选课轮次不存在或无权访问", "no such round");
  }
  return hit->body;
}

// ---------------------------------------------------------------- take / drop

namespace {

// How often the PostgreSQL take path reads and decides again when the child's seats changed
// between its read and its write (another tap of the same family), before it takes the
// transactional path, which waits for the child's lock instead.
constexpr int kTakeStaleAttempts = 4;

// KEHOU_PG_TAKE=transaction keeps PostgreSQL on the transactional take and drop paths (one
// statement per round trip), for an A/B measurement in one sitting (make bench-select).
bool DirectTakeOnPg() {
  static const bool direct = [] {
    const char* v = std::getenv("KEHOU_PG_TAKE");
    return !(v && std::string_view(v) == "transaction");
  }();
  return direct;
}

// PostgreSQL (docs/ARCHITECTURE.md, "Taking a seat on PostgreSQL"): one statement reads what the
// rules need (store::kTakeLoadPg), the same rules as on SQLite decide here, and one call of
// kehou_take_seat (sql/0027, with the key's fingerprint since 0028) writes: two round trips, each its own transaction, so no lock is
// held across the network. nullopt: the child's seats changed between the read and the write.
std::optional<Outcome> TakeSeatDirect(db::Conn& c, const auth::Principal& who, int64_t round_id, int64_t student_id,
                                      int64_t section_id, const std::string& key, std::string_view fingerprint) {
  int64_t now = NowMs();
  auto row = c.QueryOne(store::kTakeLoadPg, {*who.guardian_id, key, student_id, round_id, section_id});
  if (!row) throw db::DbError("take: the read returned no row");
  if (!row->IsNull(0)) return Replay(row->Text(1), row->Text(store::kTakeLoadFingerprint), fingerprint);
  if (row->IsNull(store::kTakeLoadChild)) return Outcome{Error::NotFound("学生不存在或无权访问", "no such child", "student_id")};
  db::Row child = Slice(*row, store::kTakeLoadChild, 4);
  int64_t school = child.Int(1);
  if (row->IsNull(store::kTakeLoadRound)) return Outcome{Error::NotFound("选课轮次不存在或无权访问", "no such round", "round_id")};
  Round round = store::RoundFrom(*row, store::kTakeLoadRound);
  TakeCheck t;
  t.round = &round;
  t.child_grade = static_cast<int>(child.Int(2));
  t.section_id = section_id;
  t.now = now;
  std::optional<db::Row> sec;
  if (!row->IsNull(store::kTakeLoadSection)) {
    sec = Slice(*row, store::kTakeLoadSection, store::kTakeLoadSectionColumns);
    FillSection(t, *sec);
  }
  std::vector<int64_t> held_ids;
  Json held = Json::parse(row->Text(store::kTakeLoadHeld), nullptr, false);
  if (held.is_array())
    for (auto& h : held) {
      t.held.push_back(HeldFrom(h[0].get<int64_t>(), h[1].get<int64_t>(), h[2].get<int64_t>(), h[3].get<std::string>(),
                                h[4].get<std::string>()));
      held_ids.push_back(t.held.back().section_id);
    }
  if (auto s = CanTake(t); !s.ok()) return Finish(c, who, key, school, s.error(), now, fingerprint);
  if (auto s = CheckEnrolled(c, school, student_id, round, now); !s.ok())
    return Finish(c, who, key, school, s.error(), now, fingerprint);
  std::sort(held_ids.begin(), held_ids.end());
  std::string held_sig;
  for (int64_t id : held_ids) held_sig += (held_sig.empty() ? "" : ",") + std::to_string(id);
  Json body{{"status", "confirmed"},
            {"round_id", round_id},
            {"section_id", section_id},
            {"student_id", student_id},
            {"course_name", t.course_name},
            {"section_name", sec->Text(8)},
            {"confirmed_at", now}};
  Json audit{{"round_id", round_id}, {"section_id", section_id}, {"student_id", student_id}};
  Error full = Full();
  std::string full_answer = Json{{"ok", false}, {"error", ErrorJson(full)}}.dump();
  auto w = c.QueryOne(store::kTakeWritePg,
                      {*who.guardian_id, key.empty() ? db::Null() : db::Value(key), school, student_id, round_id,
                       section_id, held_sig, now, who.user_id ? db::Value(who.user_id) : db::Null(),
                       who.display_name.empty() ? who.login : who.display_name, who.client, who.request_id,
                       body.dump(), audit.dump(), int64_t{ErrorStatus(full.code)}, full_answer, std::string(fingerprint)});
  if (!w) throw db::DbError("take: the write returned no row");
  std::string outcome = w->Text(0);
  if (outcome == "stale") return std::nullopt;
  if (outcome == "replay") return Replay(w->Text(4), w->Text(5), fingerprint);
  if (outcome == "full") return Outcome{full, false};
  body["selection_id"] = w->Int(1);
  body["remaining"] = std::max<int64_t>(0, w->Int(2));
  return Outcome{std::move(body), false};
}

Error NoSeat() { return MakeError(kNotFound, "本轮没有选上这个教学班", "no seat in this section", "section_id"); }

// PostgreSQL's drop, as the take: one statement reads (store::kTakeLoadPg: the stored answer,
// the guardian's child, the round), the server checks the round, and one call of
// kehou_drop_seat (sql/0180) writes under the child's lock, each its own transaction.
Outcome DropSeatDirect(db::Conn& c, const auth::Principal& who, int64_t round_id, int64_t student_id,
                       int64_t section_id, const std::string& key, std::string_view fingerprint) {
  int64_t now = NowMs();
  auto row = c.QueryOne(store::kTakeLoadPg, {*who.guardian_id, key, student_id, round_id, section_id});
  if (!row) throw db::DbError("drop: the read returned no row");
  if (!row->IsNull(0)) return Replay(row->Text(1), row->Text(store::kTakeLoadFingerprint), fingerprint);
  if (row->IsNull(store::kTakeLoadChild)) return Outcome{Error::NotFound("学生不存在或无权访问", "no such child", "student_id")};
  int64_t school = row->Int(store::kTakeLoadChild + 1);
  if (row->IsNull(store::kTakeLoadRound)) return Outcome{Error::NotFound("选课轮次不存在或无权访问", "no such round", "round_id")};
  Round round = store::RoundFrom(*row, store::kTakeLoadRound);
  if (auto s = CheckOpen(round, now); !s.ok()) return Finish(c, who, key, school, s.error(), now, fingerprint);
  if (round.mode != Mode::kFcfs)
    return Finish(c, who, key, school,
                  MakeError(kRuleBroken, "志愿分配轮次不能自行退选，请联系学校", "ask the school to drop a seat", "round_id"),
                  now, fingerprint);
  Json body{{"status", "dropped"}, {"round_id", round_id}, {"section_id", section_id},
            {"student_id", student_id}, {"dropped_at", now}};
  Json audit{{"round_id", round_id}, {"section_id", section_id}, {"student_id", student_id}};
  Error none = NoSeat();
  auto w = c.QueryOne(store::kDropWritePg,
                      {*who.guardian_id, key.empty() ? db::Null() : db::Value(key), school, student_id, round_id,
                       section_id, now, who.user_id ? db::Value(who.user_id) : db::Null(),
                       who.display_name.empty() ? who.login : who.display_name, who.client, who.request_id,
                       audit.dump(), Json{{"ok", true}, {"body", body}}.dump(), int64_t{ErrorStatus(none.code)},
                       Json{{"ok", false}, {"error", ErrorJson(none)}}.dump(), std::string(fingerprint),
                       kOfferWindowMs});
  if (!w) throw db::DbError("drop: the write returned no row");
  std::string outcome = w->Text(0);
  if (outcome == "replay") return Replay(w->Text(2), w->Text(3), fingerprint);
  if (outcome == "none") return Outcome{none, false};
  return Outcome{std::move(body), false};
}

}  // namespace

Outcome TakeSeat(db::Db& db, const auth::Principal& who, int64_t round_id, int64_t student_id, int64_t section_id,
                 const std::string& key, std::string_view fingerprint) {
  if (!who.guardian_id) return {Error::NotFound("学生不存在或无权访问", "no such child", "student_id")};
  if (!key.empty())
    if (auto s = ValidateIdempotencyKey(key); !s.ok()) return {s.error()};
  if (db.dialect() == db::Dialect::kPostgres && DirectTakeOnPg()) {
    for (int attempt = 1; attempt <= kTakeStaleAttempts; ++attempt) {
      try {
        auto o = db.Direct([&](db::Conn& c) { return TakeSeatDirect(c, who, round_id, student_id, section_id, key, fingerprint); });
        if (o) return std::move(*o);
      } catch (const db::DbError& e) {
        // A concurrent double tap with the same key (or a seat in the same slot) won a unique
        // index, or a deadlock: read again and answer from what the winner stored.
        if (!(e.unique_violation || e.retryable) || attempt >= kTakeStaleAttempts) throw;
      }
    }
    // Still changing under us: the transactional path below waits for the child's lock.
  }
  for (int attempt = 1;; ++attempt) {
    try {
      Outcome o = db.Write([&](db::Conn& c) -> Outcome {
        int64_t now = NowMs();
        SeatStart start;
        if (auto answer = Start(c, who, round_id, student_id, key, fingerprint, start)) return std::move(*answer);
        const db::Row& child = *start.child;
        int64_t school = start.school;
        std::optional<Round>& round = start.round;
        TakeCheck t;
        t.round = &*round;
        t.child_grade = static_cast<int>(child.Int(2));
        t.section_id = section_id;
        t.now = now;
        auto sec = c.QueryOne(store::kSectionInRound, {round_id, section_id});
        if (sec) {
          FillSection(t, *sec);
          t.held = LoadHeld(c, school, student_id, sec->Int(store::kSectionTerm));
        }
        if (auto s = CanTake(t); !s.ok()) return Finish(c, who, key, school, s.error(), now, fingerprint);
        if (auto s = CheckEnrolled(c, school, student_id, *round, now); !s.ok())
          return Finish(c, who, key, school, s.error(), now, fingerprint);
        if (c.Exec(store::kTakeSeat, {section_id}) != 1) return Finish(c, who, key, school, Full(), now, fingerprint);
        int64_t sel = c.Insert(store::kInsertSelection, {school, round_id, section_id, student_id, std::string("fcfs"),
                                                         who.user_id, now});
        Json body{{"status", "confirmed"},
                  {"selection_id", sel},
                  {"round_id", round_id},
                  {"section_id", section_id},
                  {"student_id", student_id},
                  {"course_name", t.course_name},
                  {"section_name", sec->Text(8)},
                  {"remaining", std::max<int64_t>(0, sec->Int(1) - sec->Int(2) - 1)},
                  {"confirmed_at", now}};
        Json audit{{"round_id", round_id}, {"section_id", section_id}, {"student_id", student_id}};
        auth::Audit(c, who, {"select_take", "selection", sel, nullptr, &audit, school});
        return Finish(c, who, key, school, std::move(body), now, fingerprint);
      });
      return o;
    } catch (const db::DbError& e) {
      // PostgreSQL: a concurrent double tap with the same key (or the same seat) lost the race
      // on a unique index; run again to answer from what the winner stored.
      if (!e.unique_violation || attempt >= 3) throw;
    }
  }
}

Outcome DropSeat(db::Db& db, const auth::Principal& who, int64_t round_id, int64_t student_id, int64_t section_id,
                 const std::string& key, std::string_view fingerprint) {
  if (!who.guardian_id) return {Error::NotFound("学生不存在或无权访问", "no such child", "student_id")};
  if (!key.empty())
    if (auto s = ValidateIdempotencyKey(key); !s.ok()) return {s.error()};
  if (db.dialect() == db::Dialect::kPostgres && DirectTakeOnPg()) {
    for (int attempt = 1;; ++attempt) {
      try {
        return db.Direct([&](db::Conn& c) { return DropSeatDirect(c, who, round_id, student_id, section_id, key, fingerprint); });
      } catch (const db::DbError& e) {
        // A concurrent double tap with the same key won the key's unique index, or a deadlock:
        // read again and answer from what the winner stored.
        if (!(e.unique_violation || e.retryable) || attempt >= 3) throw;
      }
    }
  }
  for (int attempt = 1;; ++attempt) {
    try {
      return db.Write([&](db::Conn& c) -> Outcome {
        int64_t now = NowMs();
        SeatStart start;
        if (auto answer = Start(c, who, round_id, student_id, key, fingerprint, start)) return std::move(*answer);
        int64_t school = start.school;
        std::optional<Round>& round = start.round;
        if (auto s = CheckOpen(*round, now); !s.ok()) return Finish(c, who, key, school, s.error(), now, fingerprint);
        if (round->mode != Mode::kFcfs)
          return Finish(c, who, key, school,
                        MakeError(kRuleBroken, "志愿分配轮次不能自行退选，请联系学校", "ask the school to drop a seat",
                                  "round_id"),
                        now, fingerprint);
        int64_t n = c.Exec(
            "UPDATE selections SET status = 'dropped', dropped_at = $5 WHERE school_id = $1 AND student_id = $2"
            " AND section_id = $3 AND round_id = $4 AND status = 'confirmed'",
            {school, student_id, section_id, round_id, now});
        if (n != 1) return Finish(c, who, key, school, NoSeat(), now, fingerprint);
        // A dropped seat goes to the section's waiting list first (the next child is offered it
        // with a time window), and back to the pool for everyone only when nobody waits.
        PassSeat(c, section_id, now);
        Json audit{{"round_id", round_id}, {"section_id", section_id}, {"student_id", student_id}};
        auth::Audit(c, who, {"select_drop", "selection", std::nullopt, &audit, nullptr, school});
        Json body{{"status", "dropped"}, {"round_id", round_id}, {"section_id", section_id},
                  {"student_id", student_id}, {"dropped_at", now}};
        return Finish(c, who, key, school, std::move(body), now, fingerprint);
      });
    } catch (const db::DbError& e) {
      if (!e.unique_violation || attempt >= 3) throw;
    }
  }
}
}  // namespace kehou::select
