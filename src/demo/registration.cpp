#include "demo/registration.h"

#include <nlohmann/json.hpp>
#include <string>

#include "access/principal.h"
#include "core/time.h"
#include "enroll/service.h"

namespace kehou::demo {
namespace {
using Json = nlohmann::json;

struct Batch {
  const char* name;
  const char* leave_time;
};
constexpr Batch kBatches[] = {
    {"第一批（低年级）", "16:50"},
    {"第二批（中高年级）", "17:30"},
    {"第三批（延时托管）", "18:00"},
};
constexpr const char* kLookedAfterReasons[] = {
    "家长出差，本周放学后在校看护，由班主任照看",
    "家长临时加班，需在校等候接送",
    "家中突发情况，经家长申请在校看护至家长到校",
};
constexpr int64_t kLookedAfterChildren = 3;

Error Failed(const std::string& what, const Error& e) {
  return MakeError(e.code, "演示数据：" + what + "未能创建：" + e.message, "demo: " + what + ": " + e.message_en);
}
}  // namespace

Result<DemoRegistration> CreateDemoRegistration(db::Db& db, int64_t school_id, const Date& today) {
  DemoRegistration out;
  auth::Principal office;
  std::vector<int64_t> unenrolled;
  Date start = today;
  db.Read([&](db::Conn& c) {
    // Looked-after dates lie within the term: today, kept inside the demo term's dates.
    if (auto t =
            c.QueryOne("SELECT start_date, end_date FROM terms WHERE school_id = $1 AND is_current = 1", {school_id})) {
      auto first = ParseDate(t->Text(0)), last = ParseDate(t->Text(1));
      if (first && start < *first) start = *first;
      if (last && *last < start) start = *last;
    }
    if (auto u =
            c.QueryOne("SELECT id, display_name FROM users WHERE login = 'office' AND school_id = $1", {school_id})) {
      office.user_id = u->Int(0);
      office.display_name = u->Text(1);
    }
    // Children with no application for any term: they may be looked after.
    for (auto& r : c.Query("SELECT s.id FROM students s WHERE s.school_id = $1 AND s.active = 1 AND NOT EXISTS"
                           " (SELECT 1 FROM applications a WHERE a.student_id = s.id) ORDER BY s.id LIMIT $2",
                           {school_id, kLookedAfterChildren}))
      unenrolled.push_back(r.Int(0));
  });
  if (!office.user_id) return MakeError(kInternal, "演示学校没有 office 账号", "the demo school has no office login");
  office.login = "office";
  office.role = auth::Role::kOfficeDirector;
  office.school_id = school_id;
  office.scope = auth::Scope::kSchool;
  office.client = "kehou demo";

  for (const Batch& b : kBatches) {
    auto made = enroll::CreateBatch(db, office, school_id, Json{{"name", b.name}, {"leave_time", b.leave_time}});
    if (!made.ok()) return Failed(std::string("放学批次") + b.name, made.error());
    ++out.batches;
  }
  size_t i = 0;
  for (int64_t student : unenrolled) {
    Json body{{"student_id", student},
              {"reason", kLookedAfterReasons[i++ % std::size(kLookedAfterReasons)]},
              {"start_date", FormatDate(start)}};
    auto made = enroll::CreateLookedAfter(db, office, school_id, body, today);
    if (!made.ok()) return Failed("在校看护", made.error());
    ++out.looked_after;
  }
  return out;
}

}  // namespace kehou::demo
