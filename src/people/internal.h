// internal.h (people): helpers the use-case files of people share (students.cpp, guardians.cpp,
// staff.cpp, imports.cpp, export.cpp): who sees what, the school of a write, list paging; the JSON
// codecs are in json.cpp. Not for other modules: they use service.h.
// Thread-safety: stateless; the Conn belongs to the caller's Read/Write callback.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/audit.h"
#include "core/body.h"
#include "core/text.h"
#include "core/time.h"
#include "people/service.h"
#include "people/store.h"

namespace kehou::people::internal {

using auth::Principal;
using auth::Role;
using auth::Scope;
using store::Visibility;

inline constexpr const char* kCsvContentType = "text/csv; charset=utf-8";
inline constexpr std::string_view kRelationSeparator = "、";
// Text fields are read raw (BodyReader refuses other JSON types); the people rules (ParseName,
// ParseMobile, ...) trim and check them.
inline constexpr TextRule kRawText{.no_control = false, .trim = false};

Error StudentNotFound();
Error StaffNotFound();

// What this user sees of one student.
struct Sight {
  bool full_id = false;
  bool full_mobile = false;
  bool flags = false;
  bool health = false;
  std::optional<int64_t> own_guardian_id;  // a guardian sees their own mobile
};

// The visibility of students for this request, or an error (school out of scope).
Result<Visibility> VisibilityFor(db::Conn& c, const Principal& who, std::optional<int64_t> school_id);
Sight SightOf(const Principal& who, const store::StudentRow& s);
// What a list shows of one student: masked (see internal.cpp).
Sight ListSightOf(const Principal& who, const store::StudentRow& s);
// Resolves the school of a write (managers: their own; sysadmin: ?school_id).
Result<int64_t> WriteSchool(db::Conn& c, const Principal& who, std::optional<int64_t> school_id);
Result<ImportKind> KindOf(std::string_view kind);
std::string_view KindZh(ImportKind k);

// Which personal fields a list answer showed in full (for the read log).
struct FullFields {
  bool id_number = false;
  bool guardian_mobile = false;
  void Add(const store::StudentRow& s, const Sight& v) {
    id_number = id_number || (v.full_id && !s.id_number.empty());
    guardian_mobile = guardian_mobile || (v.full_mobile && !s.guardians.empty());
  }
  std::string Text() const {
    std::string out = id_number ? "id_number" : "";
    if (guardian_mobile) out += out.empty() ? "guardian_mobile" : ",guardian_mobile";
    return out;
  }
};

// The filters and page of a list read, for the read log.
std::string QueryText(const ListQuery& q);
Json ListJson(Json items, int64_t total, const ListQuery& q);
ListQuery Clamp(ListQuery q);
// Whether the student's fields break the school's uniqueness rules (student_no, id_number).
// Checks that hold for a student about to be written: class of the school, unique number and ID.
Status CheckStudent(db::Conn& c, int64_t school_id, const StudentInput& s, int64_t self_id);

// ---- JSON codecs (json.cpp) ----------------------------------------------------------------------
Json StudentJson(const store::StudentRow& s, const Sight& v, bool full_record);
// The same list item as StudentJson(s, v, false), written straight to text: the class list is
// the hot path (benchmark target 20k req/s on 2 cores) and a JSON DOM costs more than the query.
void AppendJsonString(std::string& out, std::string_view s);
void AppendKey(std::string& out, std::string_view key);
void AppendBool(std::string& out, bool b);
void AppendStudentText(std::string& out, const store::StudentRow& s, const Sight& v);
bool SeesFullStaffMobile(Role r);
Json StaffJson(const store::StaffRow& s, bool full_mobile);
// A yes/no body field: true/false, 0/1, or a text 是/否 (ParseYesNo, as the import reads it).
std::optional<bool> ReadYesNo(BodyReader& in, std::string_view key);
Result<std::vector<GuardianInput>> GuardiansOf(const Json& arr);
// Reads student fields from body over `base` (absent fields keep base's values). `creating`:
// student_no, name, gender, class_id are required.
Result<StudentInput> StudentFromJson(const Json& body, StudentInput base, bool creating);
StudentInput InputOf(const store::StudentRow& r);
// The audit view of a student: personal values masked or left out.
Json AuditView(const StudentInput& s, bool active);
// Keeps only the keys whose values differ.
void Diff(Json& before, Json& after);
Result<StaffInput> StaffFromJson(const Json& body, StaffInput s, bool creating);
Json StaffAuditView(const StaffInput& s, bool active);

}  // namespace kehou::people::internal
