// service.h (pickup): dismissal and pickup at the gate (issue 13 §3, R-DAY-5/6). One function per
// use case; each write runs in one db.Write with its audit row (and its outbox rows, notify).
// - Authorised adults of a child: the guardians (people) and proxies with a written
//   authorisation (dates inclusive, ID last four only, optional photo and signed form); custody or
//   court restrictions on an adult (the office's) are a hard refusal.
// - Pickup cards: one active card per child and adult; the token (100 random bits) is the QR code's
//   content, its first kCodeChars characters are printed large and searchable at the gate.
// - The gate (guard, teachers, office): scan or search, see the verdict; a handover (one per child
//   per day) records who handed the child to whom, when. A refusal answers 422 whose field is the
//   reason code (restricted, revoked, expired, ...) and is audited (pickup_refused).
// - Arrivals (我到了) queue the child for the gate; late collection escalates by the rules' steps
//   (outbox rows once per step); the end-of-day check closes a day only when every child present
//   (attendance::PresenceOn) has left.
// Scope: a guardian sees and changes only their own children's (others answer not_found); staff
// their own school's. Nobody's full ID number appears in any answer (proxies keep four characters).
// Thread-safety: stateless functions over a thread-safe Db.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "access/principal.h"
#include "core/file_out.h"
#include "core/result.h"
#include "core/time.h"
#include "db/db.h"

