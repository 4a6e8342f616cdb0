#include "demo/notify.h"

#include <string>

#include "notify/channels.h"
#include "notify/inbox.h"
#include "notify/outbox.h"
#include "notify/rules.h"

namespace kehou::demo {
namespace {

// A loopback port nothing listens on (discard): every try is refused at once, fast.
constexpr const char* kDeadRobot = "http://127.0.0.1:9/cgi-bin/webhook/send?key=demo-robot-retired";

auth::Principal Office(db::Conn& c, int64_t school_id) {
  auth::Principal p;
  if (auto u =
          c.QueryOne("SELECT id, display_name FROM users WHERE login = 'office' AND school_id = $1", {school_id})) {
    p.user_id = u->Int(0);
    p.display_name = u->Text(1);
  }
  p.login = "office";
  p.role = auth::Role::kOfficeDirector;
  p.scope = auth::Scope::kSchool;
  p.school_id = school_id;
  return p;
}

}  // namespace

Result<int> CreateDemoNotify(db::Db& db, int64_t school_id, int64_t now_ms) {
  auth::Principal office;
  std::vector<std::pair<int64_t, std::string>> staff;  // id, name
  int64_t guardian = 0;                                // the demo guardian's (the first account's)
  db.Read([&](db::Conn& c) {
    office = Office(c, school_id);
    if (auto g = c.QueryOne("SELECT u.guardian_id FROM users u WHERE u.role = 'guardian' AND EXISTS (SELECT 1 FROM"
                            " student_guardians sg WHERE sg.guardian_id = u.guardian_id AND sg.school_id = $1)"
                            " ORDER BY u.id LIMIT 1",
                            {school_id}))
      guardian = g->Int(0);
    for (auto& r : c.Query("SELECT id, name FROM staff WHERE school_id = $1 ORDER BY id LIMIT $2",
                           {school_id, int64_t{kDemoFailedDeliveries}}))
      staff.push_back({r.Int(0), r.Text(1)});
  });
  if (!office.user_id) return Error::Internal("演示学校没有 office 账号", "the demo school has no office login");
  const int64_t start = now_ms - 2 * 86'400'000;  // two days ago
  if (auto s =
          notify::PutSettings(db, office, std::nullopt, {{"wecom_url", kDeadRobot}, {"staff_channel", "wecom"}}, start);
      !s.ok())
    return s.error();
  db.Write([&](db::Conn& c) {
    for (size_t i = 0; i < staff.size(); ++i)
      notify::Enqueue(c, school_id, "demo:duty:" + std::to_string(i), {"staff", staff[i].first}, "值班提醒",
                      staff[i].second + " 老师：明天 16:30 起课后服务值班（东门），请提前 10 分钟到岗。", start);
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
  if (auto s = notify::PutSettings(db, office, std::nullopt, {{"staff_channel", "in_app"}}, at); !s.ok())
    return s.error();
  // The demo guardian read the older of their two messages.
  db.Write([&](db::Conn& c) {
    c.Exec(
        "UPDATE notify_outbox SET read_at = $3 WHERE school_id = $1 AND event_key = 'demo:term-notice'"
        " AND recipient_id = $2 AND status = 'sent'",
        {school_id, guardian, start + 3'600'000});
  });
  return failed;
}

}  // namespace kehou::demo
