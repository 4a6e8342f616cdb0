// rules.h (safety): the pure decisions of the safety module (issue 13 §2 and §4, R-DAY-3/4/7/8):
// the three concerns of a session (linked to the roll call), unwell reports, handovers, who may
// see a child's health notes, insurance coverage and its gaps, the daily site check's state and
// the drill per term. No I/O; tested at every limit (rules_test.cpp).
// Thread-safety: pure functions.
#pragma once
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "access/principal.h"
#include "core/result.h"
#include "core/time.h"

namespace kehou::safety {

// ---- policy numbers ---------------------------------------------------------------------------
inline constexpr size_t kMaxNoteChars = 500;          // characters of a note, finding, action
inline constexpr size_t kMaxSymptom = 200;            // characters of a symptom
inline constexpr size_t kMaxHandoverChildren = 60;    // children in one handover
inline constexpr int kHandoverBackDays = 1;           // a handover may be written for yesterday at most
inline constexpr size_t kMaxPhotoBytes = 700 * 1024;  // a site check's photo (data URL)
inline constexpr int kMissedCheckDays = 31;           // the site check list names missed days this far back
inline constexpr int kDrillsPerTerm = 1;              // drills a term must hold
inline constexpr int kDrillWarnDays = 14;             // a term without a drill is flagged this close to its end

// ---- the three concerns -----------------------------------------------------------------------
// What the teacher did for an unwell child.
inline constexpr std::string_view kUnwellActions[] = {"rest", "doctor", "guardian_called"};
bool ValidUnwellAction(std::string_view a);
std::string UnwellActionLabelZh(std::string_view a);  // 休息, 校医处理, 已联系家长
// At least one action, each known and named once.
Status CheckUnwellActions(const std::vector<std::string>& actions);

inline constexpr int kRecordBackDays = 7;  // concerns and unwell reports: at most this many days after
// A session's concerns and unwell reports are written from its start until kRecordBackDays days
// after its day (school-local): never ahead of the session.
Status CheckRecordWindow(const Date& day, int start_minute, int64_t now_ms);

// One child named by a concern.
struct ConcernItem {
  int64_t student_id = 0;
  std::string note;
};
// The concerns of a session checked against its roll call: every child the roll marks absent
// without leave is followed up (listed in `absent` with a note), and only those; children not
// picked up on time are on the roster; `all_on_time` is true exactly when that list is empty.
struct ConcernCheck {
  std::set<int64_t> roster;
  std::set<int64_t> unexcused_absent;  // from the roll call
  std::vector<ConcernItem> absent, late_pickup;
  bool all_on_time = true;
};
Status CheckConcerns(const ConcernCheck& c);

// ---- handover ---------------------------------------------------------------------------------
// A handover goes to another staff member, names 1..kMaxHandoverChildren distinct children and a
// place, and is for today or at most kHandoverBackDays back (never ahead).
struct HandoverIn {
  int64_t from_user = 0, to_user = 0;
  std::vector<int64_t> children;
  std::string place;
  Date day, today;
};
Status CheckHandover(const HandoverIn& h);
// Only the receiver acknowledges, once.
Status CheckAcknowledge(int64_t to_user, bool pending, int64_t user);

// ---- health notes -----------------------------------------------------------------------------
// Who may read a child's health notes: the office and leadership, the school doctor, and a
// teacher whose sessions the child attends. Nobody else (guard, safety officer, other teachers,
// guardians through these routes, officers).
bool MaySeeHealthNotes(auth::Role role, bool teaches_child);
// Who writes them: the office and leadership, the school doctor.
bool MayWriteHealthNotes(auth::Role role);
bool ValidHealthKind(std::string_view k);  // allergy|constitution|medication|other

// ---- insurance --------------------------------------------------------------------------------
bool ValidInsuranceKind(std::string_view k);  // liability|accident
struct DateRange {
  Date from, to;
};
// The days of [term.from, term.to] no policy covers, as ranges in date order.
std::vector<DateRange> CoverageGaps(const DateRange& term, const std::vector<DateRange>& policies);
struct Policy {
  DateRange dates;
  bool covers_all = false;
  std::set<int64_t> children;
};
// Enrolled children no accident policy of the term covers (on any day of it), in id order.
std::vector<int64_t> UncoveredChildren(const std::set<int64_t>& enrolled, const std::vector<Policy>& accident);
// A policy's own fields: from <= to and overlapping the term.
Status CheckPolicyDates(const DateRange& policy, const DateRange& term);

// ---- the daily site check ---------------------------------------------------------------------
enum class CheckState { kNotNeeded, kDone, kDue, kMissing };
std::string_view CheckStateName(CheckState s);  // not_needed|done|due|missing
// A school day with service needs a check before the service: done when there is one; due while
// the first session has not started; missing once it has (or for a past day).
CheckState SiteCheckState(bool service_day, bool checked, const Date& day, const Date& today, int now_minute,
                          std::optional<int> first_start);
bool ValidCheckValue(std::string_view v);  // ok|issue

// ---- incidents and drills ---------------------------------------------------------------------
bool ValidIncidentLevel(std::string_view l);  // minor|moderate|serious
std::string IncidentLevelZh(std::string_view l);
// A term's drill state: done with kDrillsPerTerm drills; else overdue after the term's end,
// missing within kDrillWarnDays of it, due before.
enum class DrillState { kDone, kDue, kMissing, kOverdue };
std::string_view DrillStateName(DrillState s);  // done|due|missing|overdue
DrillState TermDrillState(int drills, const DateRange& term, const Date& today);

}  // namespace kehou::safety
