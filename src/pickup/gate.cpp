// gate.cpp (pickup): the gate: scan or search, the handover, the day's batches, arrivals and the queue.
#include <cctype>
#include <set>

#include "attendance/present.h"
#include "auth/audit.h"
#include "core/body.h"
#include "notify/outbox.h"
#include "pickup/internal.h"
#include "pickup/service.h"

namespace kehou::pickup {

using namespace internal;

namespace {

constexpr int kMaxSearchChildren = 10;

bool IsOffice(const auth::Principal& who) {
  using auth::Role;
  return who.role == Role::kPrincipal || who.role == Role::kVicePrincipal || who.role == Role::kOfficeDirector ||
         who.role == Role::kOfficeStaff || who.role == Role::kSysAdmin;
}

// A scanned text: the token itself, or a card link holding "token=".
std::string TokenOf(std::string s) {
  if (auto p = s.find("token="); p != std::string::npos) {
    s = s.substr(p + 6);
    if (auto amp = s.find('&'); amp != std::string::npos) s.resize(amp);
  }
  for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

Json AdultVerdict(const Adult& a, const Date& day, const std::optional<store::Card>& card) {
  Json j = a.json;
  Authorisation auth = a.auth;
  if (card) auth.card_revoked = card->revoked;
  j.update(VerdictJson(CheckAuthorisation(auth, day)));
  if (card) j["card"] = {{"id", card->id}, {"code", card->code}, {"revoked", card->revoked}};
  return j;
}

Json LeftJson(const std::optional<store::Handover>& h) {
  if (!h) return nullptr;
  return {{"adult_kind", h->adult_kind},
          {"adult_name", h->adult_name},
          {"relation", h->relation},
          {"at", FormatLocalMinute(h->at)},
          {"by", h->by_name}};
}

Json ChildItem(db::Conn& c, int64_t sid, const store::Child& ch, const Date& day, Json adults) {
  auto batch = BatchOfChild(c, sid, ch.id, day);
  auto batches = Batches(c, sid);
  Json b = nullptr;
  if (batch)
    if (auto it = batches.find(*batch); it != batches.end())
      b = {{"id", it->first}, {"name", it->second.name}, {"leave_time", it->second.leave_time}};
  return {{"child", ChildJson(ch)},
          {"batch", b},
          {"left", LeftJson(store::HandoverOf(c, sid, FormatDate(day), ch.id))},
          {"adults", std::move(adults)}};
}

void QueueLeft(db::Conn& c, int64_t sid, const store::Child& ch, const std::string& day, const Adult& a, int64_t at) {
  const std::string key = "pickup_left:" + day + ":" + std::to_string(ch.id);
  const std::string body = ch.name + " 已于 " + FormatLocalMinute(at) + " 由 " + a.name +
                           (a.relation.empty() ? "" : "（" + a.relation + "）") + " 接走离校。";
  for (const auto& g : store::GuardiansOf(c, sid, ch.id))
    notify::Enqueue(c, sid, key, {"guardian", g.id}, "离校通知", body, at);
}

}  // namespace

Result<Json> GateLookup(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body, int64_t now_ms) {
  const Date today = LocalDate(now_ms);
  BodyReader r(body);
  auto token = r.Text("token", {.max_len = 300, .label = "接送卡"});
  auto q = r.Text("q", {.max_len = 30, .label = "搜索"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  if (!token && !q) return Error::Invalid("请扫描接送卡或输入学生姓名、卡号", "token or q is required", "q");
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    Json items = Json::array();
    if (token) {
      auto card = store::CardByToken(c, TokenOf(*token));
      if (!card || card->school_id != sid)
        return Error::NotFound("无效的接送卡：本校没有这张卡", "no such card at this school", "token");
      auto ch = store::ChildOf(c, sid, card->student_id);
      auto a = AdultOf(c, sid, ch->id, *ParseAdultKind(card->adult_kind), card->adult_id, true);
      items.push_back(ChildItem(c, sid, *ch, today, Json::array({AdultVerdict(a, today, card)})));
      return Json{{"items", items}};
    }
    std::set<int64_t> seen;
    std::string code = TokenOf(*q);
    if (code.size() >= 4 && code.size() <= kCodeChars)
      for (const auto& card : store::CardsByCode(c, sid, code)) {
        auto ch = store::ChildOf(c, sid, card.student_id);
        if (!ch) continue;
        auto a = AdultOf(c, sid, ch->id, *ParseAdultKind(card.adult_kind), card.adult_id, true);
        items.push_back(ChildItem(c, sid, *ch, today, Json::array({AdultVerdict(a, today, card)})));
        seen.insert(ch->id);
      }
    for (const auto& ch : store::FindChildren(c, sid, *q, kMaxSearchChildren)) {
      if (seen.count(ch.id)) continue;
      Json adults = Json::array();
      for (const auto& a : AdultsOf(c, sid, ch.id, true)) adults.push_back(AdultVerdict(a, today, std::nullopt));
      Adult self = AdultOf(c, sid, ch.id, AdultKind::kSelf, std::nullopt, false);
      if (self.auth.self_permission) adults.push_back(AdultVerdict(self, today, std::nullopt));
      items.push_back(ChildItem(c, sid, ch, today, adults));
    }
    return Json{{"items", items}};
  });
}

namespace {

// A handover as asked: who leaves with whom, on which day.
struct HandoverAsk {
  int64_t student = 0;
  std::string kind_text;
  AdultKind kind = AdultKind::kGuardian;
  std::optional<int64_t> adult_id;
  std::optional<std::string> token;
  Date day;
  std::string dkey;
};

// Step 1: the body read and checked (kind, adult, day: no future day; an earlier one by the office).
Result<HandoverAsk> ReadHandoverAsk(const auth::Principal& who, const Json& body, int64_t now_ms) {
  const Date today = LocalDate(now_ms);
  BodyReader r(body);
  auto student = r.Id("student_id", {.required = true, .label = "学生"});
  auto kind_text = r.Text("adult_kind", {.required = true, .label = "接送人类别"});
  auto adult_id = r.Id("adult_id", {.label = "接送人"});
  auto token = r.Text("card_token", {.max_len = 300, .label = "接送卡"});
  auto date = r.Date("date", {.label = "日期"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  auto kind = ParseAdultKind(*kind_text);
  if (!kind)
    return Error::Invalid("接送人类别应为 guardian、proxy 或 self", "adult_kind: guardian, proxy or self",
                          "adult_kind");
  if (*kind != AdultKind::kSelf && !adult_id) return Error::Invalid("请选择接送人", "adult_id is required", "adult_id");
  const Date day = date.value_or(today);
  if (DaysFromCivil(day) > DaysFromCivil(today))
    return Error::Invalid("不能登记未来日期的离校", "a future day", "date");
  if (DaysFromCivil(day) != DaysFromCivil(today) && !IsOffice(who))
    return Error::Forbidden("只有办公室可以补登以前日期的离校", "only the office records an earlier day", "date");
  return HandoverAsk{*student, *kind_text, *kind, adult_id, token, day, FormatDate(day)};
}

// Step 2: the child may still leave (the day open, not gone yet).
Status CheckNotLeft(db::Conn& c, int64_t sid, const store::Child& ch, const HandoverAsk& ask) {
  if (store::DayCloseOf(c, sid, ask.dkey))
    return Error::Conflict("该日已关账，不能再登记离校", "the day is closed", "date");
  if (auto h = store::HandoverOf(c, sid, ask.dkey, ask.student))
    return Error::Conflict(ch.name + " 已于 " + FormatLocalMinute(h->at) + " 由 " + h->adult_name + " 接走",
                           "the child has left already", "student_id");
  return {};
}

// Step 3: the adult at the gate, with the scanned card when there is one (a card of someone else
// leaves the adult unlinked: refused).
Adult AdultAtGate(db::Conn& c, int64_t sid, const HandoverAsk& ask, std::optional<int64_t>& card_id) {
  Adult a = AdultOf(c, sid, ask.student, ask.kind, ask.adult_id, false);
  if (!ask.token) return a;
  auto card = store::CardByToken(c, TokenOf(*ask.token));
  if (!card || card->school_id != sid || card->student_id != ask.student || card->adult_kind != ask.kind_text ||
      card->adult_id != ask.adult_id.value_or(0)) {
    a.auth.linked = false;
  } else {
    a.auth.card_revoked = card->revoked;
    card_id = card->id;
  }
  return a;
}

// Step 4: the handover written, the guardian told, audited; its answer.
Json RecordHandover(db::Conn& c, const auth::Principal& who, int64_t sid, const store::Child& ch,
                    const HandoverAsk& ask, const Adult& a, std::optional<int64_t> card_id, int64_t now_ms) {
  store::Handover h;
  h.student_id = ask.student;
  h.batch_id = BatchOfChild(c, sid, ask.student, ask.day);
  h.adult_kind = ask.kind_text;
  if (ask.kind != AdultKind::kSelf) h.adult_id = ask.adult_id;
  h.adult_name = a.name;
  h.relation = a.relation;
  h.by_name = who.display_name;
  h.at = now_ms;
  int64_t id = store::InsertHandover(c, sid, ask.dkey, h, card_id, who.user_id);
  QueueLeft(c, sid, ch, ask.dkey, a, now_ms);
  Json out = {{"id", id},
              {"date", ask.dkey},
              {"student_id", ask.student},
              {"child", ch.name},
              {"adult_kind", ask.kind_text},
              {"adult_id", ask.adult_id ? Json(*ask.adult_id) : Json()},
              {"adult_name", a.name},
              {"relation", a.relation},
              {"at", FormatLocalMinute(now_ms)},
              {"by", who.display_name}};
  auth::Audit(c, who, {"handover", "pickup_handover", id, nullptr, &out, sid});
  return out;
}

// A refusal is on the record too (its own write: the handover's was rolled back).
void AuditRefusal(db::Db& db, const auth::Principal& who, const HandoverAsk& ask, const Status& refusal, int64_t sid) {
  Json after = {{"student_id", ask.student},
                {"adult_kind", ask.kind_text},
                {"adult_id", ask.adult_id ? Json(*ask.adult_id) : Json()},
                {"reason_code", refusal.error().field},
                {"reason", refusal.error().message},
                {"date", ask.dkey}};
  db.Write([&](db::Conn& c) {
    auth::Audit(c, who, {"pickup_refused", "pickup_handover", ask.student, nullptr, &after, sid});
  });
}

}  // namespace

Result<Json> Handover(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body, int64_t now_ms) {
  KEHOU_ASSIGN_OR_RETURN(HandoverAsk ask, ReadHandoverAsk(who, body, now_ms));
  std::optional<Status> refusal;
  int64_t refused_school = 0;
  auto result = db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto ch = store::ChildOf(c, sid, ask.student);
    if (!ch) return ChildNotFound();
    KEHOU_TRY(CheckNotLeft(c, sid, *ch, ask));
    std::optional<int64_t> card_id;
    Adult a = AdultAtGate(c, sid, ask, card_id);
    if (auto st = CheckAuthorisation(a.auth, ask.day); !st.ok()) {
      refusal = st;
      refused_school = sid;
      return st.error();
    }
    return RecordHandover(c, who, sid, *ch, ask, a, card_id, now_ms);
  });
  if (refusal) AuditRefusal(db, who, ask, *refusal, refused_school);
  return result;
}

Result<Json> GateList(db::Db& db, const auth::Principal& who, SchoolArg school, std::optional<Date> day_arg,
                      int64_t now_ms) {
  const Date day = day_arg.value_or(LocalDate(now_ms));
  const std::string dkey = FormatDate(day);
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    std::vector<int64_t> present;
    for (const auto& p : attendance::PresenceOn(c, sid, day)) present.push_back(p.student_id);
    auto children = store::ChildrenByIds(c, sid, present);
    auto batches = Batches(c, sid);
    auto chosen = BatchOfChildren(c, sid, day);
    auto left = store::HandoversOn(c, sid, dkey);
    std::map<int64_t, store::Arrival> queued;
    for (const auto& a : store::ArrivalsOn(c, sid, dkey)) queued[a.student_id] = a;
    auto steps = store::EscalationsOn(c, sid, dkey);
    const LateRule rule = store::LateRuleOf(c, sid);
    std::map<int64_t, Json> groups;  // batch id (0: none chosen) -> children
    int n_left = 0, n_queued = 0, n_late = 0;
    for (const auto& ch : children) {
      int64_t b = 0;
      if (auto it = chosen.find(ch.id); it != chosen.end() && batches.count(it->second)) b = it->second;
      Json item = ChildJson(ch);
      std::string status = "waiting";
      if (auto h = left.find(ch.id); h != left.end()) {
        status = "left";
        item["left"] = LeftJson(h->second);
        ++n_left;
      } else if (auto q = queued.find(ch.id); q != queued.end()) {
        status = "queued";
        item["queued_at"] = FormatLocalMinute(q->second.at);
        item["queued_by"] = q->second.adult_name;
        ++n_queued;
      }
      int step = steps.count(ch.id) ? steps[ch.id] : 0;
      if (b && status != "left")
        step = std::max(step, LateStepsDue(BatchEndMs(day, batches[b].leave_minutes), now_ms, rule));
      if (step > 0 && status != "left") ++n_late;
      item["status"] = status;
      item["late_step"] = step;
      if (!groups.count(b)) groups[b] = Json::array();
      groups[b].push_back(item);
    }
    Json out = Json::array();
    for (const auto& [id, b] : batches)
      out.push_back({{"id", id},
                     {"name", b.name},
                     {"leave_time", b.leave_time},
                     {"ends", FormatTimeOfDay(b.leave_minutes + kBatchWindowMinutes)},
                     {"children", groups.count(id) ? groups[id] : Json::array()}});
    if (groups.count(0))
      out.push_back(
          {{"id", nullptr}, {"name", "未选批次"}, {"leave_time", nullptr}, {"ends", nullptr}, {"children", groups[0]}});
    return Json{{"date", dkey},
                {"batches", out},
                {"counts",
                 {{"present", children.size()},
                  {"left", n_left},
                  {"queued", n_queued},
                  {"late", n_late},
                  {"waiting", static_cast<int64_t>(children.size()) - n_left - n_queued}}}};
  });
}

