// guardians.cpp (people): guardians: the school's list, and a guardian's own children.
#include "auth/audit.h"
#include "people/internal.h"
#include "people/service.h"

namespace kehou::people {

using namespace internal;

Result<Json> ListGuardians(db::Db& db, const Principal& who, const ListQuery& query) {
  ListQuery q = Clamp(query);
  bool any_full = false;
  int64_t school = 0;
  auto out = db.Read([&](db::Conn& c) -> Result<Json> {
    auto v = VisibilityFor(c, who, q.school_id);
    if (!v.ok()) return v.error();
    school = v->school_id;
    auto page = store::ListGuardians(c, *v, Trim(q.q), q.page_size, (q.page - 1) * q.page_size);
    Json items = Json::array();
    for (const auto& g : page.items) {
      bool full = SeesFullMobileByRole(who.role);
      Json kids = Json::array();
      for (const auto& k : g.children) {
        if (who.staff_id && k.class_teacher_id && *k.class_teacher_id == *who.staff_id) full = true;
        kids.push_back({{"id", k.id}, {"name", k.name}, {"class_name", k.class_name}, {"relation", k.relation}});
      }
      any_full = any_full || full;
      items.push_back({{"id", g.id},
                       {"name", g.name},
                       {"mobile", full ? g.mobile : auth::MaskMobile(g.mobile)},
                       {"children", std::move(kids)}});
    }
    return ListJson(std::move(items), page.total, q);
  });
  if (out.ok())
    auth::LogListRead(db, who,
                      {"guardians", QueryText(q), static_cast<int64_t>((*out)["items"].size()),
                       any_full ? "guardian_mobile" : "", school});
  return out;
}

Result<Json> MyChildren(db::Db& db, const Principal& who) {
  Json items = Json::array();
  if (!who.guardian_id) return Json{{"items", items}};
  return db.Read([&](db::Conn& c) -> Result<Json> {
    for (const auto& k : store::ChildrenOf(c, *who.guardian_id))
      items.push_back({{"id", k.id},
                       {"name", k.name},
                       {"school_id", k.school_id},
                       {"school_name", k.school_name},
                       {"class_id", k.class_id},
                       {"class_name", k.class_name},
                       {"relation", k.relation}});
    return Json{{"items", std::move(items)}};
  });
}

}  // namespace kehou::people
