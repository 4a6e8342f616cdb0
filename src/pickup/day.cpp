// day.cpp (pickup): late collection (escalation by the clock), the end-of-day board and close, and
// the guardian's view of today.
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

constexpr int kBoardDays = 14;  // recent days listed on the board

std::vector<int64_t> PresentIds(db::Conn& c, int64_t sid, const Date& day) {
  std::vector<int64_t> out;
  std::set<int64_t> seen;
  for (const auto& p : attendance::PresenceOn(c, sid, day))
    if (seen.insert(p.student_id).second) out.push_back(p.student_id);
  return out;
}

struct LateChild {
  int64_t student_id = 0;
  int due = 0, done = 0;
  std::string batch, leave_time;
  LateRule rule;  // the school's, for the message's minutes
};

std::vector<LateChild> LateChildren(db::Conn& c, int64_t sid, const Date& day, int64_t now_ms) {
  const std::string dkey = FormatDate(day);
  std::vector<LateChild> out;
  if (store::DayCloseOf(c, sid, dkey)) return out;
  auto present = PresentIds(c, sid, day);
  if (present.empty()) return out;
  auto batches = Batches(c, sid);
  auto chosen = BatchOfChildren(c, sid, day);
  auto left = store::HandoversOn(c, sid, dkey);
  auto steps = store::EscalationsOn(c, sid, dkey);
  const LateRule rule = store::LateRuleOf(c, sid);
  for (int64_t id : present) {
    if (left.count(id)) continue;
    auto b = chosen.find(id);
    if (b == chosen.end() || !batches.count(b->second)) continue;
    const auto& batch = batches[b->second];
    int due = LateStepsDue(BatchEndMs(day, batch.leave_minutes), now_ms, rule);
    int done = steps.count(id) ? steps[id] : 0;
    if (due > done) out.push_back({id, due, done, batch.name, batch.leave_time, rule});
  }
  return out;
}

void QueueStep(db::Conn& c, int64_t sid, const store::Child& ch, const std::string& day, int step,
               const LateChild& late, int64_t now_ms) {
  const std::string key = "pickup_late:" + day + ":" + std::to_string(ch.id) + ":" + std::to_string(step);
  const int minutes = LateStepMinutes(late.rule, step);
  const std::string body = ch.class_name + " " + ch.name + " 在「" + late.batch + "」（" + late.leave_time +
                           "）放学后仍未被接走，已超过 " + std::to_string(minutes) + " 分钟，目前由值班老师看护。";
  if (step == 1) {
    for (const auto& g : store::GuardiansOf(c, sid, ch.id))
      notify::Enqueue(c, sid, key, {"guardian", g.id}, "请尽快接孩子", body + "请尽快到校门口接孩子。", now_ms);
    return;
  }
  std::vector<int64_t> staff;
  if (step == 2) {
    if (auto t = store::ClassTeacherOf(c, sid, ch.id)) staff.push_back(*t);
    for (int64_t s : store::StaffWithRoles(c, sid, {"office_director", "office_staff"})) staff.push_back(s);
  } else {
    staff = store::StaffWithRoles(c, sid, {"principal", "vice_principal"});
  }
  std::set<int64_t> once(staff.begin(), staff.end());
  for (int64_t s : once) notify::Enqueue(c, sid, key, {"staff", s}, "学生滞留未接", body, now_ms);
}

}  // namespace

int EscalateLate(db::Db& db, int64_t now_ms) {
  const Date today = LocalDate(now_ms);
  const std::string dkey = FormatDate(today);
  int written = 0;
  for (int64_t sid : db.Read([](db::Conn& c) { return store::SchoolIds(c); })) {
    if (db.Read([&](db::Conn& c) { return LateChildren(c, sid, today, now_ms); }).empty()) continue;
    written += db.Write([&](db::Conn& c) {
      int n = 0;
      const auth::Principal system = SystemPrincipal();
      for (const auto& late : LateChildren(c, sid, today, now_ms)) {
        auto ch = store::ChildOf(c, sid, late.student_id);
        if (!ch) continue;
        for (int step = late.done + 1; step <= late.due; ++step) {
          if (!store::InsertEscalation(c, sid, dkey, ch->id, step, now_ms)) continue;
          QueueStep(c, sid, *ch, dkey, step, late, now_ms);
          Json after = {{"student_id", ch->id}, {"date", dkey}, {"step", step}, {"batch", late.batch}};
          auth::Audit(c, system, {"late_escalate", "pickup_escalation", ch->id, nullptr, &after, sid});
          ++n;
        }
      }
      return n;
    });
  }
  return written;
}