namespace kehou::pickup {

using Json = nlohmann::json;
using SchoolArg = std::optional<int64_t>;

// ---- authorised adults (adults.cpp) ----
// GET /pickup/children/:id/adults: {child, guardians:[{id, name, relation, mobile (masked), restricted,
// card}], proxies:[{id, name, relation, id_last4, valid_from, valid_to, status, status_label, photo,
// has_form, revoked, revoke_reason, card}], restrictions, self_leave, batch:{today, default, batches}}.
Result<Json> ChildAdults(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t student_id, int64_t now_ms);
// POST /pickup/proxies {student_id, name, relation, id_last4, mobile?, valid_from, valid_to, photo?
// (data URL), form:{name, type, data (base64)}} -> the proxy with its new card. The signed form is
// required. At most kMaxProxiesPerChild active proxies.
Result<Json> CreateProxy(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body, int64_t now_ms);
// POST /pickup/proxies/:id/revoke {reason}: the proxy and their cards.
Result<Json> RevokeProxy(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t id, const Json& body,
                         int64_t now_ms);
// GET /pickup/proxies/:id/form: the signed form as uploaded.
Result<FileOut> ProxyForm(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t id);
// GET /pickup/proxies?q=&page=&size= (the office): {items, total}.
Result<Json> ListProxies(db::Db& db, const auth::Principal& who, SchoolArg school, const std::string& q, int64_t page,
                         int64_t size, int64_t now_ms);
// POST /pickup/restrictions {student_id, adult_kind, adult_id, reason, document} (the office).
Result<Json> CreateRestriction(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body,
                               int64_t now_ms);
// PUT /pickup/self-leave {student_id, allowed, form?:{name, type, data}} (a guardian; the form is
// required to allow).
Result<Json> PutSelfLeave(db::Db& db, const auth::Principal& who, const Json& body, int64_t now_ms);
// PUT /pickup/batch-choice {student_id, batch_id, date?} (a guardian; no date: the default; a date:
// that day only, today or later).
Result<Json> ChooseBatch(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body, int64_t now_ms);

// ---- cards (cards.cpp) ----
// POST /pickup/cards {student_id, adult_kind, adult_id}: a new card (the adult's earlier card is revoked).
Result<Json> IssueCard(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body, int64_t now_ms);
// POST /pickup/cards/:id/revoke.
Result<Json> RevokeCard(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t id, int64_t now_ms);
// GET /pickup/cards/print?class_id=: a PDF of the class's cards (four to a page), issuing the
// missing cards of every authorised adult first (one write, audited). `base_url` makes the QR
// code's link (the card's phone page), else the bare token.
Result<FileOut> PrintCards(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t class_id,
                           const std::string& base_url, int64_t now_ms);

// ---- the gate (gate.cpp) ----
// POST /pickup/gate/lookup {token? | q?}: {items:[{child, adult, ok, reason_code, reason, batch}]}:
// a scanned card (token, or a link holding one), or a search by child name or card code.
Result<Json> GateLookup(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body, int64_t now_ms);
// POST /pickup/handovers {student_id, adult_kind, adult_id?, card_token?, date? (the office only)}:
// the handover, or 422 with the refusal's reason (audited as pickup_refused).
Result<Json> Handover(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body, int64_t now_ms);
// GET /pickup/gate?date=: the day's batches with their children (present that day): status
// waiting|queued|left, late step, left with whom.
Result<Json> GateList(db::Db& db, const auth::Principal& who, SchoolArg school, std::optional<Date> day,
                      int64_t now_ms);
// POST /pickup/arrivals {student_id} (a guardian) and POST /pickup/arrivals/card {token} (a proxy's
// card: no account): the child joins today's gate queue.
Result<Json> Arrive(db::Db& db, const auth::Principal& who, const Json& body, int64_t now_ms);
Result<Json> ArriveByCard(db::Db& db, const Json& body, const std::string& client, int64_t now_ms);
// GET /pickup/card?token= (public, the card's phone page): the child and the adult with the verdict;
// 200 {found:false} for an unknown token, {ok:false, reason_code:card_revoked} for a revoked card.
Result<Json> CardInfo(db::Db& db, const std::string& token, int64_t now_ms);
// GET /pickup/queue?date=: today's queue in order of arrival (not yet handed over), with the adult's
// authorisation and photo.
Result<Json> Queue(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t now_ms);

// ---- late collection and the end of the day (day.cpp) ----
// The clock: for every school, children present today and not collected after their batch's end
// get each due escalation step once (outbox rows: +10 guardians, +20 class teacher and office,
// +40 leaders). Answers the steps written.
int EscalateLate(db::Db& db, int64_t now_ms);
// GET /pickup/settings -> {late_guardian_minutes, late_office_minutes, late_leader_minutes} (the
// school's, else the defaults 10/20/40). PUT the same (absent fields unchanged): each 1..240,
// increasing, else 400 naming the field; audited (update pickup_settings, before/after).
Result<Json> GetSettings(db::Db& db, const auth::Principal& who, SchoolArg school);
Result<Json> PutSettings(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body, int64_t now_ms);
// GET /pickup/day?date=: {date, closed, present, left, unaccounted:[...], children:[...], days:[recent]}.
Result<Json> DayBoard(db::Db& db, const auth::Principal& who, SchoolArg school, std::optional<Date> day,
                      int64_t now_ms);
// POST /pickup/day/close {date}: 409 naming the children not accounted for; closed once (audited).
Result<Json> CloseDay(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body, int64_t now_ms);
// GET /pickup/my-children (a guardian): today's status of each child.
Result<Json> MyChildren(db::Db& db, const auth::Principal& who, int64_t now_ms);

// ---- for the demo's history (history.cpp): on the caller's transaction, no gate checks ----
// The guardian's children at the school (people's guardian links), in the order people keeps.
std::vector<int64_t> ChildrenOfGuardianAt(db::Conn& c, int64_t guardian_id, int64_t school_id);
// A child's guardian as the gate lists them: the first of the child's guardians (primary first).
struct ChildGuardian {
  int64_t id = 0;
  std::string name, relation;
};
std::optional<ChildGuardian> FirstGuardianOf(db::Conn& c, int64_t school_id, int64_t student_id);
// Records the child's default dismissal batch (every day's, as ChooseBatch without a date) as
// chosen by `user_id` at `now_ms`. No audit: the caller audits the whole load.
void RecordBatchChoice(db::Conn& c, int64_t school_id, int64_t student_id, int64_t batch_id, int64_t user_id,
                       int64_t now_ms);
// Records a past day's handover of the child to guardian `g` at `at_ms` by the guard `by_user_id`
// (`by_name` shown on the gate list), at batch `batch_id`, with no card. No verdict (the caller
// hands only to the child's own guardian), no audit: the caller audits the whole load.
void RecordPastHandover(db::Conn& c, int64_t school_id, const Date& day, int64_t student_id, int64_t batch_id,
                        const ChildGuardian& g, const std::string& by_name, int64_t at_ms, int64_t by_user_id);

}  // namespace kehou::pickup
