// staff.cpp (people): the school's staff: list, create, update.
#include "auth/audit.h"
#include "people/internal.h"
#include "people/service.h"

namespace kehou::people {

using namespace internal;

Result<Json> ListStaff(db::Db& db, const Principal& who, const ListQuery& query) {
  ListQuery q = Clamp(query);
  if (!q.kind.empty() && StaffKindLabel(q.kind).empty())
    return Error::Invalid("类别无效", "unknown staff kind", "kind");
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto school = auth::ResolveSchool(c, who, q.school_id);
    if (!school.ok()) return school.error();
    store::StaffFilter f{Trim(q.q), q.kind, q.include_inactive, q.page_size, (q.page - 1) * q.page_size};
    auto page = store::ListStaff(c, *school, f);
    Json items = Json::array();
    for (const auto& s : page.items) items.push_back(StaffJson(s, SeesFullStaffMobile(who.role)));
    return ListJson(std::move(items), page.total, q);
  });
}

Result<Json> CreateStaff(db::Db& db, const Principal& who, const Json& body, std::optional<int64_t> school_id) {
  auto input = StaffFromJson(body, {}, true);
  if (!input.ok()) return input.error();
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto school = WriteSchool(c, who, school_id);
    if (!school.ok()) return school.error();
    if (store::StaffIdByMobile(c, *school, input->mobile))
      return MakeError(kConflict, "手机号" + input->mobile + "已属于本校另一位教职工",
                       "mobile " + input->mobile + " belongs to another staff member", "mobile");
    int64_t id = SaveStaff(c, *school, *input);
    Json after = StaffAuditView(*input, true);
    auth::Audit(c, who, {"create", "staff", id, nullptr, &after, *school});
    return StaffJson(*store::FindStaff(c, *school, id), SeesFullStaffMobile(who.role));
  });
}

Result<Json> UpdateStaff(db::Db& db, const Principal& who, int64_t id, const Json& body,
                         std::optional<int64_t> school_id) {
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto school = WriteSchool(c, who, school_id);
    if (!school.ok()) return school.error();
    auto old = store::FindStaff(c, *school, id);
    if (!old) return StaffNotFound();
    StaffInput base{old->name, old->gender, old->kind, old->subjects, old->mobile, old->institution};
    auto input = StaffFromJson(body, base, false);
    if (!input.ok()) return input.error();
    BodyReader active_in(body);
    auto active = ReadYesNo(active_in, "active");
    KEHOU_TRY(active_in.Finish());
    bool now_active = active.value_or(old->active);
    if (auto other = store::StaffIdByMobile(c, *school, input->mobile); other && *other != id)
      return MakeError(kConflict, "手机号" + input->mobile + "已属于本校另一位教职工",
                       "mobile " + input->mobile + " belongs to another staff member", "mobile");
    store::UpdateStaff(c, *school, id, *input, now_active);
    Json before = StaffAuditView(base, old->active), after = StaffAuditView(*input, now_active);
    Diff(before, after);
    auth::Audit(c, who, {"update", "staff", id, &before, &after, *school});
    return StaffJson(*store::FindStaff(c, *school, id), SeesFullStaffMobile(who.role));
  });
}

}  // namespace kehou::people