Result<Json> DayBoard(db::Db& db, const auth::Principal& who, SchoolArg school, std::optional<Date> day_arg,
                      int64_t now_ms) {
  const Date today = LocalDate(now_ms);
  const Date day = day_arg.value_or(today);
  const std::string dkey = FormatDate(day);
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto present = PresentIds(c, sid, day);
    auto left = store::HandoversOn(c, sid, dkey);
    std::vector<int64_t> gone;
    for (const auto& [id, h] : left) gone.push_back(id);
    auto missing = Unaccounted(present, gone);
    std::set<int64_t> missing_set(missing.begin(), missing.end());
    auto steps = store::EscalationsOn(c, sid, dkey);
    Json children = Json::array(), unaccounted = Json::array();
    for (const auto& ch : store::ChildrenByIds(c, sid, present)) {
      Json item = ChildJson(ch);
      item["late_step"] = steps.count(ch.id) ? steps[ch.id] : 0;
      if (auto h = left.find(ch.id); h != left.end()) {
        item["status"] = "left";
        item["left"] = {{"adult_kind", h->second.adult_kind},
                        {"adult_name", h->second.adult_name},
                        {"relation", h->second.relation},
                        {"at", FormatLocalMinute(h->second.at)},
                        {"by", h->second.by_name}};
      } else {
        item["status"] = "unaccounted";
        item["left"] = nullptr;
      }
      if (missing_set.count(ch.id)) unaccounted.push_back(item);
      children.push_back(item);
    }
    Json closed = nullptr;
    if (auto d = store::DayCloseOf(c, sid, dkey))
      closed = {{"at", FormatLocalMinute(d->closed_at)}, {"by", d->closed_by_name}, {"present", d->present}};
    auto closed_days = store::ClosedDays(c, sid, FormatDate(AddDays(today, -kBoardDays)), FormatDate(today));
    std::set<std::string> closed_set(closed_days.begin(), closed_days.end());
    Json days = Json::array();
    for (int i = 0; i <= kBoardDays; ++i) {
      Date d = AddDays(today, -i);
      auto p = PresentIds(c, sid, d);
      if (p.empty()) continue;
      auto l = store::HandoversOn(c, sid, FormatDate(d));
      std::vector<int64_t> g;
      for (const auto& [id, h] : l) g.push_back(id);
      days.push_back({{"date", FormatDate(d)},
                      {"present", p.size()},
                      {"unaccounted", Unaccounted(p, g).size()},
                      {"closed", closed_set.count(FormatDate(d)) > 0}});
    }
    return Json{{"date", dkey},
                {"closed", closed},
                {"present", present.size()},
                {"left", present.size() - missing.size()},
                {"unaccounted", unaccounted},
                {"children", children},
                {"days", days}};
  });
}

Result<Json> CloseDay(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body, int64_t now_ms) {
  const Date today = LocalDate(now_ms);
  BodyReader r(body);
  auto day = r.Date("date", {.required = true, .label = "日期"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  if (DaysFromCivil(*day) > DaysFromCivil(today)) return Error::Invalid("不能关闭未来的日期", "a future day", "date");
  const std::string dkey = FormatDate(*day);
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    if (auto d = store::DayCloseOf(c, sid, dkey))
      return Error::Conflict(dkey + " 已于 " + FormatLocalMinute(d->closed_at) + " 由 " + d->closed_by_name + " 关账",
                             "the day is closed already", "date");
    auto present = PresentIds(c, sid, *day);
    std::vector<int64_t> gone;
    for (const auto& [id, h] : store::HandoversOn(c, sid, dkey)) gone.push_back(id);
    auto missing = Unaccounted(present, gone);
    if (!missing.empty()) {
      std::string names;
      for (const auto& ch : store::ChildrenByIds(c, sid, missing))
        names += (names.empty() ? "" : "、") + ch.name + "（" + ch.class_name + "）";
      return Error::Conflict("还有 " + std::to_string(missing.size()) + " 名学生未登记离校，不能关账：" + names,
                             std::to_string(missing.size()) + " children not accounted for", "date");
    }
    store::InsertDayClose(c, sid, dkey, static_cast<int64_t>(present.size()), who.user_id, now_ms);
    Json out = {{"date", dkey},
                {"present", present.size()},
                {"left", gone.size()},
                {"closed_at", FormatLocalMinute(now_ms)},
                {"closed_by", who.display_name}};
    auth::Audit(c, who, {"close_day", "pickup_day", std::nullopt, nullptr, &out, sid});
    return out;
  });
}

Result<Json> MyChildren(db::Db& db, const auth::Principal& who, int64_t now_ms) {
  const Date today = LocalDate(now_ms);
  const std::string dkey = FormatDate(today);
  if (!who.guardian_id) return Json{{"date", dkey}, {"items", Json::array()}};
  // One statement whatever the number of children: the children with their batch, their day at the
  // gate and their presence (store::GuardianChildDays; the presence as attendance::PresenceOn).
  return db.Read([&](db::Conn& c) -> Result<Json> {
    Json items = Json::array();
    for (const auto& g : store::GuardianChildDays(c, *who.guardian_id, dkey, FormatDate(TodayLocal()))) {
      const int64_t sid = g.school_id;
      Json sessions = Json::array();
      std::optional<int64_t> swiped;
      for (const auto& p : g.presence) {
        if (p.source == "swipe") swiped = p.at_ms;
        else sessions.push_back({{"course", p.course}, {"section", p.section}, {"band", p.band}, {"status", p.status}});
      }
      Json b = nullptr;
      if (g.batch_id) b = {{"id", *g.batch_id}, {"name", g.batch_name}, {"leave_time", g.batch_leave_time}};
      Json left = nullptr, queued = nullptr;
      const store::ChildDay& gate = g.gate;
      if (const auto& h = gate.left)
        left = {{"adult_name", h->adult_name},
                {"relation", h->relation},
                {"adult_kind", h->adult_kind},
                {"at", FormatLocalMinute(h->at)},
                {"by", h->by_name}};
      if (const auto& q = gate.queued)
        queued = {{"at", FormatLocalMinute(q->arrival.at)}, {"position", q->position}, {"by", q->arrival.adult_name}};
      const int step = gate.late_step;
      items.push_back({{"child", ChildJson(g.child)},
                       {"school_id", sid},
                       {"arrived", !sessions.empty() || swiped},
                       {"swiped_at", swiped ? Json(FormatLocalMinute(*swiped)) : Json()},
                       {"sessions", sessions},
                       {"batch", b},
                       {"queued", queued},
                       {"left", left},
                       {"late_step", step}});
    }
    return Json{{"date", dkey}, {"items", items}};
  });
}

}  // namespace kehou::pickup
