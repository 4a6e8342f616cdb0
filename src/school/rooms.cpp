// rooms.cpp (school): rooms (场地).
#include "school/internal.h"
#include "school/service.h"

namespace kehou::school {

using namespace internal;

// ---- rooms ---------------------------------------------------------------------------------------

Result<Json> ListRooms(db::Db& db, const Principal& who, std::optional<int64_t> school_id, const RoomQuery& q) {
  if (!q.kind.empty() && !IsRoomKind(q.kind)) return Error::Invalid("场地类型不正确", "unknown room kind", "kind");
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto s = SchoolFor(c, who, school_id);
    if (!s) return s.error();
    store::RoomFilter f{Trim(q.q), q.kind, q.include_inactive};
    Json items = Json::array();
    for (const auto& r : store::LoadRooms(c, s->id, f)) items.push_back(RoomJson(r));
    return ListJson(std::move(items), q.paging);
  });
}

namespace {
struct SchoolRoom {
  store::SchoolRow school;
  store::RoomRow room;
};
// The school of the request and its room, or not_found.
Result<SchoolRoom> LoadSchoolRoom(db::Conn& c, const Principal& who, std::optional<int64_t> school_id,
                                  int64_t room_id) {
  KEHOU_ASSIGN_OR_RETURN(auto s, SchoolFor(c, who, school_id));
  auto room = store::LoadRoom(c, s.id, room_id);
  if (!room) return RoomNotFound();
  return SchoolRoom{std::move(s), std::move(*room)};
}
Error RoomConflict(db::Conn& c, int64_t school_id, const std::string& name) {
  std::string extra;
  if (auto id = store::RoomIdByName(c, school_id, name))
    if (auto r = store::LoadRoom(c, school_id, *id); r && !r->active) extra = "（已停用，可重新启用）";
  return Error::Conflict("已有同名场地「" + name + "」" + extra, "a room with this name exists", "name");
}
}  // namespace

Result<Json> CreateRoom(db::Db& db, const Principal& who, std::optional<int64_t> school_id, const RoomInput& in) {
  if (auto st = WriteAllowed(who); !st) return st.error();
  if (!in.name || !in.kind || !in.capacity)
    return Error::Invalid("请填写场地名称、类型和容量", "name, kind and capacity are required",
                          !in.name   ? "name"
                          : !in.kind ? "kind"
                                     : "capacity");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto s = SchoolFor(c, who, school_id);
    if (!s) return s.error();
    store::RoomRow r{0, *in.name, *in.kind, *in.capacity, in.equipment.value_or(""), in.active.value_or(true)};
    if (store::RoomIdByName(c, s->id, r.name)) return RoomConflict(c, s->id, r.name);
    try {
      r.id = store::InsertRoom(c, s->id, r);
    } catch (const db::DbError& e) {
      if (!e.unique_violation) throw;
      return Error::Conflict("已有同名场地「" + r.name + "」", "a room with this name exists", "name");
    }
    Json after = RoomAuditJson(r);
    auth::Audit(c, who, {"create", "room", r.id, nullptr, &after, s->id});
    return RoomJson(r);
  });
}

Result<Json> UpdateRoom(db::Db& db, const Principal& who, std::optional<int64_t> school_id, int64_t room_id,
                        const RoomInput& in) {
  if (auto st = WriteAllowed(who); !st) return st.error();
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(auto found, LoadSchoolRoom(c, who, school_id, room_id));
    const store::SchoolRow* s = &found.school;
    const store::RoomRow* old = &found.room;
    store::RoomRow r = *old;
    if (in.name) r.name = *in.name;
    if (in.kind) r.kind = *in.kind;
    if (in.capacity) r.capacity = *in.capacity;
    if (in.equipment) r.equipment = *in.equipment;
    if (in.active) r.active = *in.active;
    if (auto other = store::RoomIdByName(c, s->id, r.name); other && *other != r.id)
      return RoomConflict(c, s->id, r.name);
    try {
      store::UpdateRoom(c, s->id, r);
    } catch (const db::DbError& e) {
      if (!e.unique_violation) throw;
      return Error::Conflict("已有同名场地「" + r.name + "」", "a room with this name exists", "name");
    }
    LogChange(c, who, "room", r.id, RoomAuditJson(*old), RoomAuditJson(r), s->id);
    return RoomJson(r);
  });
}

Result<Json> DeleteRoom(db::Db& db, const Principal& who, std::optional<int64_t> school_id, int64_t room_id) {
  if (auto st = WriteAllowed(who); !st) return st.error();
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(auto found, LoadSchoolRoom(c, who, school_id, room_id));
    const store::SchoolRow* s = &found.school;
    const store::RoomRow* old = &found.room;
    Json before = RoomAuditJson(*old);
    bool deleted = store::ClassesUsingRoom(c, s->id, room_id) == 0 && store::TryDeleteRoom(c, s->id, room_id);
    if (deleted) {
      auth::Audit(c, who, {"delete", "room", room_id, &before, nullptr, s->id});
    } else if (old->active) {
      store::RoomRow r = *old;
      r.active = false;
      store::UpdateRoom(c, s->id, r);
      Json b{{"active", true}}, a{{"active", false}};
      auth::Audit(c, who, {"deactivate", "room", room_id, &b, &a, s->id});
    }
    return Json{{"id", room_id}, {"deleted", deleted}, {"deactivated", !deleted}};
  });
}

}  // namespace kehou::school