namespace {

// An arrival as checked before its write (see RecordArrival): the child, the adult, the batch.
struct ArrivalPlan {
  int64_t school = 0;
  store::Child child;
  Adult adult;
  std::optional<int64_t> batch;
};

// The checks of an arrival, on the caller's connection (see RecordArrival): the adult may collect
// the child today (custody restriction, expiry, revocation; `card_revoked`: announced with a revoked
// card), and the child's batch. For a guardian or a proxy its reads (the child, the restrictions, the
// adult's row, the batch of the day) are one round trip.
Result<ArrivalPlan> PlanArrival(db::Conn& c, int64_t sid, int64_t student_id, AdultKind kind, int64_t adult_id,
                                bool card_revoked, int64_t now_ms) {
  const Date today = LocalDate(now_ms);
  const auto batch_of = store::BatchIdFetch(sid, student_id, FormatDate(today), FormatDate(TodayLocal()));
  std::optional<store::Child> ch;
  Adult a;
  std::optional<int64_t> batch;
  if (kind == AdultKind::kProxy) {
    auto [child, rs, proxy, b] =
        db::FetchAll(c, store::ChildFetch(sid, student_id), store::RestrictionsFetch(sid, student_id),
                     store::ProxyFetch(adult_id, false), batch_of);
    std::tie(ch, batch) = std::tie(child, b);
    a = AdultAmong(sid, student_id, kind, adult_id, rs, {}, proxy);
  } else if (kind == AdultKind::kGuardian) {
    auto [child, rs, guardians, b] =
        db::FetchAll(c, store::ChildFetch(sid, student_id), store::RestrictionsFetch(sid, student_id),
                     store::GuardiansFetch(sid, student_id), batch_of);
    std::tie(ch, batch) = std::tie(child, b);
    a = AdultAmong(sid, student_id, kind, adult_id, rs, guardians, std::nullopt);
  } else {
    ch = store::ChildOf(c, sid, student_id);
    a = AdultOf(c, sid, student_id, kind, adult_id, false);
    batch = db::FetchOne(c, batch_of);
  }
  if (!ch) return ChildNotFound();
  a.auth.card_revoked = card_revoked;
  KEHOU_TRY(CheckAuthorisation(a.auth, today));
  return ArrivalPlan{sid, std::move(*ch), std::move(a), batch};
}

// The arrival written: the child queued unless queued already or gone (one statement), their day at
// the gate (one statement: a handover refuses, else the place in the queue), the audit row.
Result<Json> WriteArrival(db::Conn& c, const auth::Principal& who, const ArrivalPlan& p, int64_t now_ms) {
  const std::string dkey = FormatDate(LocalDate(now_ms));
  const store::Child& ch = p.child;
  const Adult& a = p.adult;
  store::Arrival arr;
  arr.student_id = ch.id;
  arr.batch_id = p.batch;
  arr.adult_kind = std::string(AdultKindName(a.kind));
  arr.adult_id = a.id.value_or(0);
  arr.adult_name = a.name;
  arr.at = now_ms;
  // The insert and the child's day (which sees it) in one round trip.
  const auto [fresh, day] =
      db::FetchAll(c, store::InsertArrivalFetch(p.school, dkey, arr), store::ChildDayFetch(p.school, dkey, ch.id));
  if (const auto& h = day.left)
    return Error::Conflict(ch.name + " 今天已于 " + FormatLocalMinute(h->at) + " 离校", "the child has left already",
                           "student_id");
  const int position = day.queued ? day.queued->position : 0;
  Json out = {{"student_id", ch.id},  {"child", ch.name},     {"date", dkey},
              {"adult_name", a.name}, {"position", position}, {"already", !fresh}};
  if (fresh) auth::Audit(c, who, {"arrive", "pickup_arrival", ch.id, nullptr, &out, p.school});
  return out;
}

// An arrival: planned (plan_in: the checks) then written. On PostgreSQL the plan runs on a reader
// first, so the write holds its connection for three statements; on SQLite it runs inside the write
// on the one writer (its statements are in-process on a warm cache; a reader after any commit
// re-reads its pages: see attendance's SaveRoll).
template <class Plan>
Result<Json> RecordArrival(db::Db& db, const auth::Principal& who, Plan&& plan_in, int64_t now_ms) {
  if (db.dialect() == db::Dialect::kPostgres) {
    KEHOU_ASSIGN_OR_RETURN(ArrivalPlan p, db.Read([&](db::Conn& c) { return plan_in(c); }));
    return db.Write([&](db::Conn& c) { return WriteArrival(c, who, p, now_ms); });
  }
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(ArrivalPlan p, plan_in(c));
    return WriteArrival(c, who, p, now_ms);
  });
}

}  // namespace

