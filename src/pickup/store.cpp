#include "pickup/store.h"

#include <set>

namespace kehou::pickup::store {
namespace {

using db::Params;

constexpr const char* kChildCols =
    "SELECT s.id, s.class_id, s.name, s.student_no, c.name FROM students s JOIN classes c ON c.id = s.class_id ";
constexpr const char* kChild = "WHERE s.school_id = $1 AND s.id = $2";
constexpr const char* kSchoolOfChild = "SELECT school_id FROM students WHERE id = $1 AND active = 1";
constexpr const char* kClassChildren =
    "WHERE s.school_id = $1 AND s.class_id = $2 AND s.active = 1 ORDER BY s.student_no";
constexpr const char* kAllChildren = "WHERE s.school_id = $1 ORDER BY c.name, s.student_no";
constexpr const char* kFindChildren =
    "WHERE s.school_id = $1 AND s.active = 1 AND s.name LIKE '%' || $2 || '%' ORDER BY s.name, s.student_no LIMIT $3";
constexpr const char* kChildrenOfGuardian =
    "SELECT sg.school_id, sg.student_id FROM student_guardians sg JOIN students s ON s.id = sg.student_id"
    " WHERE sg.guardian_id = $1 AND s.active = 1 ORDER BY sg.student_id";
constexpr const char* kGuardians =
    "SELECT g.id, g.name, g.mobile, sg.relation, sg.is_primary FROM student_guardians sg JOIN guardians g"
    " ON g.id = sg.guardian_id WHERE sg.school_id = $1 AND sg.student_id = $2 ORDER BY sg.is_primary DESC, g.id";
constexpr const char* kIsGuardian = "SELECT 1 FROM student_guardians WHERE guardian_id = $1 AND student_id = $2";

constexpr const char* kProxyCols =
    "SELECT id, school_id, student_id, name, relation, id_last4, mobile, valid_from, valid_to,"
    " CASE WHEN photo = '' THEN 0 ELSE 1 END, form_name, form_type, revoked, revoke_reason, created_at, ";
constexpr const char* kProxiesOf = "FROM pickup_proxies WHERE school_id = $1 AND student_id = $2 ORDER BY revoked, id";
constexpr const char* kProxy = "FROM pickup_proxies WHERE id = $1";
constexpr const char* kInsertProxy =
    "INSERT INTO pickup_proxies (school_id, student_id, name, relation, id_last4, mobile, valid_from, valid_to, photo,"
    " form_name, form_type, form_data, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,"
    " $12, $13, $14) RETURNING id";
constexpr const char* kRevokeProxy =
    "UPDATE pickup_proxies SET revoked = 1, revoke_reason = $2, revoked_at = $3 WHERE id = $1";
constexpr const char* kProxyForm = "SELECT form_name, form_type, form_data FROM pickup_proxies WHERE id = $1";
constexpr const char* kSchoolProxiesWhere =
    "FROM pickup_proxies p JOIN students s ON s.id = p.student_id WHERE p.school_id = $1"
    " AND ($2 = '' OR p.name LIKE '%' || $2 || '%' OR s.name LIKE '%' || $2 || '%')";

constexpr const char* kRestrictions =
    "SELECT id, student_id, adult_kind, adult_id, reason, document FROM pickup_restrictions"
    " WHERE school_id = $1 AND student_id = $2 AND active = 1 ORDER BY id";
constexpr const char* kInsertRestriction =
    "INSERT INTO pickup_restrictions (school_id, student_id, adult_kind, adult_id, reason, document, created_by,"
    " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";

constexpr const char* kSelfLeave =
    "SELECT guardian_id, form_name, active FROM pickup_self_leave WHERE school_id = $1 AND student_id = $2";
constexpr const char* kDeleteSelfLeave = "DELETE FROM pickup_self_leave WHERE school_id = $1 AND student_id = $2";
constexpr const char* kInsertSelfLeave =
    "INSERT INTO pickup_self_leave (school_id, student_id, guardian_id, form_name, form_type, form_data, active,"
    " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

constexpr const char* kCardCols =
    "SELECT id, school_id, student_id, adult_kind, adult_id, token, code, revoked FROM pickup_cards ";
constexpr const char* kCardsOf = "WHERE school_id = $1 AND student_id = $2 AND revoked = 0 ORDER BY id";
constexpr const char* kCardByToken = "WHERE token = $1";
constexpr const char* kCardsByCode = "WHERE school_id = $1 AND code LIKE $2 || '%' ORDER BY revoked, id LIMIT 20";
constexpr const char* kCardById = "WHERE id = $1";
constexpr const char* kInsertCard =
    "INSERT INTO pickup_cards (school_id, student_id, adult_kind, adult_id, token, code, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
constexpr const char* kRevokeCards =
    "UPDATE pickup_cards SET revoked = 1, revoked_at = $5 WHERE school_id = $1 AND student_id = $2"
    " AND adult_kind = $3 AND adult_id = $4 AND revoked = 0";

constexpr const char* kChosen =
    "SELECT batch_id FROM pickup_batch_choices WHERE school_id = $1 AND student_id = $2 AND day IN ($3, '')"
    " ORDER BY day DESC LIMIT 1";
constexpr const char* kAllChosen =
    "SELECT student_id, batch_id, day FROM pickup_batch_choices WHERE school_id = $1 AND day IN ($2, '')"
    " ORDER BY student_id, day";
constexpr const char* kUpdateChoice =
    "UPDATE pickup_batch_choices SET batch_id = $4, by_user_id = $5, updated_at = $6 WHERE school_id = $1"
    " AND student_id = $2 AND day = $3";
constexpr const char* kInsertChoice =
    "INSERT INTO pickup_batch_choices (school_id, student_id, day, batch_id, by_user_id, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6)";

constexpr const char* kHandoverCols =
    "SELECT id, student_id, at, batch_id, adult_id, adult_kind, adult_name, relation, by_name FROM pickup_handovers ";
constexpr const char* kHandoversOn = "WHERE school_id = $1 AND day = $2";
constexpr const char* kHandoverOf = "WHERE school_id = $1 AND day = $2 AND student_id = $3";
constexpr const char* kInsertHandover =
    "INSERT INTO pickup_handovers (school_id, day, student_id, batch_id, adult_kind, adult_id, adult_name, relation,"
    " card_id, by_user_id, by_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id";

constexpr const char* kArrivalsOn =
    "SELECT id, student_id, adult_id, at, batch_id, adult_kind, adult_name FROM pickup_arrivals"
    " WHERE school_id = $1 AND day = $2 ORDER BY at, id";
constexpr const char* kArrivalOf =
    "SELECT id, student_id, adult_id, at, batch_id, adult_kind, adult_name FROM pickup_arrivals"
    " WHERE school_id = $1 AND day = $2 AND student_id = $3";
// Open arrivals (no handover yet) up to and including (at, id), in ArrivalsOn's order.
constexpr const char* kQueueAhead =
    "SELECT COUNT(*) FROM pickup_arrivals a WHERE a.school_id = $1 AND a.day = $2 AND (a.at < $3 OR (a.at = $3"
    " AND a.id <= $4)) AND NOT EXISTS (SELECT 1 FROM pickup_handovers h WHERE h.school_id = a.school_id"
    " AND h.day = a.day AND h.student_id = a.student_id)";
// One child's day at the gate in one statement, in ChildDayAt's 13 columns: the handover (as
// kHandoverCols but the student), the arrival with its place in the open queue (as kQueueAhead), the
// highest late step.
constexpr const char* kChildDay =
    "SELECT h.id, h.at, h.batch_id, h.adult_id, h.adult_kind, h.adult_name, h.relation, h.by_name,"
    " a.id, a.at, a.adult_name,"
    " CASE WHEN a.id IS NULL OR h.id IS NOT NULL THEN 0 ELSE (SELECT COUNT(*) FROM pickup_arrivals q"
    "  WHERE q.school_id = $1 AND q.day = $2 AND (q.at < a.at OR (q.at = a.at AND q.id <= a.id))"
    "  AND NOT EXISTS (SELECT 1 FROM pickup_handovers x WHERE x.school_id = q.school_id AND x.day = q.day"
    "  AND x.student_id = q.student_id)) END,"
    " (SELECT COALESCE(MAX(e.step), 0) FROM pickup_escalations e WHERE e.school_id = $1 AND e.day = $2"
    "  AND e.student_id = $3)"
    " FROM (SELECT 1 AS one) k"
    " LEFT JOIN pickup_handovers h ON h.school_id = $1 AND h.day = $2 AND h.student_id = $3"
    " LEFT JOIN pickup_arrivals a ON a.school_id = $1 AND a.day = $2 AND a.student_id = $3";
// One arrival per child and day: a second announcement (another guardian of the child, a retry)
// arriving at the same moment waits for the first one's row and then changes nothing, instead of
// failing on the unique index (a check-then-insert raced on PostgreSQL: 409 at the peak).
// Nor is a child who has left that day queued (the handover checked in the same statement; "WHERE"
// lets SQLite parse INSERT ... SELECT ... ON CONFLICT; the casts type the parameters on PostgreSQL).
constexpr const char* kInsertArrival =
    "INSERT INTO pickup_arrivals (school_id, day, student_id, batch_id, adult_kind, adult_id, adult_name, at)"
    " SELECT CAST($1 AS BIGINT), CAST($2 AS TEXT), CAST($3 AS BIGINT), CAST($4 AS BIGINT), CAST($5 AS TEXT),"
    " CAST($6 AS BIGINT), CAST($7 AS TEXT), CAST($8 AS BIGINT) WHERE NOT EXISTS (SELECT 1 FROM pickup_handovers h"
    " WHERE h.school_id = $1 AND h.day = $2 AND h.student_id = $3)"
    " ON CONFLICT (school_id, day, student_id) DO NOTHING RETURNING student_id";

constexpr const char* kEscalationsOn =
    "SELECT student_id, MAX(step) FROM pickup_escalations WHERE school_id = $1 AND day = $2 GROUP BY student_id";
constexpr const char* kEscalationOf =
    "SELECT COALESCE(MAX(step), 0) FROM pickup_escalations WHERE school_id = $1 AND day = $2 AND student_id = $3";
constexpr const char* kEscalationExists =
    "SELECT 1 FROM pickup_escalations WHERE school_id = $1 AND day = $2 AND student_id = $3 AND step = $4";
constexpr const char* kInsertEscalation =
    "INSERT INTO pickup_escalations (school_id, day, student_id, step, at) VALUES ($1, $2, $3, $4, $5)";

constexpr const char* kLateRule =
    "SELECT late_guardian_minutes, late_office_minutes, late_leader_minutes FROM pickup_settings WHERE school_id = $1";
constexpr const char* kPutLateRule =
    "INSERT INTO pickup_settings (school_id, late_guardian_minutes, late_office_minutes, late_leader_minutes,"
    " updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (school_id) DO UPDATE SET"
    " late_guardian_minutes = excluded.late_guardian_minutes, late_office_minutes = excluded.late_office_minutes,"
    " late_leader_minutes = excluded.late_leader_minutes, updated_by = excluded.updated_by,"
    " updated_at = excluded.updated_at";
constexpr const char* kDayClose =
    "SELECT d.present, d.closed_by, d.closed_at, COALESCE(u.display_name, '') FROM pickup_day_closes d"
    " LEFT JOIN users u ON u.id = d.closed_by WHERE d.school_id = $1 AND d.day = $2";
constexpr const char* kInsertDayClose =
    "INSERT INTO pickup_day_closes (school_id, day, present, closed_by, closed_at) VALUES ($1, $2, $3, $4, $5)";
constexpr const char* kClosedDays =
    "SELECT day FROM pickup_day_closes WHERE school_id = $1 AND day >= $2 AND day <= $3 ORDER BY day";

constexpr const char* kClassTeacher =
    "SELECT c.class_teacher_id FROM students s JOIN classes c ON c.id = s.class_id WHERE s.school_id = $1"
    " AND s.id = $2 AND c.class_teacher_id IS NOT NULL";
constexpr const char* kStaffWithRole =
    "SELECT DISTINCT staff_id FROM users WHERE school_id = $1 AND role = $2 AND disabled = 0 AND staff_id IS NOT NULL"
    " ORDER BY staff_id";

Child ChildRow(const db::Row& r) { return {r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4)}; }
std::vector<Child> Children(db::Conn& c, const char* where, const Params& p) {
  std::vector<Child> out;
  for (const auto& r : c.Query(std::string(kChildCols) + where, p)) out.push_back(ChildRow(r));
  return out;
}

Proxy ProxyRow(const db::Row& r, bool with_photo) {
  Proxy p;
  p.id = r.Int(0);
  p.school_id = r.Int(1);
  p.student_id = r.Int(2);
  p.name = r.Text(3);
  p.relation = r.Text(4);
  p.id_last4 = r.Text(5);
  p.mobile = r.Text(6);
  p.valid_from = r.Text(7);
  p.valid_to = r.Text(8);
  p.has_photo = r.Int(9) != 0;
  p.form_name = r.Text(10);
  p.form_type = r.Text(11);
  p.revoked = r.Int(12) != 0;
  p.revoke_reason = r.Text(13);
  p.created_at = r.Int(14);
  if (with_photo) p.photo = r.Text(15);
  return p;
}
std::string ProxySelect(bool with_photo, const char* rest) {
  return std::string(kProxyCols) + (with_photo ? "photo " : "'' ") + rest;
}

Card CardRow(const db::Row& r) {
  return {r.Int(0), r.Int(1), r.Int(2), r.Int(4), r.Text(3), r.Text(5), r.Text(6), r.Int(7) != 0};
}

Handover HandoverRow(const db::Row& r) {
  Handover h;
  h.id = r.Int(0);
  h.student_id = r.Int(1);
  h.at = r.Int(2);
  h.batch_id = r.OptInt(3);
  h.adult_id = r.OptInt(4);
  h.adult_kind = r.Text(5);
  h.adult_name = r.Text(6);
  h.relation = r.Text(7);
  h.by_name = r.Text(8);
  return h;
}

}  // namespace

