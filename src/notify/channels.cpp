#include "notify/channels.h"

#include "core/time.h"
#include "notify/http_client.h"
#include "notify/rules.h"
#include "notify/store.h"

namespace kehou::notify {
namespace {

struct Config {
  std::string webhook_url, webhook_secret, wecom_url, dingtalk_url, dingtalk_secret, mobile;
};

Status NotConfigured(std::string_view what_zh, std::string_view what_en) {
  return Error::Unavailable("学校未配置" + std::string(what_zh), "the school has no " + std::string(what_en));
}

Status CheckHttp(const Result<HttpReply>& r) {
  if (!r.ok()) return r.error();
  if (r->status < 200 || r->status > 299)
    return Error::Unavailable("对方应答 HTTP " + std::to_string(r->status), "HTTP " + std::to_string(r->status));
  return Ok();
}

// The robots answer 200 with {"errcode":0,"errmsg":"ok"}; anything else is their refusal.
Status CheckRobot(const Result<HttpReply>& r) {
  KEHOU_TRY(CheckHttp(r));
  auto j = Json::parse(r->body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("errcode"))
    return Error::Unavailable("机器人应答无法识别", "unrecognised robot answer");
  if (!j["errcode"].is_number_integer() || j["errcode"].get<int64_t>() != 0)
    return Error::Unavailable("机器人拒绝：" + j.value("errmsg", std::string("?")),
                              "robot refused: " + j.value("errmsg", std::string("?")));
  return Ok();
}

Status PostSigned(const std::string& url, const std::string& secret, const Json& payload, int64_t message_id,
                  int64_t ts) {
  std::string body = payload.dump();
  std::map<std::string, std::string> h{{"X-Kehou-Timestamp", std::to_string(ts)},
                                       {"X-Kehou-Delivery", std::to_string(message_id)}};
  if (!secret.empty()) h["X-Kehou-Signature"] = WebhookSignature(secret, ts, body);
  return CheckHttp(PostJson(url, body, h, kHttpTimeoutMs));
}

}  // namespace

ChannelSender::ChannelSender(db::Db& db, std::function<int64_t()> now) : db_(db), now_(std::move(now)) {
  if (!now_) now_ = [] { return NowMs(); };
}

Status ChannelSender::Send(const Message& m) {
  if (m.channel == kInApp) return Ok();
  Config cfg = db_.Read([&](db::Conn& c) {
    Config out;
    if (auto r = store::DeliverySettingsOf(c, m.school_id))
      out = {r->webhook_url, r->webhook_secret, r->wecom_url, r->dingtalk_url, r->dingtalk_secret, ""};
    if (m.recipient_kind == "guardian")
      if (auto g = store::GuardianMobile(c, m.recipient_id)) out.mobile = *g;
    return out;
  });
  const int64_t ts = now_();
  if (m.channel == kSms) {
    if (cfg.webhook_url.empty()) return NotConfigured("短信网关（Webhook 地址）", "SMS gateway (webhook URL)");
    if (cfg.mobile.empty()) return Error::Unavailable("收件人没有手机号", "the recipient has no mobile");
    Json p{{"kind", "sms"},        {"id", m.id},     {"school_id", m.school_id},
           {"mobile", cfg.mobile}, {"text", m.body}, {"event_key", m.event_key}};
    return PostSigned(cfg.webhook_url, cfg.webhook_secret, p, m.id, ts);
  }
  if (m.channel == kWebhook) {
    if (cfg.webhook_url.empty()) return NotConfigured("Webhook 地址", "webhook URL");
    Json p{{"kind", "message"},
           {"id", m.id},
           {"school_id", m.school_id},
           {"event_key", m.event_key},
           {"recipient_kind", m.recipient_kind},
           {"recipient_id", m.recipient_id},
           {"title", m.title},
           {"body", m.body},
           {"timestamp", ts}};
    return PostSigned(cfg.webhook_url, cfg.webhook_secret, p, m.id, ts);
  }
  if (m.channel == kWecom) {
    if (cfg.wecom_url.empty()) return NotConfigured("企业微信群机器人地址", "WeCom robot URL");
    return CheckRobot(PostJson(cfg.wecom_url, WecomBody(m.title, m.body).dump(), {}, kHttpTimeoutMs));
  }
  if (m.channel == kDingtalk) {
    if (cfg.dingtalk_url.empty()) return NotConfigured("钉钉机器人地址", "DingTalk robot URL");
    return CheckRobot(PostJson(DingtalkUrl(cfg.dingtalk_url, cfg.dingtalk_secret, ts),
                               DingtalkBody(m.title, m.body).dump(), {}, kHttpTimeoutMs));
  }
  return Error::Unavailable("未知的通道 " + m.channel, "unknown channel " + m.channel);
}

}  // namespace kehou::notify
