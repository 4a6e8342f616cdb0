// store.h (pickup): the SQL of dismissal and pickup as named constants and the functions that run
// them on a caller's Conn (inside its Read/Write). Tested on both databases through service_test.
// Thread-safety: stateless; the Conn belongs to the caller.
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "attendance/present.h"
#include "core/time.h"
#include "db/db.h"
#include "pickup/rules.h"

namespace kehou::pickup::store {

struct Child {
  int64_t id = 0, class_id = 0;
  std::string name, student_no, class_name;
};
std::optional<Child> ChildOf(db::Conn& c, int64_t school_id, int64_t student_id);
// The school of an active child (any school), for a guardian's request.
std::optional<int64_t> SchoolOfChild(db::Conn& c, int64_t student_id);
std::vector<Child> ChildrenOfClass(db::Conn& c, int64_t school_id, int64_t class_id);
std::vector<Child> ChildrenByIds(db::Conn& c, int64_t school_id, const std::vector<int64_t>& ids);
// Children whose name contains q (at most `limit`).
std::vector<Child> FindChildren(db::Conn& c, int64_t school_id, const std::string& q, int limit);
// The guardian's children (any school).
std::vector<std::pair<int64_t, int64_t>> ChildrenOfGuardian(db::Conn& c, int64_t guardian_id);  // (school, child)

struct Guardian {
  int64_t id = 0;
  std::string name, mobile, relation;
  bool primary = false;
};
std::vector<Guardian> GuardiansOf(db::Conn& c, int64_t school_id, int64_t student_id);
bool IsGuardianOf(db::Conn& c, int64_t guardian_id, int64_t student_id);

struct Proxy {
  int64_t id = 0, school_id = 0, student_id = 0;
  std::string name, relation, id_last4, mobile, valid_from, valid_to;
  std::string photo;  // loaded only where asked for
  bool has_photo = false;
  std::string form_name, form_type;
  bool revoked = false;
  std::string revoke_reason;
  int64_t created_at = 0;
};
std::vector<Proxy> ProxiesOf(db::Conn& c, int64_t school_id, int64_t student_id, bool with_photo);
std::optional<Proxy> LoadProxy(db::Conn& c, int64_t id, bool with_photo);
struct ProxyIn {
  std::string name, relation, id_last4, mobile, valid_from, valid_to, photo, form_name, form_type, form_data;
};
int64_t InsertProxy(db::Conn& c, int64_t school_id, int64_t student_id, const ProxyIn& p, int64_t user_id,
                    int64_t now_ms);
void RevokeProxy(db::Conn& c, int64_t id, const std::string& reason, int64_t now_ms);
// The signed form: (name, type, base64) if any.
std::optional<std::array<std::string, 3>> ProxyForm(db::Conn& c, int64_t id);
// Office list: proxies of the school, optionally matching a child's or the proxy's name.
std::vector<Proxy> SchoolProxies(db::Conn& c, int64_t school_id, const std::string& q, int64_t offset, int64_t limit,
                                 int64_t* total);

struct Restriction {
  int64_t id = 0, student_id = 0, adult_id = 0;
  std::string adult_kind, reason, document;
};
std::vector<Restriction> RestrictionsOf(db::Conn& c, int64_t school_id, int64_t student_id);
int64_t InsertRestriction(db::Conn& c, int64_t school_id, const Restriction& r, int64_t user_id, int64_t now_ms);

struct SelfLeave {
  int64_t guardian_id = 0;
  std::string form_name;
  bool active = false;
};
std::optional<SelfLeave> SelfLeaveOf(db::Conn& c, int64_t school_id, int64_t student_id);
void PutSelfLeave(db::Conn& c, int64_t school_id, int64_t student_id, int64_t guardian_id, bool active,
                  const std::string& form_name, const std::string& form_type, const std::string& form_data,
                  int64_t now_ms);

struct Card {
  int64_t id = 0, school_id = 0, student_id = 0, adult_id = 0;
  std::string adult_kind, token, code;
  bool revoked = false;
};
std::vector<Card> CardsOf(db::Conn& c, int64_t school_id, int64_t student_id);  // active cards
std::optional<Card> CardByToken(db::Conn& c, const std::string& token);
std::vector<Card> CardsByCode(db::Conn& c, int64_t school_id, const std::string& code_prefix);
std::optional<Card> LoadCard(db::Conn& c, int64_t id);
int64_t InsertCard(db::Conn& c, const Card& k, int64_t now_ms);
// Revokes the active card(s) of one adult for one child; answers how many.
int64_t RevokeCards(db::Conn& c, int64_t school_id, int64_t student_id, const std::string& kind, int64_t adult_id,
                    int64_t now_ms);

// Batch choices: day "" is the default. Answers the batch id chosen for `day` (that day's, else
// the default) if any.
std::optional<int64_t> ChosenBatch(db::Conn& c, int64_t school_id, int64_t student_id, const std::string& day);
std::map<int64_t, int64_t> ChosenBatches(db::Conn& c, int64_t school_id, const std::string& day);  // all children
void PutBatchChoice(db::Conn& c, int64_t school_id, int64_t student_id, const std::string& day, int64_t batch_id,
                    int64_t user_id, int64_t now_ms);

struct Handover {
  int64_t id = 0, student_id = 0, at = 0;
  std::optional<int64_t> batch_id, adult_id;
  std::string adult_kind, adult_name, relation, by_name;
};
std::map<int64_t, Handover> HandoversOn(db::Conn& c, int64_t school_id, const std::string& day);
std::optional<Handover> HandoverOf(db::Conn& c, int64_t school_id, const std::string& day, int64_t student_id);
int64_t InsertHandover(db::Conn& c, int64_t school_id, const std::string& day, const Handover& h,
                       std::optional<int64_t> card_id, int64_t by_user_id);

struct Arrival {
  int64_t id = 0, student_id = 0, adult_id = 0, at = 0;
  std::optional<int64_t> batch_id;
  std::string adult_kind, adult_name;
};
std::vector<Arrival> ArrivalsOn(db::Conn& c, int64_t school_id, const std::string& day);  // in order
// The child's place in the day's open queue (arrivals not yet handed over, in order: 1 is first),
// with their arrival; nullopt when the child has not announced or has left. Two queries whatever
// the queue's length (the gate's queue at the dismissal peak holds hundreds).
struct QueuePlace {
  Arrival arrival;
  int position = 0;
};
std::optional<QueuePlace> QueuePlaceOf(db::Conn& c, int64_t school_id, const std::string& day, int64_t student_id);
// A child's day at the gate (a guardian's status): the handover, else the open arrival and its
// place, and the highest late step, in one statement.
struct ChildDay {
  std::optional<Handover> left;
  std::optional<QueuePlace> queued;
  int late_step = 0;
};
ChildDay ChildDayOf(db::Conn& c, int64_t school_id, const std::string& day, int64_t student_id);
// A child's day at the gate read from a row's 13 columns starting at `at` (kChildDay's and the
// guardian's status statement's, store_status.cpp): the handover (id, at, batch, adult id, kind, name,
// relation, by), the open arrival (id, at, adult's name) with its place in the queue, the late step.
ChildDay ChildDayAt(const db::Row& r, size_t at, int64_t student_id);
// A guardian's status of the day (GET /pickup/my-children) in ONE statement: each of their active
// children (by id) with the school, the batch of the day (the choice for the day, else the default
// choice, else the approved application's of the current term; only an active batch), the day at
// the gate as ChildDayOf and the child's presence as attendance::PresenceOn(c, school, day, child)
// gives it (roll-call presences by band, then the first swipe; attendance's rule restated in this
// statement, pinned equal by the tests). `today` picks the current term when none is marked current.
struct GuardianChild {
  int64_t school_id = 0;
  Child child;
  std::optional<int64_t> batch_id;
  std::string batch_name, batch_leave_time;
  ChildDay gate;
  std::vector<attendance::Presence> presence;
};
std::vector<GuardianChild> GuardianChildDays(db::Conn& c, int64_t guardian_id, const std::string& day,
                                             const std::string& today);
// The child's batch id on `day` as GuardianChildDays chooses it (active or not), in one statement.
std::optional<int64_t> BatchIdOf(db::Conn& c, int64_t school_id, int64_t student_id, const std::string& day,
                                 const std::string& today);
// False when the child is queued already that day, or has left (a handover that day).
bool InsertArrival(db::Conn& c, int64_t school_id, const std::string& day, const Arrival& a);

// Reads above as db::Fetch (the same statements and rows), to be sent with others in one round trip
// (db::FetchAll): an arrival's checks and its write are two round trips of these (session 25).
db::Fetch<std::optional<Child>> ChildFetch(int64_t school_id, int64_t student_id);
db::Fetch<std::optional<int64_t>> SchoolOfChildFetch(int64_t student_id);
db::Fetch<std::vector<Guardian>> GuardiansFetch(int64_t school_id, int64_t student_id);
db::Fetch<bool> IsGuardianOfFetch(int64_t guardian_id, int64_t student_id);
db::Fetch<std::optional<Proxy>> ProxyFetch(int64_t id, bool with_photo);
db::Fetch<std::vector<Restriction>> RestrictionsFetch(int64_t school_id, int64_t student_id);
db::Fetch<ChildDay> ChildDayFetch(int64_t school_id, const std::string& day, int64_t student_id);
db::Fetch<std::optional<int64_t>> BatchIdFetch(int64_t school_id, int64_t student_id, const std::string& day,
                                               const std::string& today);
db::Fetch<bool> InsertArrivalFetch(int64_t school_id, const std::string& day, const Arrival& a);  // true: inserted

// Escalation steps reached per child on a day; InsertEscalation is false when the step is there.
std::map<int64_t, int> EscalationsOn(db::Conn& c, int64_t school_id, const std::string& day);
int EscalationOf(db::Conn& c, int64_t school_id, const std::string& day, int64_t student_id);  // 0: none
bool InsertEscalation(db::Conn& c, int64_t school_id, const std::string& day, int64_t student_id, int step,
                      int64_t now_ms);

// The school's escalation rule (pickup_settings), or the defaults when it has none.
LateRule LateRuleOf(db::Conn& c, int64_t school_id);
void PutLateRule(db::Conn& c, int64_t school_id, const LateRule& r, int64_t user_id, int64_t now_ms);

struct DayClose {
  int64_t present = 0, closed_by = 0, closed_at = 0;
  std::string closed_by_name;
};
std::optional<DayClose> DayCloseOf(db::Conn& c, int64_t school_id, const std::string& day);
void InsertDayClose(db::Conn& c, int64_t school_id, const std::string& day, int64_t present, int64_t user_id,
                    int64_t now_ms);
// Closed days among `days`.
std::vector<std::string> ClosedDays(db::Conn& c, int64_t school_id, const std::string& from, const std::string& to);

// Staff to tell: the child's class teacher; the school's office (office director and staff) and
// leaders (principal, vice principal): staff ids of active accounts.
std::optional<int64_t> ClassTeacherOf(db::Conn& c, int64_t school_id, int64_t student_id);
std::vector<int64_t> StaffWithRoles(db::Conn& c, int64_t school_id, const std::vector<std::string>& roles);

}  // namespace kehou::pickup::store

namespace kehou::pickup::store {
// Every school's id (the clock's sweep).
std::vector<int64_t> SchoolIds(db::Conn& c);
}  // namespace kehou::pickup::store