db::Fetch<std::optional<Child>> ChildFetch(int64_t school_id, int64_t student_id) {
  static const std::string sql = std::string(kChildCols) + kChild;
  return {{sql, {school_id, student_id}}, [](const db::Rows& rows) {
            return rows.empty() ? std::nullopt : std::optional<Child>(ChildRow(rows.front()));
          }};
}
std::optional<Child> ChildOf(db::Conn& c, int64_t school_id, int64_t student_id) {
  return db::FetchOne(c, ChildFetch(school_id, student_id));
}
db::Fetch<std::optional<int64_t>> SchoolOfChildFetch(int64_t student_id) {
  return {{kSchoolOfChild, {student_id}}, [](const db::Rows& rows) {
            return rows.empty() ? std::nullopt : std::optional<int64_t>(rows.front().Int(0));
          }};
}
std::optional<int64_t> SchoolOfChild(db::Conn& c, int64_t student_id) {
  return db::FetchOne(c, SchoolOfChildFetch(student_id));
}
std::vector<Child> ChildrenOfClass(db::Conn& c, int64_t school_id, int64_t class_id) {
  return Children(c, kClassChildren, {school_id, class_id});
}
std::vector<Child> ChildrenByIds(db::Conn& c, int64_t school_id, const std::vector<int64_t>& ids) {
  std::set<int64_t> want(ids.begin(), ids.end());
  std::vector<Child> out;
  if (want.empty()) return out;
  for (auto& ch : Children(c, kAllChildren, {school_id}))
    if (want.count(ch.id)) out.push_back(std::move(ch));
  return out;
}
std::vector<Child> FindChildren(db::Conn& c, int64_t school_id, const std::string& q, int limit) {
  return Children(c, kFindChildren, {school_id, q, int64_t{limit}});
}
std::vector<std::pair<int64_t, int64_t>> ChildrenOfGuardian(db::Conn& c, int64_t guardian_id) {
  std::vector<std::pair<int64_t, int64_t>> out;
  for (const auto& r : c.Query(kChildrenOfGuardian, {guardian_id})) out.emplace_back(r.Int(0), r.Int(1));
  return out;
}

