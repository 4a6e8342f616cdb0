// internal.cpp (people): the helpers internal.h declares (but the JSON codecs: json.cpp).
#include "people/internal.h"

#include "auth/audit.h"

namespace kehou::people::internal {

Error StudentNotFound() { return Error::NotFound("学生不存在或无权访问", "no such student"); }
Error StaffNotFound() { return Error::NotFound("教职工不存在或无权访问", "no such staff member"); }

// The visibility of students for this request, or an error (school out of scope).
Result<Visibility> VisibilityFor(db::Conn& c, const Principal& who, std::optional<int64_t> school_id) {
  Visibility v;
  switch (who.scope) {
    case Scope::kSchool:
    case Scope::kArea:
    case Scope::kAll: {
      auto s = auth::ResolveSchool(c, who, school_id);
      if (!s.ok()) return s.error();
      v.school_id = *s;
      v.kind = Visibility::Kind::kSchool;
      return v;
    }
    case Scope::kOwnClass:
    case Scope::kGrade:
    case Scope::kOwnSections: {
      auto s = auth::ResolveSchool(c, who, school_id);
      if (!s.ok()) return s.error();
      v.school_id = *s;
      v.staff_id = who.staff_id.value_or(0);
      if (who.scope == Scope::kOwnSections || !who.staff_id) v.kind = Visibility::Kind::kNone;
      else if (who.scope == Scope::kOwnClass) v.kind = Visibility::Kind::kTeacherClasses;
      else v.kind = Visibility::Kind::kTeacherGrades;
      return v;
    }
    case Scope::kOwnChildren:
    case Scope::kSelf:
    case Scope::kPublic: break;
  }
  return MakeError(kForbidden, "无权查看", "not allowed");
}

Sight SightOf(const Principal& who, const store::StudentRow& s) {
  Sight v;
  if (who.scope == Scope::kOwnChildren) {
    v.health = true;
    v.own_guardian_id = who.guardian_id;
    return v;
  }
  bool own_class = who.staff_id && s.class_teacher_id && *who.staff_id == *s.class_teacher_id;
  v.full_id = SeesFullIdNumber(who.role);
  v.full_mobile = SeesFullMobileByRole(who.role) || own_class;
  v.flags = SeesCareFlagsByRole(who.role) || own_class;
  v.health = SeesHealthNotesByRole(who.role) || own_class;
  return v;
}

// In a list, nothing personal shows in full to anyone looking over a shoulder (issue 11): ID numbers
// masked, no care flags, guardians' mobiles masked except for the child's own class teacher (who
// calls them) and a guardian's own. One student's record (GetStudent, audited) reveals the rest.
Sight ListSightOf(const Principal& who, const store::StudentRow& s) {
  Sight v = SightOf(who, s);
  bool own_class = who.staff_id && s.class_teacher_id && *who.staff_id == *s.class_teacher_id;
  v.full_id = false;
  v.flags = false;
  v.health = false;
  v.full_mobile = own_class;
  return v;
}

Json ListJson(Json items, int64_t total, const ListQuery& q) {
  return {{"items", std::move(items)}, {"total", total}, {"page", q.page}, {"page_size", q.page_size}};
}

ListQuery Clamp(ListQuery q) {
  q.page = std::max<int64_t>(1, q.page);
  q.page_size = std::clamp<int64_t>(q.page_size, 1, kMaxPageSize);
  return q;
}

// Checks that hold for a student about to be written: class of the school, unique number and ID.
Status CheckStudent(db::Conn& c, int64_t school_id, const StudentInput& s, int64_t self_id) {
  if (!store::ClassInSchool(c, school_id, s.class_id))
    return MakeError(kNotFound, "班级不存在", "no such class", "class_id");
  if (auto other = store::StudentIdByNo(c, school_id, s.student_no); other && *other != self_id)
    return MakeError(kConflict, "学号" + s.student_no + "已被使用", "student number " + s.student_no + " is taken",
                     "student_no");
  if (auto owner = store::StudentNoByIdNumber(c, school_id, s.id_number, self_id))
    return MakeError(kConflict, "身份证号已属于学号为" + *owner + "的学生",
                     "the ID number belongs to student " + *owner, "id_number");
  return Ok();
}

// Resolves the school of a write (managers: their own; sysadmin: ?school_id).
Result<int64_t> WriteSchool(db::Conn& c, const Principal& who, std::optional<int64_t> school_id) {
  if (who.scope != Scope::kSchool && who.scope != Scope::kAll) return MakeError(kForbidden, "无权修改", "not allowed");
  return auth::ResolveSchool(c, who, school_id);
}

// ---------------------------------------------------------------- import helpers

Result<ImportKind> KindOf(std::string_view kind) {
  auto k = ParseImportKind(kind);
  if (!k)
    return MakeError(kNotFound, "没有这种导入：" + std::string(kind), "no such import: " + std::string(kind), "kind");
  return *k;
}

std::string_view KindZh(ImportKind k) { return k == ImportKind::kStudents ? "学生" : "教职工"; }

// The filters and page of a list read, for the read log.
std::string QueryText(const ListQuery& q) {
  std::string out = "page=" + std::to_string(q.page) + "&page_size=" + std::to_string(q.page_size);
  if (!q.q.empty()) out += "&q=" + q.q;
  if (q.class_id) out += "&class_id=" + std::to_string(*q.class_id);
  if (q.grade_id) out += "&grade_id=" + std::to_string(*q.grade_id);
  return out;
}

}  // namespace kehou::people::internal
