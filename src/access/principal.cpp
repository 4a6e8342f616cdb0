#include "access/principal.h"

#include <array>

#include "access/may.h"

namespace kehou::auth {
namespace {
struct RoleInfo {
  Role role;
  std::string_view name;
  std::string_view zh;
};
constexpr std::array<RoleInfo, kRoleCount> kRoles{{
    {Role::kPrincipal, "principal", "校长"},
    {Role::kVicePrincipal, "vice_principal", "副校长"},
    {Role::kOfficeDirector, "office_director", "课后服务办公室主任"},
    {Role::kOfficeStaff, "office_staff", "课后服务办公室干事"},
    {Role::kCourseGroup, "course_group", "课程与师资管理组"},
    {Role::kSafetyOfficer, "safety_officer", "安全专干"},
    {Role::kGuard, "guard", "门卫"},
    {Role::kSchoolDoctor, "school_doctor", "校医"},
    {Role::kLiaison, "liaison", "家校联络员"},
    {Role::kParentCommittee, "parent_committee", "家委会/家长监督小组"},
    {Role::kGradeLeader, "grade_leader", "年级组长"},
    {Role::kClassTeacher, "class_teacher", "班主任"},
    {Role::kTeacher, "teacher", "任课教师"},
    {Role::kExternalStaff, "external_staff", "校外人员"},
    {Role::kGuardian, "guardian", "家长"},
    {Role::kCountyOfficer, "county_officer", "县区教育局"},
    {Role::kCityOfficer, "city_officer", "市教育局"},
    {Role::kSysAdmin, "sysadmin", "系统管理员"},
}};
}  // namespace

std::string_view RoleName(Role r) { return kRoles[static_cast<size_t>(r)].name; }
std::string_view RoleLabelZh(Role r) { return kRoles[static_cast<size_t>(r)].zh; }

std::optional<Role> ParseRole(std::string_view s) {
  for (auto& i : kRoles)
    if (i.name == s) return i.role;
  return std::nullopt;
}

const std::vector<Role>& AllRoles() {
  static const std::vector<Role> all = [] {
    std::vector<Role> v;
    for (auto& i : kRoles) v.push_back(i.role);
    return v;
  }();
  return all;
}

bool IsAreaRole(Role r) { return r == Role::kCountyOfficer || r == Role::kCityOfficer; }
bool IsSchoolRole(Role r) { return !IsAreaRole(r) && r != Role::kSysAdmin; }

bool SeesFullPersonalData(Role r) {
  return r == Role::kPrincipal || r == Role::kVicePrincipal || r == Role::kOfficeDirector || r == Role::kOfficeStaff;
}

int RoleRank(Role r) {
  switch (r) {
    case Role::kSysAdmin: return 100;
    case Role::kCityOfficer: return 90;
    case Role::kCountyOfficer: return 80;
    case Role::kPrincipal: return 70;
    case Role::kVicePrincipal: return 60;
    case Role::kOfficeDirector: return 50;
    case Role::kOfficeStaff: return 40;
    case Role::kCourseGroup:
    case Role::kSafetyOfficer:
    case Role::kGuard:
    case Role::kSchoolDoctor:
    case Role::kLiaison:
    case Role::kParentCommittee:
    case Role::kGradeLeader:
    case Role::kClassTeacher:
    case Role::kTeacher: return 30;
    case Role::kExternalStaff: return 20;
    case Role::kGuardian: return 10;
  }
  return 0;
}

bool MayGrantRole(Role actor, Role granted) { return actor == Role::kSysAdmin || RoleRank(granted) < RoleRank(actor); }

bool MayManageAccount(Role actor, Role target) {
  return actor == Role::kSysAdmin || RoleRank(target) < RoleRank(actor);
}

bool MayGiveRole(Role actor, Role target) {
  if (actor == Role::kSysAdmin) return true;
  return IsSchoolRole(target) && MayGrantRole(actor, target);
}

std::vector<Role> GrantableRoles(Role actor) {
  std::vector<Role> out;
  for (Role r : AllRoles())
    if (MayGiveRole(actor, r)) out.push_back(r);
  return out;
}

}  // namespace kehou::auth