db::Fetch<std::vector<Guardian>> GuardiansFetch(int64_t school_id, int64_t student_id) {
  return {{kGuardians, {school_id, student_id}}, [](const db::Rows& rows) {
            std::vector<Guardian> out;
            for (const auto& r : rows) out.push_back({r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4) != 0});
            return out;
          }};
}
std::vector<Guardian> GuardiansOf(db::Conn& c, int64_t school_id, int64_t student_id) {
  return db::FetchOne(c, GuardiansFetch(school_id, student_id));
}
db::Fetch<bool> IsGuardianOfFetch(int64_t guardian_id, int64_t student_id) {
  return {{kIsGuardian, {guardian_id, student_id}}, [](const db::Rows& rows) { return !rows.empty(); }};
}
bool IsGuardianOf(db::Conn& c, int64_t guardian_id, int64_t student_id) {
  return db::FetchOne(c, IsGuardianOfFetch(guardian_id, student_id));
}

std::vector<Proxy> ProxiesOf(db::Conn& c, int64_t school_id, int64_t student_id, bool with_photo) {
  std::vector<Proxy> out;
  for (const auto& r : c.Query(ProxySelect(with_photo, kProxiesOf), {school_id, student_id}))
    out.push_back(ProxyRow(r, with_photo));
  return out;
}
db::Fetch<std::optional<Proxy>> ProxyFetch(int64_t id, bool with_photo) {
  static const std::string with = ProxySelect(true, kProxy), without = ProxySelect(false, kProxy);
  return {{with_photo ? with : without, {id}}, [with_photo](const db::Rows& rows) {
            return rows.empty() ? std::nullopt : std::optional<Proxy>(ProxyRow(rows.front(), with_photo));
          }};
}
std::optional<Proxy> LoadProxy(db::Conn& c, int64_t id, bool with_photo) {
  return db::FetchOne(c, ProxyFetch(id, with_photo));
}
int64_t InsertProxy(db::Conn& c, int64_t school_id, int64_t student_id, const ProxyIn& p, int64_t user_id,
                    int64_t now_ms) {
  return c.Insert(kInsertProxy, {school_id, student_id, p.name, p.relation, p.id_last4, p.mobile, p.valid_from,
                                 p.valid_to, p.photo, p.form_name, p.form_type, p.form_data, user_id, now_ms});
}
void RevokeProxy(db::Conn& c, int64_t id, const std::string& reason, int64_t now_ms) {
  c.Exec(kRevokeProxy, {id, reason, now_ms});
}
std::optional<std::array<std::string, 3>> ProxyForm(db::Conn& c, int64_t id) {
  auto r = c.QueryOne(kProxyForm, {id});
  if (!r || r->Text(2).empty()) return std::nullopt;
  return std::array<std::string, 3>{r->Text(0), r->Text(1), r->Text(2)};
}
std::vector<Proxy> SchoolProxies(db::Conn& c, int64_t school_id, const std::string& q, int64_t offset, int64_t limit,
                                 int64_t* total) {
  *total = c.QueryOne(std::string("SELECT COUNT(*) ") + kSchoolProxiesWhere, {school_id, q})->Int(0);
  std::string sql =
      "SELECT p.id, p.school_id, p.student_id, p.name, p.relation, p.id_last4, p.mobile, p.valid_from,"
      " p.valid_to, CASE WHEN p.photo = '' THEN 0 ELSE 1 END, p.form_name, p.form_type, p.revoked,"
      " p.revoke_reason, p.created_at, '' " +
      std::string(kSchoolProxiesWhere) + " ORDER BY p.revoked, p.valid_to DESC, p.id LIMIT $3 OFFSET $4";
  std::vector<Proxy> out;
  for (const auto& r : c.Query(sql, {school_id, q, limit, offset})) out.push_back(ProxyRow(r, false));
  return out;
}

