// seats.cpp (select): the live seats of a round and a family's take and drop (idempotent).
#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <map>
#include <mutex>
#include <unordered_map>
#include <variant>

#include "auth/audit.h"
#include "core/time.h"
#include "select/enrolment.h"
#include "select/internal.h"
#include "select/service.h"
#include "select/store.h"
#include "select/take_cache.h"
#include "select/take_group.h"

namespace kehou::select {

using namespace internal;
namespace {

Json ErrorJson(const Error& e) {
  return {{"code", ErrorCodeName(e.code)}, {"message", e.message}, {"message_en", e.message_en}, {"field", e.field}};
}
Error ErrorFromJson(const Json& j) {
  return MakeError(ParseErrorCode(j.value("code", "")).value_or(kInternal), j.value("message", ""),
                   j.value("message_en", ""), j.value("field", ""));
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
    Json stored =
        r.ok() ? Json{{"ok", true}, {"body", r.value()}} : Json{{"ok", false}, {"error", ErrorJson(r.error())}};
    int64_t status = r.ok() ? 200 : ErrorStatus(r.error().code);
    c.Exec(store::kInsertRequest,
           {*who.guardian_id, key, school, status, stored.dump(), now, std::string(fingerprint)});
  }
  return Outcome{std::move(r), false};
}

// What a family's take or drop starts with, inside its transaction.
struct SeatStart {
  std::optional<store::Child> child;
  int64_t school = 0;
  std::optional<Round> round;
};

// A repeated key is answered from what is stored; else the guardian's child (its row locked on
// PostgreSQL, docs/ARCHITECTURE.md note 13) and the round of its school, or not_found.
std::optional<Outcome> Start(db::Conn& c, const auth::Principal& who, int64_t round_id, int64_t student_id,
                             const std::string& key, std::string_view fingerprint, SeatStart& out) {
  if (!key.empty())
    if (auto stored = store::FindRequest(c, *who.guardian_id, key))
      return Replay(stored->answer, stored->fingerprint, fingerprint);
  auto child = ChildOfGuardian(c, who, student_id);
  if (!child.ok()) return Outcome{child.error()};
  out.school = child->school_id;
  out.child = std::move(*child);
  if (IsPg(c)) store::LockChild(c, student_id);
  out.round = store::LoadRound(c, round_id, &out.school);
  if (!out.round) return Outcome{Error::NotFound("选课轮次不存在或无权访问", "no such round", "round_id")};
  return std::nullopt;
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
  take_cache::Clear();
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
      auto r = store::LoadRoundTimes(c, round_id);
      if (!r) return false;
      e.school_id = r->school_id;
      Json sections = Json::array();
      for (const auto& s : store::RoundSeats(c, round_id))
        sections.push_back({s.id, s.capacity - s.taken});  // [section_id, remaining]
      Round rd;
      rd.opens_at = r->opens_at;
      rd.closes_at = r->closes_at;
      auto body = std::make_shared<SeatsBody>();
      std::string dumped = sections.dump();
      body->etag = "\"" + std::to_string(std::hash<std::string>{}(dumped)) + "-" + std::string(PhaseOf(rd, now)) + "\"";
      body->json = "{\"round_id\":" + std::to_string(round_id) + ",\"phase\":\"" + std::string(PhaseOf(rd, now)) +
                   "\",\"as_of\":" + std::to_string(now) +
                   ",\"fields\":[\"section_id\",\"remaining\"],\"sections\":" + dumped + "}";
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
      ok = db.Read([&](db::Conn& c) { return store::GuardianInSchool(c, key.first, key.second); });
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

// What PostgreSQL's take decides with (take_cache.h): the rules' view of the child, the round,
// the section and the child's seats, and the facts kehou_seat_writes (sql/0610) compares.
struct TakeFacts {
  store::Child child;
  Round round;
  std::optional<store::Section> section;  // none: the section is not offered in the round
  std::string round_facts, section_facts, held_json;
};

// How a take's attempts go: from the cache first, from a read once the cache was found wrong.
struct TakeTry {
  bool use_cache = true;
};

// The facts from the server's cache, when it has them all (the school's children read in one
// statement at most every kChildFillMs); nullopt: the take reads them.
std::optional<TakeFacts> CachedFacts(db::Db& db, int64_t round_id, int64_t student_id, int64_t section_id,
                                     int64_t now) {
  auto offer = take_cache::FindOffer(round_id, section_id);
  if (!offer) return std::nullopt;
  auto child = take_cache::FindChild(student_id);
  if (!child && take_cache::ChildFillDue(offer->school_id, now)) {
    take_cache::PutChildren(db.Direct([&](db::Conn& c) { return store::ChildrenOfSchool(c, offer->school_id); }));
    child = take_cache::FindChild(student_id);
  }
  if (!child || child->school_id != offer->school_id) return std::nullopt;
  return TakeFacts{*child,
                   std::move(offer->round),
                   std::move(offer->section),
                   std::move(offer->round_facts),
                   std::move(offer->section_facts),
                   take_cache::Held(student_id, offer->section.term)};
}

// What a read of store::kTakeLoadPg found of the guardian's child and the round, kept in the cache
// for the next takes and drops.
void KeepRead(const store::TakeLoad& load, int64_t round_id, int64_t student_id, int64_t section_id) {
  if (!load.child || !load.round) return;
  take_cache::PutChild(*load.child);
  if (load.section) {
    take_cache::PutHeld(student_id, load.section->term, load.held_json);
    take_cache::PutOffer(round_id, section_id,
                         {load.child->school_id, *load.round, load.round_facts, *load.section, load.section_facts});
  }
}

// One read of store::kTakeLoadPg for a take or a drop, kept in the cache; or the answer when the
// key is stored, the child is not the guardian's or the round not its school's.
std::variant<store::TakeLoad, Outcome> ReadLoad(db::Db& db, const auth::Principal& who, int64_t round_id,
                                                int64_t student_id, int64_t section_id, const std::string& key,
                                                std::string_view fingerprint) {
  take_cache::Count(&take_cache::Stats::loads);
  store::TakeLoad load = db.Direct(
      [&](db::Conn& c) { return store::LoadTakePg(c, *who.guardian_id, key, student_id, round_id, section_id); });
  if (load.stored) return Replay(load.stored->answer, load.stored->fingerprint, fingerprint);
  if (!load.child) return Outcome{Error::NotFound("学生不存在或无权访问", "no such child", "student_id")};
  if (!load.round) return Outcome{Error::NotFound("选课轮次不存在或无权访问", "no such round", "round_id")};
  KeepRead(load, round_id, student_id, section_id);
  return load;
}

// The take's facts read (ReadLoad), or the answer without them.
std::variant<TakeFacts, Outcome> ReadFacts(db::Db& db, const auth::Principal& who, int64_t round_id, int64_t student_id,
                                           int64_t section_id, const std::string& key, std::string_view fingerprint) {
  auto r = ReadLoad(db, who, round_id, student_id, section_id, key, fingerprint);
  if (auto* answer = std::get_if<Outcome>(&r)) return std::move(*answer);
  store::TakeLoad& load = std::get<store::TakeLoad>(r);
  return TakeFacts{*load.child,      *load.round,        load.section,
                   load.round_facts, load.section_facts, load.held_json.empty() ? "[]" : load.held_json};
}

// What the write answered: the outcome, or nullopt to try again (the cache corrected first).
std::optional<Outcome> TakeAnswer(const store::SeatWrite& w, const TakeFacts& f, const TakeCheck& t, Json body,
                                  int64_t student_id, std::string_view fingerprint, TakeTry& attempt, bool cached) {
  int64_t term = f.section->term;
  if (w.outcome == "stale") {  // the child's seats changed: decide again on those the write saw
    take_cache::Count(&take_cache::Stats::stale);
    take_cache::PutHeld(student_id, term, w.held);
    return std::nullopt;
  }
  if (w.outcome == "context") {  // the child, the round or the section changed: read them again
    take_cache::Count(&take_cache::Stats::context);
    take_cache::ForgetOffer(t.round->id, t.section_id);
    take_cache::ForgetChild(student_id);
    attempt.use_cache = false;
    return std::nullopt;
  }
  if (w.outcome == "again") return std::nullopt;  // a second take of the child in one group: once more
  if (w.outcome == "replay") return Replay(w.answer, w.stored_fingerprint, fingerprint);
  if (w.outcome == "full") return Outcome{Full(), false};
  if (cached) take_cache::Count(&take_cache::Stats::one_trip);
  Json held = Json::parse(f.held_json, nullptr, false);
  if (!held.is_array()) held = Json::array();
  held.push_back(Json::array({t.section_id, t.course_id, t.round->id, t.course_name, f.section->slots}));
  take_cache::PutHeld(student_id, term, held.dump());
  body["selection_id"] = w.selection_id;
  body["remaining"] = std::max<int64_t>(0, w.remaining);
  return Outcome{std::move(body), false};
}

// One element of kehou_seat_writes (sql/0610, 0620), a take's or a drop's: both open with who asks and
// where (the guardian, the key, the school, the child, the round, the section), then the element's
// own `facts` (a take's: the child, the round, the section, the seats held), then when and who
// writes (the time, the user, the name, the client, the request id), then its own `rest` (the
// answers and the audit), in the positions the SQL reads.
db::Params WriteParams(const auth::Principal& who, const std::string& key, int64_t school, int64_t student_id,
                       int64_t round_id, int64_t section_id, int64_t now, db::Params facts, db::Params rest) {
  db::Params p{*who.guardian_id, key.empty() ? db::Null() : db::Value(key), school, student_id, round_id, section_id};
  p.insert(p.end(), std::make_move_iterator(facts.begin()), std::make_move_iterator(facts.end()));
  p.insert(p.end(), {now, who.user_id ? db::Value(who.user_id) : db::Null(),
                     who.display_name.empty() ? who.login : who.display_name, who.client, who.request_id});
  p.insert(p.end(), std::make_move_iterator(rest.begin()), std::make_move_iterator(rest.end()));
  return p;
}

// PostgreSQL (docs/ARCHITECTURE.md, "Taking a seat on PostgreSQL"): the rules decide here on the
// facts the server keeps (or reads: store::kTakeLoadPg), and kehou_seat_writes (sql/0610) writes
// when those facts still hold under the child's lock, with the takes of other threads waiting
// meanwhile (take_group.h): one round trip when the server knows them, two when it reads them, each
// its own transaction, so no lock is held across the network. A connection is held only for a
// statement: a take waiting for its group holds none. nullopt: the facts changed between the
// decision and the write (try again; `attempt` says how).
std::optional<Outcome> TakeSeatDirect(db::Db& db, const auth::Principal& who, int64_t round_id, int64_t student_id,
                                      int64_t section_id, const std::string& key, std::string_view fingerprint,
                                      TakeTry& attempt) {
  int64_t now = NowMs();
  std::optional<TakeFacts> cached =
      attempt.use_cache ? CachedFacts(db, round_id, student_id, section_id, now) : std::nullopt;
  std::optional<TakeFacts> read;
  if (!cached) {
    auto r = ReadFacts(db, who, round_id, student_id, section_id, key, fingerprint);
    if (auto* answer = std::get_if<Outcome>(&r)) return std::move(*answer);
    read = std::move(std::get<TakeFacts>(r));
  }
  TakeFacts& f = cached ? *cached : *read;
  int64_t school = f.child.school_id;
  TakeCheck t;
  t.round = &f.round;
  t.child_grade = static_cast<int>(f.child.grade);
  t.section_id = section_id;
  t.now = now;
  if (f.section) FillSection(t, *f.section);
  Json held = Json::parse(f.held_json, nullptr, false);
  if (held.is_array())
    for (auto& h : held)
      t.held.push_back(HeldFrom(h[0].get<int64_t>(), h[1].get<int64_t>(), h[2].get<int64_t>(), h[3].get<std::string>(),
                                h[4].get<std::string>()));
  Status rule = CanTake(t);
  if (!rule.ok() && f.section) {
    // Refused on these facts: the write checks them under the child's lock as a take's and stores the
    // refusal's answer when they hold (kehou_seat_writes' 'refused'); else decide again.
    const Error& e = rule.error();
    db::Params refuse =
        WriteParams(who, key, school, student_id, round_id, section_id, now,
                    {take_cache::ChildFacts(f.child), f.round_facts, f.section_facts, f.held_json},
                    {std::string("{}"), std::string("{}"), db::Null(), db::Null(), std::string(fingerprint),
                     int64_t{ErrorStatus(e.code)}, Json{{"ok", false}, {"error", ErrorJson(e)}}.dump()});
    store::SeatWrite w = take_group::Write(db, {store::SeatWriteIn::kTake, &refuse}, student_id);
    if (w.outcome == "refused") {
      if (cached) take_cache::Count(&take_cache::Stats::one_trip);
      return Outcome{e, false};
    }
    return TakeAnswer(w, f, t, Json::object(), student_id, fingerprint, attempt, cached.has_value());
  }
  Status allowed = rule.ok() ? CheckEnrolled(db, school, student_id, f.round, now) : rule;
  if (!allowed.ok()) {
    if (cached) {  // (not enrolled, or the section not in the round) answered from facts read
      attempt.use_cache = false;
      return std::nullopt;
    }
    return db.Direct([&](db::Conn& c) { return Finish(c, who, key, school, allowed.error(), now, fingerprint); });
  }
  Json body{{"status", "confirmed"},    {"round_id", round_id},         {"section_id", section_id},
            {"student_id", student_id}, {"course_name", t.course_name}, {"section_name", f.section->name},
            {"confirmed_at", now}};
  Json audit{{"round_id", round_id}, {"section_id", section_id}, {"student_id", student_id}};
  Error full = Full();
  std::string full_answer = Json{{"ok", false}, {"error", ErrorJson(full)}}.dump();
  db::Params take =
      WriteParams(who, key, school, student_id, round_id, section_id, now,
                  {take_cache::ChildFacts(f.child), f.round_facts, f.section_facts, f.held_json},
                  {body.dump(), audit.dump(), int64_t{ErrorStatus(full.code)}, full_answer, std::string(fingerprint)});
  store::SeatWrite w = take_group::Write(db, {store::SeatWriteIn::kTake, &take}, student_id);
  return TakeAnswer(w, f, t, std::move(body), student_id, fingerprint, attempt, cached.has_value());
}

Error NoSeat() { return MakeError(kNotFound, "本轮没有选上这个教学班", "no seat in this section", "section_id"); }

// PostgreSQL's drop, as the take: decided on the server's facts when it has them (the child, the
// round: take_cache.h) or on one statement's read (store::kTakeLoadPg: the stored answer, the
// guardian's child, the round); the server checks the round, and kehou_seat_writes (sql/0610, 0620)
// writes under the child's lock with the takes and drops of other threads waiting meanwhile
// (take_group.h), each its own transaction; a drop from the server's facts is written only if they
// still hold there (the child still the guardian's). nullopt: the group held another write of the
// child (try again).
std::optional<Outcome> DropSeatDirect(db::Db& db, const auth::Principal& who, int64_t round_id, int64_t student_id,
                                      int64_t section_id, const std::string& key, std::string_view fingerprint) {
  int64_t now = NowMs();
  std::optional<take_cache::Offer> offer = take_cache::FindOffer(round_id, section_id);
  std::optional<store::Child> child = take_cache::FindChild(student_id);
  bool cached = offer && child && child->school_id == offer->school_id && CheckOpen(offer->round, now).ok() &&
                offer->round.mode == Mode::kFcfs;  // a refusal is answered from facts read
  std::string round_facts;
  std::optional<Round> read_round;
  if (cached) {
    round_facts = offer->round_facts;
  } else {
    auto r = ReadLoad(db, who, round_id, student_id, section_id, key, fingerprint);
    if (auto* answer = std::get_if<Outcome>(&r)) return std::move(*answer);
    store::TakeLoad& load = std::get<store::TakeLoad>(r);
    child = std::move(load.child);
    read_round = std::move(load.round);
  }
  int64_t school = child->school_id;
  const Round& round = cached ? offer->round : *read_round;
  Status open = CheckOpen(round, now);
  if (open.ok() && round.mode != Mode::kFcfs)
    open = MakeError(kRuleBroken, "志愿分配轮次不能自行退选，请联系学校", "ask the school to drop a seat", "round_id");
  if (!open.ok())
    return db.Direct([&](db::Conn& c) { return Finish(c, who, key, school, open.error(), now, fingerprint); });
  Json body{{"status", "dropped"},
            {"round_id", round_id},
            {"section_id", section_id},
            {"student_id", student_id},
            {"dropped_at", now}};
  Json audit{{"round_id", round_id}, {"section_id", section_id}, {"student_id", student_id}};
  Error none = NoSeat();
  db::Params drop =
      WriteParams(who, key, school, student_id, round_id, section_id, now, {},
                  {audit.dump(), Json{{"ok", true}, {"body", body}}.dump(), int64_t{ErrorStatus(none.code)},
                   Json{{"ok", false}, {"error", ErrorJson(none)}}.dump(), std::string(fingerprint), kOfferWindowMs});
  if (cached) drop.insert(drop.end(), {take_cache::ChildFacts(*child), round_facts});
  store::SeatWrite w = take_group::Write(db, {store::SeatWriteIn::kDrop, &drop}, student_id);
  if (w.outcome == "again") return std::nullopt;  // a second write of the child in one group: once more
  if (w.outcome == "context") {                   // the cache was wrong: read, and decide again
    take_cache::Count(&take_cache::Stats::context);
    take_cache::ForgetOffer(round_id, section_id);
    take_cache::ForgetChild(student_id);
    return std::nullopt;
  }
  if (cached) take_cache::Count(&take_cache::Stats::one_trip);
  if (w.outcome == "replay") return Replay(w.answer, w.stored_fingerprint, fingerprint);
  if (w.outcome == "none") return Outcome{none, false};
  take_cache::ForgetHeld(student_id);
  return Outcome{std::move(body), false};
}

}  // namespace

Outcome TakeSeat(db::Db& db, const auth::Principal& who, int64_t round_id, int64_t student_id, int64_t section_id,
                 const std::string& key, std::string_view fingerprint) {
  if (!who.guardian_id) return {Error::NotFound("学生不存在或无权访问", "no such child", "student_id")};
  if (!key.empty())
    if (auto s = ValidateIdempotencyKey(key); !s.ok()) return {s.error()};
  if (db.dialect() == db::Dialect::kPostgres && DirectTakeOnPg()) {
    TakeTry how;
    for (int attempt = 1; attempt <= kTakeStaleAttempts; ++attempt) {
      try {
        auto o = TakeSeatDirect(db, who, round_id, student_id, section_id, key, fingerprint, how);
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
        const store::Child& child = *start.child;
        int64_t school = start.school;
        std::optional<Round>& round = start.round;
        TakeCheck t;
        t.round = &*round;
        t.child_grade = static_cast<int>(child.grade);
        t.section_id = section_id;
        t.now = now;
        auto sec = store::SectionInRound(c, round_id, section_id);
        if (sec) {
          FillSection(t, *sec);
          t.held = LoadHeld(c, school, student_id, sec->term);
        }
        if (auto s = CanTake(t); !s.ok()) return Finish(c, who, key, school, s.error(), now, fingerprint);
        if (auto s = CheckEnrolled(c, school, student_id, *round, now); !s.ok())
          return Finish(c, who, key, school, s.error(), now, fingerprint);
        if (c.Exec(store::kTakeSeat, {section_id}) != 1) return Finish(c, who, key, school, Full(), now, fingerprint);
        int64_t sel = c.Insert(store::kInsertSelection,
                               {school, round_id, section_id, student_id, std::string("fcfs"), who.user_id, now});
        Json body{{"status", "confirmed"},     {"selection_id", sel},
                  {"round_id", round_id},      {"section_id", section_id},
                  {"student_id", student_id},  {"course_name", t.course_name},
                  {"section_name", sec->name}, {"remaining", std::max<int64_t>(0, sec->capacity - sec->taken - 1)},
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
        if (auto o = DropSeatDirect(db, who, round_id, student_id, section_id, key, fingerprint)) return std::move(*o);
        if (attempt >= 3) break;
        continue;
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
        int64_t n = c.Exec(store::kDropRoundSelection, {school, student_id, section_id, round_id, now});
        if (n != 1) return Finish(c, who, key, school, NoSeat(), now, fingerprint);
        // A dropped seat goes to the section's waiting list first (the next child is offered it
        // with a time window), and back to the pool for everyone only when nobody waits.
        PassSeat(c, section_id, now);
        Json audit{{"round_id", round_id}, {"section_id", section_id}, {"student_id", student_id}};
        auth::Audit(c, who, {"select_drop", "selection", std::nullopt, &audit, nullptr, school});
        Json body{{"status", "dropped"},
                  {"round_id", round_id},
                  {"section_id", section_id},
                  {"student_id", student_id},
                  {"dropped_at", now}};
        return Finish(c, who, key, school, std::move(body), now, fingerprint);
      });
    } catch (const db::DbError& e) {
      if (!e.unique_violation || attempt >= 3) throw;
    }
  }
}
}  // namespace kehou::select
