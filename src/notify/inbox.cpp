#include "notify/inbox.h"

#include "auth/audit.h"
#include "core/body.h"
#include "core/time.h"
#include "notify/http_client.h"
#include "notify/rules.h"
#include "notify/store.h"

namespace kehou::notify {
namespace {

using Json = nlohmann::json;

// Who the caller is as a recipient: a guardian, else a member of staff.
Result<std::pair<std::string, int64_t>> Me(const auth::Principal& who) {
  if (who.guardian_id) return std::pair<std::string, int64_t>{"guardian", *who.guardian_id};
  if (who.staff_id) return std::pair<std::string, int64_t>{"staff", *who.staff_id};
  return Error::Forbidden("此账号没有通知收件箱", "this account has no inbox");
}

using Settings = store::SettingsRow;

Settings Load(db::Conn& c, int64_t sid) { return store::SettingsOf(c, sid).value_or(Settings{}); }

Json View(const Settings& s) {
  return {{"webhook_url", s.webhook_url},
          {"webhook_secret_set", !s.webhook_secret.empty()},
          {"wecom_url", s.wecom_url},
          {"dingtalk_url", s.dingtalk_url},
          {"dingtalk_secret_set", !s.dingtalk_secret.empty()},
          {"staff_channel", s.staff_channel}};
}

Status CheckUrl(const std::string& url, const char* field) {
  if (url.empty()) return Ok();
  auto u = ParseHttpUrl(url);
  if (!u.ok()) {
    Error e = u.error();
    e.field = field;
    return e;
  }
  return Ok();
}

}  // namespace

Result<Json> ListInbox(db::Db& db, const auth::Principal& who, int64_t page, int64_t size) {
  auto me_or = Me(who);  // an account that is neither guardian nor staff has an empty inbox
  if (!me_or.ok()) return Json{{"items", Json::array()}, {"total", 0}, {"unread", 0}};
  auto me = *me_or;
  return db.Read([&](db::Conn& c) -> Result<Json> {
    Json items = Json::array();
    for (auto& r : store::InboxPage(c, me.first, me.second, size, (page - 1) * size))
      items.push_back({{"id", r.id},
                       {"title", r.title},
                       {"body", r.body},
                       {"at", r.sent_at ? Json(FormatInstant(*r.sent_at)) : Json()},
                       {"read_at", r.read_at ? Json(FormatInstant(*r.read_at)) : Json()}});
    auto n = store::CountInbox(c, me.first, me.second);
    return Json{{"items", items}, {"total", n.total}, {"unread", n.unread}};
  });
}

Result<Json> MarkRead(db::Db& db, const auth::Principal& who, int64_t id, int64_t now_ms) {
  KEHOU_ASSIGN_OR_RETURN(auto me, Me(who));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto r = store::InboxMessageOf(c, id, me.first, me.second);
    if (!r) return Error::NotFound("没有这条消息", "no such message");
    if (r->read_at) return Json{{"id", id}, {"read_at", FormatInstant(*r->read_at)}};
    store::MarkRead(c, id, now_ms);
    Json after{{"read_at", FormatInstant(now_ms)}};
    auth::Audit(c, who, {"read", "notify_outbox", id, nullptr, &after, r->school_id});
    return Json{{"id", id}, {"read_at", FormatInstant(now_ms)}};
  });
}

Result<Json> GetPreference(db::Db& db, const auth::Principal& who) {
  if (!who.guardian_id) return Error::Forbidden("只有家长可以选择通知方式", "only guardians choose a channel");
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto ch = store::GuardianChannel(c, *who.guardian_id);
    return Json{{"channel", ch.value_or(std::string(kInApp))}, {"choices", {kInApp, kSms}}};
  });
}

Result<Json> SetPreference(db::Db& db, const auth::Principal& who, const Json& body, int64_t now_ms) {
  if (!who.guardian_id) return Error::Forbidden("只有家长可以选择通知方式", "only guardians choose a channel");
  BodyReader r(body);
  auto ch = r.Text("channel", {.required = true, .max_len = 20, .label = "通知方式"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  if (!ValidGuardianChannel(*ch))
    return Error::Invalid("通知方式只能是 in_app（应用内）或 sms（短信）", "channel must be in_app or sms", "channel");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto old = store::GuardianChannel(c, *who.guardian_id);
    store::UpsertPreference(c, *who.guardian_id, *ch, now_ms);
    Json before{{"channel", old.value_or(std::string(kInApp))}}, after{{"channel", *ch}};
    auth::Audit(c, who, {"update", "notify_preference", *who.guardian_id, &before, &after, who.school_id});
    return Json{{"channel", *ch}};
  });
}

Result<Json> GetSettings(db::Db& db, const auth::Principal& who, std::optional<int64_t> school) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    return View(Load(c, sid));
  });
}

Result<Json> PutSettings(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, const Json& body,
                         int64_t now_ms) {
  BodyReader r(body);
  constexpr TextRule kUrl{.max_len = 500};
  constexpr TextRule kSecret{.max_len = 200, .trim = false};
  auto webhook_url = r.Text("webhook_url", kUrl), webhook_secret = r.Text("webhook_secret", kSecret);
  auto wecom_url = r.Text("wecom_url", kUrl), dingtalk_url = r.Text("dingtalk_url", kUrl);
  auto dingtalk_secret = r.Text("dingtalk_secret", kSecret), staff_channel = r.Text("staff_channel", {.max_len = 20});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  for (auto [v, f] :
       {std::pair{&webhook_url, "webhook_url"}, {&wecom_url, "wecom_url"}, {&dingtalk_url, "dingtalk_url"}})
    if (*v) KEHOU_TRY(CheckUrl(**v, f));
  if (staff_channel && !ValidStaffChannel(*staff_channel))
    return Error::Invalid("教职工通道只能是 in_app、webhook、wecom 或 dingtalk",
                          "staff_channel must be in_app, webhook, wecom or dingtalk", "staff_channel");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    Settings before = Load(c, sid), s = before;
    if (webhook_url) s.webhook_url = *webhook_url;
    if (webhook_secret) s.webhook_secret = *webhook_secret;
    if (wecom_url) s.wecom_url = *wecom_url;
    if (dingtalk_url) s.dingtalk_url = *dingtalk_url;
    if (dingtalk_secret) s.dingtalk_secret = *dingtalk_secret;
    if (staff_channel) s.staff_channel = *staff_channel;
    store::UpsertSettings(c, sid, s, now_ms);
    Json b = View(before), a = View(s);  // secrets only as "set or not" in the audit
    auth::Audit(c, who, {"update", "notify_settings", sid, &b, &a, sid});
    return a;
  });
}

}  // namespace kehou::notify