db::Fetch<std::vector<Restriction>> RestrictionsFetch(int64_t school_id, int64_t student_id) {
  return {{kRestrictions, {school_id, student_id}}, [](const db::Rows& rows) {
            std::vector<Restriction> out;
            for (const auto& r : rows) out.push_back({r.Int(0), r.Int(1), r.Int(3), r.Text(2), r.Text(4), r.Text(5)});
            return out;
          }};
}
std::vector<Restriction> RestrictionsOf(db::Conn& c, int64_t school_id, int64_t student_id) {
  return db::FetchOne(c, RestrictionsFetch(school_id, student_id));
}
int64_t InsertRestriction(db::Conn& c, int64_t school_id, const Restriction& r, int64_t user_id, int64_t now_ms) {
  return c.Insert(kInsertRestriction,
                  {school_id, r.student_id, r.adult_kind, r.adult_id, r.reason, r.document, user_id, now_ms});
}

std::optional<SelfLeave> SelfLeaveOf(db::Conn& c, int64_t school_id, int64_t student_id) {
  auto r = c.QueryOne(kSelfLeave, {school_id, student_id});
  if (!r) return std::nullopt;
  return SelfLeave{r->Int(0), r->Text(1), r->Int(2) != 0};
}
void PutSelfLeave(db::Conn& c, int64_t school_id, int64_t student_id, int64_t guardian_id, bool active,
                  const std::string& form_name, const std::string& form_type, const std::string& form_data,
                  int64_t now_ms) {
  c.Exec(kDeleteSelfLeave, {school_id, student_id});
  c.Exec(kInsertSelfLeave,
         {school_id, student_id, guardian_id, form_name, form_type, form_data, int64_t{active ? 1 : 0}, now_ms});
}

