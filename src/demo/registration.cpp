#include "demo/registration.h"

#include <nlohmann/json.hpp>
#include <string>

#include "access/principal.h"
#include "core/time.h"
#include "demo/logins.h"
#include "demo/store.h"
#include "enroll/service.h"
#include "school/service.h"

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
  std::vector<int64_t> unenrolled;
  Date start = today;
  auto office = db.Read([&](db::Conn& c) {
    // Looked-after dates lie within the term: today, kept inside the demo term's dates.
    if (auto t = school::CurrentTerm(c, school_id)) {
      if (start < t->dates.start) start = t->dates.start;
      if (t->dates.end < start) start = t->dates.end;
    }
    // Children with no application for any term: they may be looked after.
    unenrolled = store::ChildrenWithoutApplication(c, school_id, kLookedAfterChildren);
    return DemoLogin(c, school_id, "office", auth::Role::kOfficeDirector);
  });
  if (!office) return MakeError(kInternal, "演示学校没有 office 账号", "the demo school has no office login");

  for (const Batch& b : kBatches) {
    auto made = enroll::CreateBatch(db, *office, school_id, Json{{"name", b.name}, {"leave_time", b.leave_time}});
    if (!made.ok()) return Failed(std::string("放学批次") + b.name, made.error());
    ++out.batches;
  }
  size_t i = 0;
  for (int64_t student : unenrolled) {
    Json body{{"student_id", student},
              {"reason", kLookedAfterReasons[i++ % std::size(kLookedAfterReasons)]},
              {"start_date", FormatDate(start)}};
    auto made = enroll::CreateLookedAfter(db, *office, school_id, body, today);
    if (!made.ok()) return Failed("在校看护", made.error());
    ++out.looked_after;
  }
  return out;
}

}  // namespace kehou::demo
