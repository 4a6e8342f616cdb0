// principal.h: who is asking. Built by the HTTP layer from the session; passed to services so
// they can apply scope (own school, own class, own sections, own children, own area).
// Thread-safety: a plain value.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kehou::auth {

// Roles exactly as in SPEC.md "Users and their roles".
enum class Role {
  kPrincipal,
  kVicePrincipal,
  kOfficeDirector,
  kOfficeStaff,
  kCourseGroup,
  kSafetyOfficer,
  kGuard,
  kSchoolDoctor,
  kLiaison,
  kParentCommittee,
  kGradeLeader,
  kClassTeacher,
  kTeacher,
  kExternalStaff,
  kGuardian,
  kCountyOfficer,
  kCityOfficer,
  kSysAdmin,
};
inline constexpr int kRoleCount = 18;

std::string_view RoleName(Role r);     // "principal", ... (stored in users.role)
std::string_view RoleLabelZh(Role r);  // "校长", ...
std::optional<Role> ParseRole(std::string_view s);
const std::vector<Role>& AllRoles();
bool IsSchoolRole(Role r);  // belongs to one school (everything but officers and sysadmin)
bool IsAreaRole(Role r);    // county/city officer: read-only across the area's schools
// Roles that may see full ID numbers and mobiles (otherwise masked).
bool SeesFullPersonalData(Role r);

// Rank of a role in account management (higher manages lower): sysadmin 100, city 90, county 80,
// principal 70, vice principal 60, office director 50, office staff 40, other staff 30, external
// staff 20, guardian 10.
int RoleRank(Role r);
// Account rules (issue 10): nobody grants a role at or above their own rank, and accounts of a
// higher or equal rank are managed (edited, disabled, reset) only by a rank above; the system
// administrator, at the top, manages every account. Nobody changes their own role (the callers
// check that: it needs the account ids).
bool MayGrantRole(Role actor, Role granted);
bool MayManageAccount(Role actor, Role target);

enum class Scope {
  kPublic,       // no login needed (health, login)
  kSelf,         // any logged-in user, about themself (me, logout, password)
  kSchool,       // the whole of the user's own school
  kGrade,        // the grade(s) the grade leader leads
  kOwnClass,     // the class teacher's own class(es)
  kOwnSections,  // the teacher's own sections
  kOwnChildren,  // the guardian's own children
  kArea,         // county/city officer: read-only, schools of the area
  kAll,          // system administrator: every school
};
struct Principal {
  int64_t user_id = 0;
  std::string login;
  std::string display_name;
  Role role = Role::kGuardian;
  std::optional<int64_t> school_id;
  std::optional<int64_t> area_id;
  std::optional<int64_t> staff_id;
  std::optional<int64_t> guardian_id;
  bool must_change_password = false;
  Scope scope = Scope::kSelf;  // the scope the permission table grants on this request
  std::string csrf_token;
  std::string token_hash;  // the session's key
  std::string client;      // remote address, for the audit
  std::string request_id;  // for the audit
};

}  // namespace kehou::auth