std::vector<Card> CardsOf(db::Conn& c, int64_t school_id, int64_t student_id) {
  std::vector<Card> out;
  for (const auto& r : c.Query(std::string(kCardCols) + kCardsOf, {school_id, student_id})) out.push_back(CardRow(r));
  return out;
}
std::optional<Card> CardByToken(db::Conn& c, const std::string& token) {
  auto r = c.QueryOne(std::string(kCardCols) + kCardByToken, {token});
  if (!r) return std::nullopt;
  return CardRow(*r);
}
std::vector<Card> CardsByCode(db::Conn& c, int64_t school_id, const std::string& code_prefix) {
  std::vector<Card> out;
  for (const auto& r : c.Query(std::string(kCardCols) + kCardsByCode, {school_id, code_prefix}))
    out.push_back(CardRow(r));
  return out;
}
std::optional<Card> LoadCard(db::Conn& c, int64_t id) {
  auto r = c.QueryOne(std::string(kCardCols) + kCardById, {id});
  if (!r) return std::nullopt;
  return CardRow(*r);
}
int64_t InsertCard(db::Conn& c, const Card& k, int64_t now_ms) {
  return c.Insert(kInsertCard, {k.school_id, k.student_id, k.adult_kind, k.adult_id, k.token, k.code, now_ms});
}
int64_t RevokeCards(db::Conn& c, int64_t school_id, int64_t student_id, const std::string& kind, int64_t adult_id,
                    int64_t now_ms) {
  return c.Exec(kRevokeCards, {school_id, student_id, kind, adult_id, now_ms});
}

