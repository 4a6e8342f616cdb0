// internal.h (enroll): helpers the use-case files of enroll share (surveys.cpp, batches.cpp,
// agreements.cpp, applications.cpp, review.cpp, roster.cpp, exits.cpp, looked_after.cpp): errors,
// who may see what, terms, audit rows; the JSON codecs are in json.cpp. Not for other modules:
// they use service.h. Thread-safety: stateless; the Conn belongs to the caller's Read/Write callback.
#pragma once
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "auth/audit.h"
#include "core/body.h"
#include "core/text.h"
#include "enroll/rules.h"
#include "enroll/service.h"
#include "enroll/store.h"
#include "school/service.h"

namespace kehou::enroll::internal {

using auth::Role;
using auth::Scope;
using db::Conn;

inline constexpr const char* kWeekdayZh[] = {"", "周一", "周二", "周三", "周四", "周五", "周六", "周日"};

// ---- errors --------------------------------------------------------------------------------------
Error StudentNotFound();
Error SurveyNotFound();
Error ApplicationNotFound();
Error TermNotFound();
// Small integer lists (grades, weekdays).
std::optional<std::vector<int>> SmallInts(BodyReader& in, std::string_view key, bool required, std::string_view label);
// Time bands by name ("morning", "noon", ...).
std::optional<std::vector<Band>> Bands(BodyReader& in, std::string_view key, bool required);
// ---- scope ---------------------------------------------------------------------------------------
bool IsGuardianScope(const Principal& who);
bool IsClassScope(const Principal& who);
// A grade leader (Scope::kGrade): reads the grades they lead and their own classes; reviews, as
// class teacher, only the classes they are class teacher of (issue 11).
bool IsGradeScope(const Principal& who);
bool IsOffice(const Principal& who);
std::string WhoName(const Principal& who);
// The school a staff request is about (own school; ?school_id for the system administrator).
Result<int64_t> StaffSchool(Conn& c, const Principal& who, SchoolArg school);
// May a staff member see things of entity_school?
Status SeeSchool(Conn& c, const Principal& who, SchoolArg school, int64_t entity_school);
// May who see this child? Guardians: their own; class teachers: their classes; office: the school.
Status SeeStudent(Conn& c, const Principal& who, SchoolArg school, const store::StudentRow& s);
// The school a read is about: a guardian's through the named child (student_id required), a class
// teacher's own when `class_own_school`, else the staff's (StaffSchool).
Result<int64_t> SchoolOfRequest(Conn& c, const Principal& who, SchoolArg school, std::optional<int64_t> student_id,
                                bool class_own_school);
Result<store::StudentRow> VisibleStudent(Conn& c, const Principal& who, SchoolArg school, int64_t id);
// The staff_id whose classes bound a class teacher's view, or nullopt for the whole school.
std::optional<int64_t> TeacherBound(const Principal& who);
Result<school::Term> TermOf(Conn& c, int64_t school_id, std::optional<int64_t> term_id);

// ---- JSON codecs (json.cpp) ----------------------------------------------------------------------
// Bodies are read with core/body.h's BodyReader; these two read enroll's own shapes with it.
// Small integer lists (grades, weekdays).
std::optional<std::vector<int>> SmallInts(BodyReader& in, std::string_view key, bool required, std::string_view label);
// Time bands by name ("morning", "noon", ...).
std::optional<std::vector<Band>> Bands(BodyReader& in, std::string_view key, bool required);
Json BandsJson(const std::vector<Band>& bs);
Json BandOptions(const std::vector<Band>& bs);
Json InterestOptions(const std::vector<std::string>& is);
Json DayOptions();
Json StudentJson(const store::StudentRow& s);
Json SurveyJson(const store::SurveyRow& s, const Date& today);
Json AnswerJson(const store::AnswerRow& a);
Json BatchJson(const store::BatchRow& b);
Json AgreementJson(const store::AgreementRow& a, bool with_body);
Json SignatureJson(const store::SignatureRow& s);
std::string_view DecisionLabelZh(std::string_view action);
Json DecisionJson(const store::DecisionRow& d);
Json ExitJson(const store::ExitRow& e);
Json FormJson(const store::ApplicationRow& a);
// The application as the pages see it; detail adds signatures, history, exit and enrolment.
Json AppJson(Conn& c, const store::ApplicationRow& a, const store::StudentRow& s, bool detail, const Date& today);
Json Items(Json items);

// ---- applications (applications.cpp; review.cpp uses them too) -----------------------------------
Result<std::pair<store::ApplicationRow, store::StudentRow>> VisibleApplication(Conn& c, const Principal& who,
                                                                               SchoolArg school, int64_t id);
void Decide(Conn& c, const Principal& who, const store::ApplicationRow& a, Step step, AppStatus to,
            const std::string& reason);
Error Stale();

}  // namespace kehou::enroll::internal