Result<Json> Arrive(db::Db& db, const auth::Principal& who, const Json& body, int64_t now_ms) {
  BodyReader r(body);
  auto student = r.Id("student_id", {.required = true, .label = "学生"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  if (!who.guardian_id) return ChildNotFound();
  return RecordArrival(
      db, who,
      [&](db::Conn& c) -> Result<ArrivalPlan> {
        KEHOU_ASSIGN_OR_RETURN(int64_t sid, SchoolForChild(c, who, std::nullopt, *student));
        return PlanArrival(c, sid, *student, AdultKind::kGuardian, *who.guardian_id, false, now_ms);
      },
      now_ms);
}

Result<Json> ArriveByCard(db::Db& db, const Json& body, const std::string& client, int64_t now_ms) {
  BodyReader r(body);
  auto token = r.Text("token", {.required = true, .max_len = 300, .label = "接送卡"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  auth::Principal holder = SystemPrincipal();
  return RecordArrival(
      db, holder,
      [&](db::Conn& c) -> Result<ArrivalPlan> {
        auto card = store::CardByToken(c, TokenOf(*token));
        if (!card) return Error::NotFound("无效的接送卡", "no such card", "token");
        KEHOU_ASSIGN_OR_RETURN(ArrivalPlan p,
                               PlanArrival(c, card->school_id, card->student_id, *ParseAdultKind(card->adult_kind),
                                           card->adult_id, card->revoked, now_ms));
        holder.role = auth::Role::kGuardian;
        holder.scope = auth::Scope::kOwnChildren;
        holder.display_name = p.adult.name + "（接送卡 " + card->code + "）";
        holder.login = "card:" + card->code;
        holder.client = client;
        return p;
      },
      now_ms);
}

Result<Json> CardInfo(db::Db& db, const std::string& token, int64_t now_ms) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    // The card's public page answers 200 whatever the token: an unknown or revoked card says so
    // (and names nobody).
    auto card = token.empty() ? std::nullopt : store::CardByToken(c, TokenOf(token));
    if (!card)
      return Json{{"found", false}, {"ok", false}, {"reason_code", "unknown_card"}, {"reason", "无效的接送卡"}};
    if (card->revoked)
      return Json{{"found", true}, {"ok", false}, {"reason_code", "card_revoked"}, {"reason", "此接送卡已作废"}};
    auto ch = store::ChildOf(c, card->school_id, card->student_id);
    Adult a = AdultOf(c, card->school_id, card->student_id, *ParseAdultKind(card->adult_kind), card->adult_id, false);
    Json out = {{"found", true},   {"code", card->code},    {"child", ch->name}, {"class_name", ch->class_name},
                {"adult", a.name}, {"relation", a.relation}};
    out.update(VerdictJson(CheckAuthorisation(a.auth, LocalDate(now_ms))));
    return out;
  });
}

Result<Json> Queue(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t now_ms) {
  const Date today = LocalDate(now_ms);
  const std::string dkey = FormatDate(today);
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto batches = Batches(c, sid);
    auto left = store::HandoversOn(c, sid, dkey);
    Json items = Json::array();
    int position = 0;
    for (const auto& arr : store::ArrivalsOn(c, sid, dkey)) {
      if (left.count(arr.student_id)) continue;
      auto ch = store::ChildOf(c, sid, arr.student_id);
      if (!ch) continue;
      Adult a = AdultOf(c, sid, arr.student_id, *ParseAdultKind(arr.adult_kind), arr.adult_id, true);
      Json item = {{"position", ++position},
                   {"child", ChildJson(*ch)},
                   {"at", FormatLocalMinute(arr.at)},
                   {"adult", AdultVerdict(a, today, std::nullopt)}};
      if (arr.batch_id && batches.count(*arr.batch_id))
        item["batch"] = {{"id", *arr.batch_id},
                         {"name", batches[*arr.batch_id].name},
                         {"leave_time", batches[*arr.batch_id].leave_time}};
      else item["batch"] = nullptr;
      items.push_back(item);
    }
    return Json{{"date", dkey}, {"items", items}, {"now", FormatLocalMinute(now_ms)}};
  });
}

}  // namespace kehou::pickup