std::optional<int64_t> ChosenBatch(db::Conn& c, int64_t school_id, int64_t student_id, const std::string& day) {
  auto r = c.QueryOne(kChosen, {school_id, student_id, day});
  if (!r) return std::nullopt;
  return r->Int(0);
}
std::map<int64_t, int64_t> ChosenBatches(db::Conn& c, int64_t school_id, const std::string& day) {
  std::map<int64_t, int64_t> out;  // rows by student, default ('') first: the day's choice overwrites it
  for (const auto& r : c.Query(kAllChosen, {school_id, day})) out[r.Int(0)] = r.Int(1);
  return out;
}
void PutBatchChoice(db::Conn& c, int64_t school_id, int64_t student_id, const std::string& day, int64_t batch_id,
                    int64_t user_id, int64_t now_ms) {
  if (c.Exec(kUpdateChoice, {school_id, student_id, day, batch_id, user_id, now_ms}) == 0)
    c.Exec(kInsertChoice, {school_id, student_id, day, batch_id, user_id, now_ms});
}

std::map<int64_t, Handover> HandoversOn(db::Conn& c, int64_t school_id, const std::string& day) {
  std::map<int64_t, Handover> out;
  for (const auto& r : c.Query(std::string(kHandoverCols) + kHandoversOn, {school_id, day})) {
    auto h = HandoverRow(r);
    out[h.student_id] = h;
  }
  return out;
}
std::optional<Handover> HandoverOf(db::Conn& c, int64_t school_id, const std::string& day, int64_t student_id) {
  auto r = c.QueryOne(std::string(kHandoverCols) + kHandoverOf, {school_id, day, student_id});
  if (!r) return std::nullopt;
  return HandoverRow(*r);
}
int64_t InsertHandover(db::Conn& c, int64_t school_id, const std::string& day, const Handover& h,
                       std::optional<int64_t> card_id, int64_t by_user_id) {
  return c.Insert(kInsertHandover,
                  {school_id, day, h.student_id, db::Opt(h.batch_id), h.adult_kind, db::Opt(h.adult_id), h.adult_name,
                   h.relation, db::Opt(card_id), by_user_id, h.by_name, h.at});
}

