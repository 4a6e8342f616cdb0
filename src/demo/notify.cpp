#include "demo/notify.h"

#include <string>

#include "demo/logins.h"
#include "demo/store.h"
#include "notify/channels.h"
#include "notify/inbox.h"
#include "notify/outbox.h"
#include "notify/rules.h"

namespace kehou::demo {
namespace {

// A loopback port nothing listens on (discard): every try is refused at once, fast.
constexpr const char* kDeadRobot = "http://127.0.0.1:9/cgi-bin/webhook/send?key=demo-robot-retired";

}  // namespace

Result<int> CreateDemoNotify(db::Db& db, int64_t school_id, int64_t now_ms) {
  std::vector<store::StaffRow> staff;
  int64_t guardian = 0;  // the demo guardian's (the first account's)
  auto office = db.Read([&](db::Conn& c) {
    if (auto g = store::FirstGuardianAccount(c, school_id)) guardian = g->guardian_id.value_or(0);
    staff = store::StaffOfSchool(c, school_id, int64_t{kDemoFailedDeliveries});
    return DemoLogin(c, school_id, "office", auth::Role::kOfficeDirector);
  });
  if (!office) return Error::Internal("演示学校没有 office 账号", "the demo school has no office login");
  const int64_t start = now_ms - 2 * 86'400'000;  // two days ago
  if (auto s = notify::PutSettings(db, *office, std::nullopt, {{"wecom_url", kDeadRobot}, {"staff_channel", "wecom"}},
                                   start);
      !s.ok())
    return s.error();
  db.Write([&](db::Conn& c) {
    for (size_t i = 0; i < staff.size(); ++i)
      notify::Enqueue(c, school_id, "demo:duty:" + std::to_string(i), {"staff", staff[i].id}, "值班提醒",
                      staff[i].name + " 老师：明天 16:30 起课后服务值班（东门），请提前 10 分钟到岗。", start);
    if (guardian) {
      notify::Enqueue(c, school_id, "demo:term-notice", {"guardian", guardian}, "课后服务安排",
                      "本学期课后服务周一至周五 16:30–18:00，放学批次可在“我的”中查看。", start - 86'400'000);
      notify::Enqueue(c, school_id, "demo:weather-notice", {"guardian", guardian}, "天气提醒",
                      "明天有大风降温，请为孩子添加衣物；课后服务照常进行。", start);
    }
  });
  notify::ChannelSender robot(db, [&] { return start; });
  int failed = 0;
  int64_t at = start;
  for (int i = 1; i <= notify::kMaxAttempts; ++i) {
    failed += notify::DeliverPending(db, robot, at).failed;
    at += notify::BackoffMs(i);
  }
  // The robot is retired: staff messages go in-app again (its address stays for the office to see).
  if (auto s = notify::PutSettings(db, *office, std::nullopt, {{"staff_channel", "in_app"}}, at); !s.ok())
    return s.error();
  // The demo guardian read the older of their two messages.
  db.Write(
      [&](db::Conn& c) { store::MarkGuardianRead(c, school_id, guardian, "demo:term-notice", start + 3'600'000); });
  return failed;
}

}  // namespace kehou::demo
