// fees.h (demo): the demo school's money for its current term (issue 14 §1-2), made through the
// fees service as the demo office and principal (audited like a school's own): fee standards
// with the price authority's reference (basic, materials, each selection course), the bills issued,
// a few exemptions decided by the leadership group, kDemoPaidPercent of the other bills paid through
// the local test provider (signed and encrypted WeChat Pay v3 notifications, verified, decrypted and
// matched as the callback does, in one transaction: fees::PayManyWithTestProvider),
// a few paid in cash at the office, one callback whose amount differs (the exceptions queue), and
// two refunds approved by the principal (one full, one by school days left).
// The children of guardians with a demo login keep an unpaid bill, and a late window is open from
// today when today is past the term's payment weeks, so the demo guardian can press 缴费.
// Thread-safety: as the services (through Db).
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/result.h"
#include "db/db.h"

namespace kehou::demo {

inline constexpr size_t kDemoPaidPercent = 88;  // of the bills neither kept unpaid nor exempted
inline constexpr int kDemoCashBills = 6;
inline constexpr int kDemoLateWindowDays = 14;

struct DemoFees {
  int64_t standards = 0, bills = 0, exemptions = 0, paid = 0, cash = 0, exceptions = 0, refunds = 0;
};

Result<DemoFees> CreateDemoFees(db::Db& db, int64_t school_id);

}  // namespace kehou::demo