namespace {
Arrival ArrivalRow(const db::Row& r) {
  Arrival a;
  a.id = r.Int(0);
  a.student_id = r.Int(1);
  a.adult_id = r.Int(2);
  a.at = r.Int(3);
  a.batch_id = r.OptInt(4);
  a.adult_kind = r.Text(5);
  a.adult_name = r.Text(6);
  return a;
}
}  // namespace

std::vector<Arrival> ArrivalsOn(db::Conn& c, int64_t school_id, const std::string& day) {
  std::vector<Arrival> out;
  for (const auto& r : c.Query(kArrivalsOn, {school_id, day})) out.push_back(ArrivalRow(r));
  return out;
}
std::optional<QueuePlace> QueuePlaceOf(db::Conn& c, int64_t school_id, const std::string& day, int64_t student_id) {
  auto r = c.QueryOne(kArrivalOf, {school_id, day, student_id});
  if (!r || HandoverOf(c, school_id, day, student_id)) return std::nullopt;
  QueuePlace q{ArrivalRow(*r), 0};
  q.position = static_cast<int>(c.QueryOne(kQueueAhead, {school_id, day, q.arrival.at, q.arrival.id})->Int(0));
  return q;
}
db::Fetch<ChildDay> ChildDayFetch(int64_t school_id, const std::string& day, int64_t student_id) {
  return {{kChildDay, {school_id, day, student_id}}, [student_id](const db::Rows& rows) {
            return rows.empty() ? ChildDay{} : ChildDayAt(rows.front(), 0, student_id);
          }};
}
ChildDay ChildDayOf(db::Conn& c, int64_t school_id, const std::string& day, int64_t student_id) {
  return db::FetchOne(c, ChildDayFetch(school_id, day, student_id));
}
ChildDay ChildDayAt(const db::Row& r, size_t at, int64_t student_id) {
  ChildDay d;
  if (!r.IsNull(at)) {
    Handover h;
    h.id = r.Int(at);
    h.student_id = student_id;
    h.at = r.Int(at + 1);
    h.batch_id = r.OptInt(at + 2);
    h.adult_id = r.OptInt(at + 3);
    h.adult_kind = r.Text(at + 4);
    h.adult_name = r.Text(at + 5);
    h.relation = r.Text(at + 6);
    h.by_name = r.Text(at + 7);
    d.left = h;
  }
  if (!r.IsNull(at + 8) && !d.left) {
    Arrival a;
    a.id = r.Int(at + 8);
    a.student_id = student_id;
    a.at = r.Int(at + 9);
    a.adult_name = r.Text(at + 10);
    d.queued = QueuePlace{a, static_cast<int>(r.Int(at + 11))};
  }
  d.late_step = static_cast<int>(r.Int(at + 12));
  return d;
}
db::Fetch<bool> InsertArrivalFetch(int64_t school_id, const std::string& day, const Arrival& a) {
  return {{kInsertArrival,
           {school_id, day, a.student_id, db::Opt(a.batch_id), a.adult_kind, a.adult_id, a.adult_name, a.at}},
          [](const db::Rows& rows) { return !rows.empty(); }};
}
bool InsertArrival(db::Conn& c, int64_t school_id, const std::string& day, const Arrival& a) {
  return db::FetchOne(c, InsertArrivalFetch(school_id, day, a));
}

