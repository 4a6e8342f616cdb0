// channels.h (notify): the Sender the server's worker uses. Each row goes out on its channel:
//   in_app    nothing to send: the row is the message in the recipient's inbox (inbox.h)
//   sms       the school's SMS gateway, reached by its webhook: {"kind":"sms","mobile","text"}
//   webhook   the school's generic webhook: the message as JSON
//   wecom     the school's WeCom group robot: {"msgtype":"markdown",...}
//   dingtalk  the school's DingTalk custom robot: {"msgtype":"text",...}, URL signed with timestamp
// Webhook and SMS POSTs carry X-Kehou-Timestamp, X-Kehou-Signature (rules.h WebhookSignature) and
// X-Kehou-Delivery (the outbox id, for the receiver to drop a repeat). A channel the school has
// not configured is a failure with that reason (visible in 通知发送).
// Thread-safety: Send may be called from any thread (reads through the thread-safe Db).
#pragma once
#include <functional>

#include "notify/outbox.h"

namespace kehou::notify {

class ChannelSender final : public Sender {
 public:
  // now: the clock for timestamps (tests pass a fixed one).
  explicit ChannelSender(db::Db& db, std::function<int64_t()> now = {});
  Status Send(const Message& m) override;

 private:
  db::Db& db_;
  std::function<int64_t()> now_;
};

}  // namespace kehou::notify
