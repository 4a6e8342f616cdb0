// grants.h: the named role groups and grants the permission rows are written with, shared by the
// central table (permissions.cpp) and the modules that declare their routes beside their handlers
// (`r.Get(path, http::Allow{managers, admin}, handler)`). Thread-safety: constants.
#pragma once
#include "access/permissions.h"

namespace kehou::auth {

inline constexpr RoleMask kLeaders = Bit(Role::kPrincipal) | Bit(Role::kVicePrincipal);
inline constexpr RoleMask kOffice = Bit(Role::kOfficeDirector) | Bit(Role::kOfficeStaff);
inline constexpr RoleMask kManagers = kLeaders | kOffice;  // run the school's setup and people
inline constexpr RoleMask kWorkingGroups = Bit(Role::kCourseGroup) | Bit(Role::kSafetyOfficer) | Bit(Role::kGuard) |
                                           Bit(Role::kSchoolDoctor) | Bit(Role::kLiaison) | Bit(Role::kParentCommittee);
inline constexpr RoleMask kTeachers =
    Bit(Role::kGradeLeader) | Bit(Role::kClassTeacher) | Bit(Role::kTeacher) | Bit(Role::kExternalStaff);
inline constexpr RoleMask kAllStaff = kManagers | kWorkingGroups | kTeachers;
inline constexpr RoleMask kOfficers = Bit(Role::kCountyOfficer) | Bit(Role::kCityOfficer);
inline constexpr RoleMask kAdmin = Bit(Role::kSysAdmin);
inline constexpr RoleMask kEveryone = ~RoleMask{0};
// Staff who see the school's whole student list (with data masked by role).
inline constexpr RoleMask kStudentListSchool = kManagers | Bit(Role::kSafetyOfficer) | Bit(Role::kGuard) |
                                               Bit(Role::kSchoolDoctor) | Bit(Role::kLiaison) | Bit(Role::kCourseGroup);
// Staff who read a child's whole personal record.
inline constexpr RoleMask kPersonalRecord = kManagers | Bit(Role::kSchoolDoctor);

// The grants most rows are made of.
namespace grants {
inline constexpr Grant self{kEveryone, Scope::kSelf};
inline constexpr Grant leaders{kLeaders, Scope::kSchool};
inline constexpr Grant managers{kManagers, Scope::kSchool};
inline constexpr Grant staff_read{kAllStaff, Scope::kSchool};
inline constexpr Grant officers{kOfficers, Scope::kArea};
inline constexpr Grant admin{kAdmin, Scope::kAll};
inline constexpr Grant class_teacher{Bit(Role::kClassTeacher), Scope::kOwnClass};
inline constexpr Grant grade_leader{Bit(Role::kGradeLeader), Scope::kGrade};
inline constexpr Grant teacher{Bit(Role::kTeacher) | Bit(Role::kExternalStaff), Scope::kOwnSections};
inline constexpr Grant guardian_own{Bit(Role::kGuardian), Scope::kOwnChildren};  // registration
inline constexpr Grant guardian{Bit(Role::kGuardian), Scope::kOwnChildren};
inline constexpr Grant proposers{kTeachers, Scope::kOwnSections};  // course proposals: their own
}  // namespace grants

}  // namespace kehou::auth
