// rules.h (attendance): the pure decisions of attendance (issue 13 §1, R-DAY-1/2): marks, the
// roll call's editable window, swipes (checks, de-duplication by unique id, out-of-order times),
// leave cover, and how swipes and the roll call reconcile. No I/O; tested at every limit.
// Thread-safety: pure functions.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace kehou::attendance {

// ---- policy numbers ---------------------------------------------------------------------------
inline constexpr int kRollOpensDaysAhead = 7;                      // a teacher may prepare a roll this many days ahead
inline constexpr int kSwipeEarlyMinutes = 30;                      // a swipe this long before the start counts for it
inline constexpr int64_t kSwipeMaxAgeMs = 7LL * 24 * 3600 * 1000;  // a device may resend a week late
inline constexpr int64_t kSwipeMaxSkewMs = 5LL * 60 * 1000;        // device clock ahead of ours
inline constexpr size_t kMaxSwipeBatch = 500;                      // swipes per request
inline constexpr size_t kMaxSwipeIdLength = 64;                    // uid and card number
inline constexpr int kMaxLeaveDays = 30;                           // one request covers at most this many days
inline constexpr size_t kMaxLeaveReason = 200;                     // characters

enum class Mark { kPresent, kLate, kAbsent, kLeave };
std::optional<Mark> ParseMark(std::string_view s);  // present|late|absent|leave
std::string_view MarkName(Mark m);
std::string_view MarkLabelZh(Mark m);  // 出勤, 迟到, 缺勤, 请假

// A session: a section's weekly slot on a teaching day; start/end minutes school-local.
struct SessionTime {
  Date day;
  int start = 0, end = 0;
};
int64_t StartMs(const SessionTime& s);
int64_t EndMs(const SessionTime& s);
bool Ended(const SessionTime& s, int64_t now_ms);

// A session of a day: the section, its slot's band and times, its teacher (store::SessionsOn
// loads them; other modules get them through service.h SessionsOn).
struct Session {
  int64_t section_id = 0;
  std::string section, course, band, room, teacher;
  std::optional<int64_t> teacher_staff_id;
  SessionTime time;
};

// Who writes the roll: the session's teacher, or the office (and leadership).
enum class Editor { kTeacher, kOffice };
// The roll call's window. The teacher: from kRollOpensDaysAhead days before the session's day
// until its end (refused after: rule_broken). The office: the same opening, and at any time
// after the end (the service audits that as a late edit).
Status CheckRollWindow(const SessionTime& s, int64_t now_ms, Editor who);

// ---- swipes ------------------------------------------------------------------------------------
struct SwipeIn {
  std::string uid, card_no;
  int64_t at_ms = 0;
};
// A swipe's own fields: uid and card number 1..kMaxSwipeIdLength printable ASCII, time not
// older than kSwipeMaxAgeMs and not ahead of now by more than kSwipeMaxSkewMs.
Status CheckSwipe(const SwipeIn& s, int64_t now_ms);
// Within one batch, the index of the first swipe with the same uid for each swipe (its own
// index when it is the first): a batch that carries a swipe twice stores it once.
std::vector<size_t> FirstOfUid(const std::vector<SwipeIn>& batch);
// The swipe that counts for a session: the earliest (by the device's time, whatever order they
// arrived in) within [start - kSwipeEarlyMinutes, end]; nullopt if none.
std::optional<int64_t> SessionSwipe(const SessionTime& s, const std::vector<int64_t>& swipe_ms);

// ---- leave -------------------------------------------------------------------------------------
struct Leave {
  Date from, to;
  std::vector<int64_t> sections;  // empty: every session of those days
  int64_t created_ms = 0;
};
// A new request: from <= to, at most kMaxLeaveDays days, from not before today (before the
// session: leave is asked for ahead, never backdated).
Status CheckLeave(const Leave& l, const Date& today);
// The leave covers the session when its day is in range, its section is named (or none are),
// and it was asked for before the session started.
bool LeaveCovers(const Leave& l, int64_t section_id, const SessionTime& s);

// ---- reconcile -----------------------------------------------------------------------------------
// A conflict between the card and the roll, shown to the teacher, never resolved by itself:
// swiped in but marked absent, or swiped in while on leave.
enum class Conflict { kNone, kSwipedButAbsent, kSwipedOnLeave };
std::string_view ConflictName(Conflict c);  // "", "swiped_absent", "swiped_on_leave"
Conflict Reconcile(std::optional<Mark> mark, bool on_leave, bool swiped);
// The status shown on the roster: the mark when there is one, else leave when a leave covers
// the session, else nullopt (not yet called).
std::optional<Mark> ShownStatus(std::optional<Mark> mark, bool on_leave);
// An absence alert is due: marked absent and no leave covers the session.
bool UnexcusedAbsence(Mark m, bool on_leave);

}  // namespace kehou::attendance
