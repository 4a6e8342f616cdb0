// rules.h: pure rules about people (students, guardians, staff): what a valid ID number,
// mobile, name or student number is, and the labels the school's sheets use.
// Every function returns the normalised value or an Error{kInvalid, zh, field, en}.
// Thread-safety: pure functions, no state.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "access/principal.h"
#include "core/ids.h"
#include "core/result.h"
#include "core/time.h"

namespace kehou::people {

// --- policy numbers
using kehou::kIdNumberLength;  // core/ids.h: the one mobile and ID number check
using kehou::kOldIdNumberLength;
inline constexpr int kIdBirthYearMin = 1900;  // earliest birth year accepted in an ID number
using kehou::kMobileLength;
inline constexpr size_t kNameMaxChars = 30;       // person names, in characters (code points)
inline constexpr size_t kStudentNoMaxChars = 32;  // 学籍号 is 19 (G + ID number); school numbers shorter
inline constexpr size_t kRelationMaxChars = 10;   // 父亲, 母亲, 外祖母, ...
inline constexpr size_t kHealthNotesMaxChars = 500;
inline constexpr size_t kSubjectsMaxChars = 100;
inline constexpr size_t kInstitutionMaxChars = 60;
inline constexpr int kGradeMin = 1;  // grades 1..9 (nine-year schools)
inline constexpr int kGradeMax = 9;
inline constexpr int kClassNumberMin = 1;
inline constexpr int kClassNumberMax = 99;

// --- ID number (居民身份证号码, GB 11643)
// The check character for the first 17 digits ('0'..'9' or 'X'); nullopt if not 17 digits.
using kehou::IdNumberCheckChar;
// Validates an 18-character ID number: 17 digits + check digit or X (x accepted, returned as X),
// region code starting 1..8, a real birth date between kIdBirthYearMin and `today`, the GB 11643
// checksum. A 15-digit old number is refused with its own reason.
Result<std::string> ParseIdNumber(std::string_view raw, const Date& today, std::string_view field = "id_number");
// The birth date written in a valid ID number.
using kehou::IdNumberBirthDate;

// --- mobile (mainland China): 11 digits, 1[3-9]xxxxxxxxx. Spaces and '-' are dropped, a +86 or
// 86 prefix is accepted.
Result<std::string> ParseMobile(std::string_view raw, std::string_view field = "mobile");

// --- gender: 男/女 (also M/F, male/female). Stored as "M"/"F".
Result<std::string> ParseGender(std::string_view raw, std::string_view field = "gender");
std::string_view GenderLabel(std::string_view code);  // "M" -> 男, "F" -> 女, else ""

// --- 是/否 flags. Empty is 否. Also accepts Y/N, 1/0, true/false.
Result<bool> ParseYesNo(std::string_view raw, std::string_view field);
std::string_view YesNoLabel(bool v);

// --- names: trimmed (ASCII and full-width spaces), inner whitespace runs collapsed to one
// space, 1..kNameMaxChars characters, no control characters, valid UTF-8.
Result<std::string> ParseName(std::string_view raw, std::string_view field = "name");
// Free text with a maximum length (relation, subjects, institution, health notes); may be empty.
Result<std::string> ParseText(std::string_view raw, size_t max_chars, std::string_view field);

// --- student numbers: trimmed, 1..kStudentNoMaxChars of ASCII letters, digits and '-';
// letters are upper-cased (学籍号 G...).
Result<std::string> ParseStudentNo(std::string_view raw, std::string_view field = "student_no");

// --- grade number 1..9: "3", "3年级", "三", "三年级"; class number 1..99: "2", "2班", "(2)班".
Result<int> ParseGradeNumber(std::string_view raw, std::string_view field = "grade");
Result<int> ParseClassNumber(std::string_view raw, std::string_view field = "class");

// --- staff kinds: code <-> Chinese label.
inline constexpr const char* kStaffKinds[] = {"in_school", "retired", "institution", "volunteer", "parent_volunteer"};
std::string_view StaffKindLabel(std::string_view code);  // "" if unknown
// Accepts the Chinese label or the code.
Result<std::string> ParseStaffKind(std::string_view raw, std::string_view field = "kind");

// --- who sees what (personal data of minors is sensitive; least privilege).
// Full ID numbers: principal, vice principal, office director, office staff.
bool SeesFullIdNumber(auth::Role r);
// Full mobiles by role: the managers above, liaison, guard. A class teacher also sees the
// mobiles of their own class's guardians (decided per row by the caller).
bool SeesFullMobileByRole(auth::Role r);
// Special-care flags: managers; a class teacher for their own class (per row by the caller).
bool SeesCareFlagsByRole(auth::Role r);
// Health notes: managers and the school doctor; a class teacher for their own class.
bool SeesHealthNotesByRole(auth::Role r);
// Managers: principal, vice principal, office director, office staff.
bool IsManager(auth::Role r);

}  // namespace kehou::people
