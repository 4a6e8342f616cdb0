#include "attendance/cancel.h"

#include <map>
#include <set>

#include "attendance/store.h"
#include "auth/audit.h"
#include "catalog/service.h"
#include "core/body.h"
#include "notify/outbox.h"

namespace kehou::attendance {
namespace {

using Json = nlohmann::json;

const std::map<std::string, std::string> kReasonZh{
    {"weather", "天气原因"}, {"epidemic", "疫情防控"}, {"pollution", "空气污染"}, {"other", "其他原因"}};
const std::map<std::string, std::string> kBandZh{
    {"morning", "早间托管"}, {"noon", "午间托管"}, {"after_school", "课后服务"}, {"evening", "晚间托管"}};

std::string Join(const std::set<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : "、") + n;
  return out;
}

}  // namespace

Result<Json> CancelSessions(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, const Json& body,
                            int64_t now_ms) {
  BodyReader r(body);
  auto day = r.Date("date", {.required = true, .label = "日期"});
  auto band = r.Text("band", {.max_len = 20, .label = "时段"});
  auto sections = r.IdList("section_ids", {.label = "教学班", .max_items = 500});
  auto kind = r.Text("kind", {.required = true, .max_len = 10, .label = "类型"});
  auto reason = r.Text("reason", {.required = true, .max_len = 20, .label = "原因"});
  auto note = r.Text("note", {.required = true, .max_len = 200, .label = "告知家长的说明"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  if (*kind != "cancel" && *kind != "change")
    return Error::Invalid("类型只能是 cancel（停课）或 change（调整）", "kind must be cancel or change", "kind");
  if (!kReasonZh.count(*reason))
    return Error::Invalid("原因只能是 天气、疫情、污染 或 其他", "reason must be weather, epidemic, pollution or other",
                          "reason");
  if (band && !band->empty() && !kBandZh.count(*band)) return Error::Invalid("时段不正确", "unknown band", "band");
  if (*day < LocalDate(now_ms))
    return Error::RuleBroken("不能停课或调整已经过去的日期", "a past day cannot be cancelled", "date");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    std::set<int64_t> only(sections ? sections->begin() : std::vector<int64_t>::const_iterator{},
                           sections ? sections->end() : std::vector<int64_t>::const_iterator{});
    std::map<int64_t, std::set<std::string>> children_of;  // guardian -> their affected children
    std::set<int64_t> teachers;
    Json items = Json::array();
    std::set<std::string> bands;
    for (const auto& s : store::SessionsOn(c, sid, *day)) {
      if (band && !band->empty() && s.band != *band) continue;
      if (!only.empty() && !only.count(s.section_id)) continue;
      store::Cancellation x;
      x.section_id = s.section_id;
      x.day = FormatDate(*day);
      x.band = s.band;
      x.kind = *kind;
      x.reason = *reason;
      x.note = *note;
      store::InsertCancellation(c, sid, x, who.user_id, now_ms);
      items.push_back({{"section_id", s.section_id}, {"section", s.section}, {"band", s.band}});
      bands.insert(kBandZh.count(s.band) ? kBandZh.at(s.band) : s.band);
      if (s.teacher_staff_id) teachers.insert(*s.teacher_staff_id);
      for (const auto& child : catalog::RosterOn(c, sid, s.section_id, *day))
        for (int64_t g : store::GuardiansOf(c, sid, child.student_id)) children_of[g].insert(child.name);
    }
    if (items.empty()) return Error::RuleBroken("该日没有符合条件的课后服务", "no session of that day matches", "date");
    const std::string what = *kind == "cancel" ? "停课" : "调整";
    const std::string key = "cancel:" + FormatDate(*day) + ":" + band.value_or("") + ":" + *kind;
    const std::string title = "课后服务" + what + "通知";
    const std::string head =
        FormatDate(*day) + " " + Join(bands) + what + "（" + kReasonZh.at(*reason) + "）：" + *note;
    for (const auto& [g, names] : children_of)
      notify::Enqueue(c, sid, key, {"guardian", g}, title, head + " 涉及孩子：" + Join(names) + "。", now_ms);
    for (int64_t t : teachers) notify::Enqueue(c, sid, key, {"staff", t}, title, head, now_ms);
    Json after{{"date", FormatDate(*day)},
               {"band", band.value_or("")},
               {"kind", *kind},
               {"reason", *reason},
               {"note", *note},
               {"sessions", items.size()},
               {"guardians", children_of.size()}};
    auth::Audit(c, who, {"cancel_sessions", "attendance_session", std::nullopt, nullptr, &after, sid});
    return Json{
        {"sessions", items.size()}, {"guardians", children_of.size()}, {"teachers", teachers.size()}, {"items", items}};
  });
}

Result<Json> ListCancellations(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                               std::optional<Date> day, int64_t now_ms) {
  const Date d = day.value_or(LocalDate(now_ms));
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    Json items = Json::array();
    for (const auto& x : store::CancellationsOn(c, sid, d))
      items.push_back({{"id", x.id},
                       {"section_id", x.section_id},
                       {"section", x.section},
                       {"band", x.band},
                       {"kind", x.kind},
                       {"reason", x.reason},
                       {"note", x.note},
                       {"created_at", FormatInstant(x.created_at)}});
    return Json{{"date", FormatDate(d)}, {"items", items}, {"total", items.size()}};
  });
}

}  // namespace kehou::attendance
