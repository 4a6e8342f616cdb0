// batches.cpp (enroll): dismissal batches (放学批次).
#include "enroll/internal.h"
#include "enroll/service.h"

namespace kehou::enroll {

using namespace internal;

std::vector<DismissalBatch> BatchesOf(Conn& c, int64_t school_id, bool include_inactive) {
  return store::BatchesOf(c, school_id, include_inactive);
}

Result<Json> ListBatches(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> student_id,
                         bool include_inactive) {
  return db.Read([&](Conn& c) -> Result<Json> {
    if (IsGuardianScope(who)) include_inactive = false;
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, SchoolOfRequest(c, who, school, student_id, false));
    Json items = Json::array();
    for (const auto& b : store::BatchesOf(c, sid, include_inactive)) items.push_back(BatchJson(b));
    return Items(items);
  });
}

namespace {
Status CheckBatch(const store::BatchRow& b) {
  if (auto st = CheckText(b.name, kMaxBatchNameChars, true, "name", "批次名称"); !st) return st;
  if (!ParseTimeOfDay(b.leave_time))
    return Error::Invalid("放学时间应为 HH:MM", "leave_time must be HH:MM", "leave_time");
  return Ok();
}
}  // namespace

Result<Json> CreateBatch(db::Db& db, const Principal& who, SchoolArg school, const Json& body) {
  BodyReader in(body);
  store::BatchRow b;
  b.name = Trim(in.Text("name", {.required = true, .label = "批次名称"}).value_or(""));
  b.leave_time = Trim(in.Text("leave_time", {.required = true, .label = "放学时间"}).value_or(""));
  b.active = in.Bool("active", {.label = "是否启用"}).value_or(true);
  KEHOU_TRY(in.Finish());
  if (auto st = CheckBatch(b); !st) return st.error();
  if (auto t = ParseTimeOfDay(b.leave_time)) b.leave_time = FormatTimeOfDay(*t);
  try {
    return db.Write([&](Conn& c) -> Result<Json> {
      auto sid = StaffSchool(c, who, school);
      if (!sid) return sid.error();
      b.school_id = *sid;
      for (const auto& o : store::BatchesOf(c, *sid, true))
        if (o.name == b.name) return Error::Conflict("已有同名放学批次", "a batch with this name exists", "name");
      b.id = store::InsertBatch(c, b);
      Json out = BatchJson(b);
      auth::Audit(c, who, {"create", "dismissal_batch", b.id, nullptr, &out, *sid});
      return out;
    });
  } catch (const db::DbError& e) {
    if (e.unique_violation) return Error::Conflict("已有同名放学批次", "a batch with this name exists", "name");
    throw;
  }
}

Result<Json> UpdateBatch(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const Json& body) {
  try {
    return db.Write([&](Conn& c) -> Result<Json> {
      auto b = store::LoadBatch(c, id);
      if (!b || !SeeSchool(c, who, school, b->school_id)) return Error::NotFound("放学批次不存在", "no such batch");
      BodyReader in(body);
      store::BatchRow n = *b;
      if (auto v = in.Text("name", {.label = "批次名称"})) n.name = Trim(*v);
      if (auto v = in.Text("leave_time", {.label = "放学时间"})) n.leave_time = Trim(*v);
      if (auto v = in.Bool("active", {.label = "是否启用"})) n.active = *v;
      KEHOU_TRY(in.Finish());
      if (auto st = CheckBatch(n); !st) return st.error();
      n.leave_time = FormatTimeOfDay(*ParseTimeOfDay(n.leave_time));
      for (const auto& o : store::BatchesOf(c, n.school_id, true))
        if (o.id != n.id && o.name == n.name)
          return Error::Conflict("已有同名放学批次", "a batch with this name exists", "name");
      store::UpdateBatch(c, n);
      Json before = BatchJson(*b), after = BatchJson(n);
      auth::Audit(c, who, {"update", "dismissal_batch", id, &before, &after, n.school_id});
      return after;
    });
  } catch (const db::DbError& e) {
    if (e.unique_violation) return Error::Conflict("已有同名放学批次", "a batch with this name exists", "name");
    throw;
  }
}

}  // namespace kehou::enroll