std::map<int64_t, int> EscalationsOn(db::Conn& c, int64_t school_id, const std::string& day) {
  std::map<int64_t, int> out;
  for (const auto& r : c.Query(kEscalationsOn, {school_id, day})) out[r.Int(0)] = static_cast<int>(r.Int(1));
  return out;
}
int EscalationOf(db::Conn& c, int64_t school_id, const std::string& day, int64_t student_id) {
  return static_cast<int>(c.QueryOne(kEscalationOf, {school_id, day, student_id})->Int(0));
}
bool InsertEscalation(db::Conn& c, int64_t school_id, const std::string& day, int64_t student_id, int step,
                      int64_t now_ms) {
  if (c.QueryOne(kEscalationExists, {school_id, day, student_id, int64_t{step}})) return false;
  c.Exec(kInsertEscalation, {school_id, day, student_id, int64_t{step}, now_ms});
  return true;
}

LateRule LateRuleOf(db::Conn& c, int64_t school_id) {
  auto r = c.QueryOne(kLateRule, {school_id});
  if (!r) return {};
  return {static_cast<int>(r->Int(0)), static_cast<int>(r->Int(1)), static_cast<int>(r->Int(2))};
}
void PutLateRule(db::Conn& c, int64_t school_id, const LateRule& r, int64_t user_id, int64_t now_ms) {
  c.Exec(kPutLateRule, {school_id, int64_t{r.guardian}, int64_t{r.office}, int64_t{r.leader},
                        user_id ? db::Value(user_id) : db::Null(), now_ms});
}

std::optional<DayClose> DayCloseOf(db::Conn& c, int64_t school_id, const std::string& day) {
  auto r = c.QueryOne(kDayClose, {school_id, day});
  if (!r) return std::nullopt;
  return DayClose{r->Int(0), r->Int(1), r->Int(2), r->Text(3)};
}
void InsertDayClose(db::Conn& c, int64_t school_id, const std::string& day, int64_t present, int64_t user_id,
                    int64_t now_ms) {
  c.Exec(kInsertDayClose, {school_id, day, present, user_id, now_ms});
}
std::vector<std::string> ClosedDays(db::Conn& c, int64_t school_id, const std::string& from, const std::string& to) {
  std::vector<std::string> out;
  for (const auto& r : c.Query(kClosedDays, {school_id, from, to})) out.push_back(r.Text(0));
  return out;
}

std::optional<int64_t> ClassTeacherOf(db::Conn& c, int64_t school_id, int64_t student_id) {
  auto r = c.QueryOne(kClassTeacher, {school_id, student_id});
  if (!r) return std::nullopt;
  return r->Int(0);
}
std::vector<int64_t> StaffWithRoles(db::Conn& c, int64_t school_id, const std::vector<std::string>& roles) {
  std::vector<int64_t> out;
  for (const auto& role : roles)
    for (const auto& r : c.Query(kStaffWithRole, {school_id, role})) out.push_back(r.Int(0));
  return out;
}

}  // namespace kehou::pickup::store

namespace kehou::pickup::store {
namespace {
constexpr const char* kSchoolIds = "SELECT id FROM schools ORDER BY id";
}
std::vector<int64_t> SchoolIds(db::Conn& c) {
  std::vector<int64_t> out;
  for (const auto& r : c.Query(kSchoolIds)) out.push_back(r.Int(0));
  return out;
}
}  // namespace kehou::pickup::store
