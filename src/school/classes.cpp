// classes.cpp (school): grades and classes.
#include "school/internal.h"
#include "school/service.h"

namespace kehou::school {

using namespace internal;

// ---- grades and classes --------------------------------------------------------------------------

Result<Json> ListGrades(db::Db& db, const Principal& who, std::optional<int64_t> school_id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto s = SchoolFor(c, who, school_id);
    if (!s) return s.error();
    Json items = Json::array();
    for (const auto& g : store::LoadGrades(c, s->id)) items.push_back(GradeJson(g));
    return ListJson(std::move(items), {});
  });
}

Result<Json> SetGradeLeader(db::Db& db, const Principal& who, std::optional<int64_t> school_id, int64_t grade_id,
                            const Json& body) {
  if (auto st = WriteAllowed(who); !st) return st.error();
  BodyReader f(body);
  auto leader = f.Nullable("leader_staff_id", [&] { return f.Int("leader_staff_id", {.label = "年级组长"}); });
  if (auto st = f.Finish(UnknownFields::kRefuse); !st) return st.error();
  if (!leader)  // absent (null clears)
    return Error::Invalid("请选择年级组长（null 表示清除）", "leader_staff_id is required (null clears)",
                          "leader_staff_id");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto s = SchoolFor(c, who, school_id);
    if (!s) return s.error();
    auto old = store::LoadGrade(c, s->id, grade_id);
    if (!old) return Error::NotFound("年级不存在", "no such grade");
    std::optional<int64_t> staff = leader ? *leader : std::nullopt;
    if (staff && !store::StaffName(c, s->id, *staff))
      return Error::Invalid("年级组长须为本校在职教职工", "the grade leader must be active staff of this school",
                            "leader_staff_id");
    store::SetGradeLeader(c, s->id, grade_id, staff);
    auto fresh = store::LoadGrade(c, s->id, grade_id);
    Json before = {{"leader_staff_id", OptId(old->leader_staff_id)}, {"leader_name", old->leader_name}};
    Json after = {{"leader_staff_id", OptId(fresh->leader_staff_id)}, {"leader_name", fresh->leader_name}};
    LogChange(c, who, "grade", grade_id, before, after, s->id);
    return GradeJson(*fresh);
  });
}

Result<Json> ListClasses(db::Db& db, const Principal& who, std::optional<int64_t> school_id,
                         std::optional<int64_t> grade_id, Paging paging) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto s = SchoolFor(c, who, school_id);
    if (!s) return s.error();
    Json items = Json::array();
    for (const auto& k : store::LoadClasses(c, s->id, grade_id)) items.push_back(ClassJson(k));
    return ListJson(std::move(items), paging);
  });
}

namespace {

// Applies the input to a class row and checks it: grade of the school fitting its level, class
// number, the class teacher an active staff member of the school, the room an active room of the
// school, grade + number unique.
Status ApplyClass(db::Conn& c, const store::SchoolRow& s, const ClassInput& in, store::ClassRow& k) {
  const std::string old_generated = k.id ? ClassName(k.grade_number, k.number) : std::string();
  if (in.grade_id && *in.grade_id != k.grade_id) {
    auto g = store::LoadGrade(c, s.id, *in.grade_id);
    if (!g) return Error::NotFound("年级不存在", "no such grade", "grade_id");
    k.grade_id = g->id;
    k.grade_number = g->number;
    k.grade_name = g->name;
  }
  if (auto st = CheckGradeFitsLevel(ParseLevel(s.level).value_or(Level::kNineYear), k.grade_number, "grade_id"); !st)
    return st;
  if (in.number) k.number = *in.number;
  if (auto st = CheckClassNumber(k.number); !st) return st;
  if (in.name && !in.name->empty()) {
    k.name = *in.name;
  } else if (in.name || k.id == 0 || k.name == old_generated) {
    k.name = ClassName(k.grade_number, k.number);  // generated names follow grade and number
  }
  if (in.class_teacher_id) {
    k.class_teacher_id = *in.class_teacher_id;
    k.class_teacher_name.clear();
    if (k.class_teacher_id) {
      auto name = store::StaffName(c, s.id, *k.class_teacher_id);
      if (!name)
        return Error::Invalid("班主任须为本校在职教职工", "the class teacher must be active staff of this school",
                              "class_teacher_id");
      k.class_teacher_name = *name;
    }
  }
  if (in.room_id) {
    k.room_id = *in.room_id;
    k.room_name.clear();
    if (k.room_id) {
      auto room = store::LoadRoom(c, s.id, *k.room_id);
      if (!room || !room->active)
        return Error::Invalid("教室须为本校在用的场地", "the room must be an active room of this school", "room_id");
      k.room_name = room->name;
    }
  }
  if (auto other = store::ClassIdByNumber(c, s.id, k.grade_id, k.number); other && *other != k.id)
    return Error::Conflict(k.grade_name + "已有(" + std::to_string(k.number) + ")班",
                           "grade " + std::to_string(k.grade_number) + " already has class " + std::to_string(k.number),
                           "number");
  return Ok();
}

Error ClassConflict(const store::ClassRow& k) {
  return Error::Conflict(k.grade_name + "已有(" + std::to_string(k.number) + ")班", "this class number exists",
                         "number");
}

}  // namespace

Result<Json> CreateClass(db::Db& db, const Principal& who, std::optional<int64_t> school_id, const ClassInput& in) {
  if (auto st = WriteAllowed(who); !st) return st.error();
  if (!in.grade_id || !in.number)
    return Error::Invalid("请填写年级和班号", "grade_id and number are required", !in.grade_id ? "grade_id" : "number");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto s = SchoolFor(c, who, school_id);
    if (!s) return s.error();
    store::ClassRow k;
    if (auto st = ApplyClass(c, *s, in, k); !st) return st.error();
    try {
      k.id = store::InsertClass(c, s->id, k);
    } catch (const db::DbError& e) {
      if (!e.unique_violation) throw;
      return ClassConflict(k);
    }
    auto fresh = store::LoadClass(c, s->id, k.id);
    Json after = ClassAuditJson(*fresh);
    auth::Audit(c, who, {"create", "class", k.id, nullptr, &after, s->id});
    return ClassJson(*fresh);
  });
}

Result<Json> UpdateClass(db::Db& db, const Principal& who, std::optional<int64_t> school_id, int64_t class_id,
                         const ClassInput& in) {
  if (auto st = WriteAllowed(who); !st) return st.error();
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto s = SchoolFor(c, who, school_id);
    if (!s) return s.error();
    auto old = store::LoadClass(c, s->id, class_id);
    if (!old) return ClassNotFound();
    store::ClassRow k = *old;
    if (auto st = ApplyClass(c, *s, in, k); !st) return st.error();
    try {
      store::UpdateClass(c, s->id, k);
    } catch (const db::DbError& e) {
      if (!e.unique_violation) throw;
      return ClassConflict(k);
    }
    auto fresh = store::LoadClass(c, s->id, k.id);
    LogChange(c, who, "class", k.id, ClassAuditJson(*old), ClassAuditJson(*fresh), s->id);
    return ClassJson(*fresh);
  });
}

}  // namespace kehou::school
