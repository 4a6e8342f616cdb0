#include "attendance/store.h"

#include <sodium.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "catalog/rules.h"
#include "catalog/service.h"
#include "school/service.h"
#include "school/term_bands.h"
#include "timetable/service.h"

namespace kehou::attendance::store {
namespace {

constexpr const char* kSections =
    "SELECT x.id, x.name, co.name, co.slots, COALESCE(x.teacher_staff_id, co.teacher_staff_id), COALESCE(st.name, ''),"
    " COALESCE(r.name, ''), co.institution"
    " FROM sections x JOIN courses co ON co.id = x.course_id"
    " LEFT JOIN staff st ON st.id = COALESCE(x.teacher_staff_id, co.teacher_staff_id)"
    " LEFT JOIN rooms r ON r.id = x.room_id"
    " WHERE x.school_id = $1 AND co.status = 'approved' AND (co.term_id = $2 OR co.term_id IS NULL)"
    " AND (COALESCE(x.teacher_staff_id, co.teacher_staff_id) = $3 OR $3 = 0)";
// One section (a roster, a roll save): its own statement, so the section's primary key serves it
// (`x.id = $3 OR $3 = 0` in one statement gets a plan that reads every section of the school: a
// prepared statement's generic plan on PostgreSQL).
constexpr const char* kSection =
    "SELECT x.id, x.name, co.name, co.slots, COALESCE(x.teacher_staff_id, co.teacher_staff_id), COALESCE(st.name, ''),"
    " COALESCE(r.name, ''), co.institution, co.term_id"
    " FROM sections x JOIN courses co ON co.id = x.course_id"
    " LEFT JOIN staff st ON st.id = COALESCE(x.teacher_staff_id, co.teacher_staff_id)"
    " LEFT JOIN rooms r ON r.id = x.room_id"
    " WHERE x.id = $2 AND x.school_id = $1 AND co.status = 'approved'";
constexpr const char* kMarks =
    "SELECT student_id, status FROM attendance_marks WHERE school_id = $1 AND section_id = $2 AND day = $3 AND band = "
    "$4";
constexpr const char* kPutMark =
    "INSERT INTO attendance_marks (school_id, section_id, day, band, student_id, status, by_user_id, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    " ON CONFLICT (school_id, section_id, day, band, student_id)"
    " DO UPDATE SET status = excluded.status, by_user_id = excluded.by_user_id, updated_at = excluded.updated_at";
constexpr const char* kLeaves =
    "SELECT student_id, from_date, to_date, sections, created_at FROM leave_requests"
    " WHERE school_id = $1 AND status = 'active' AND from_date <= $2 AND to_date >= $2";
constexpr const char* kSwipes =
    "SELECT student_id, at_ms FROM attendance_swipes WHERE school_id = $1 AND day = $2 AND student_id IS NOT NULL";
constexpr const char* kOpenAlert =
    "INSERT INTO absence_alerts (school_id, section_id, day, band, student_id, created_at) VALUES ($1, $2, $3, $4, $5, "
    "$6)"
    " ON CONFLICT (school_id, section_id, day, band, student_id) DO UPDATE SET status = 'open', note = '',"
    " resolved_by = NULL, resolved_at = NULL WHERE absence_alerts.status = 'resolved'";
constexpr const char* kResolveSessionAlert =
    "UPDATE absence_alerts SET status = 'resolved', note = $6, resolved_by = $7, resolved_at = $8"
    " WHERE school_id = $1 AND section_id = $2 AND day = $3 AND band = $4 AND student_id = $5 AND status = 'open'";
constexpr const char* kGuardians =
    "SELECT guardian_id FROM student_guardians WHERE school_id = $1 AND student_id = $2 ORDER BY is_primary DESC, "
    "guardian_id";
constexpr const char* kClassTeacher =
    "SELECT cl.class_teacher_id FROM students st JOIN classes cl ON cl.id = st.class_id"
    " WHERE st.school_id = $1 AND st.id = $2 AND cl.class_teacher_id IS NOT NULL";
constexpr const char* kInsertSwipe =
    "INSERT INTO attendance_swipes (school_id, device_id, uid, card_no, student_id, at_ms, day, received_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (school_id, device_id, uid) DO NOTHING";
constexpr const char* kCard = "SELECT student_id FROM attendance_cards WHERE school_id = $1 AND card_no = $2";
// Multi-row statements: the rows travel as one JSON array parameter, so each is ONE prepared
// statement whatever the batch's size (json_each on SQLite, json_array_elements on PostgreSQL).
// A batch of swipes: [[uid, card_no, at_ms, day], ...], each matched to its child by its card in
// the same statement. ("WHERE true" lets SQLite parse INSERT ... SELECT ... ON CONFLICT.)
constexpr const char* kInsertSwipesSqlite =
    "INSERT INTO attendance_swipes (school_id, device_id, uid, card_no, student_id, at_ms, day, received_at)"
    " SELECT $1, $2, j.value ->> 0, j.value ->> 1, c.student_id, j.value ->> 2, j.value ->> 3, $3 FROM json_each($4) j"
    " LEFT JOIN attendance_cards c ON c.school_id = $1 AND c.card_no = j.value ->> 1 WHERE true"
    " ON CONFLICT (school_id, device_id, uid) DO NOTHING RETURNING uid, student_id";
constexpr const char* kInsertSwipesPg =
    "INSERT INTO attendance_swipes (school_id, device_id, uid, card_no, student_id, at_ms, day, received_at)"
    " SELECT $1::bigint, $2::bigint, j ->> 0, j ->> 1, c.student_id, (j ->> 2)::bigint, j ->> 3, $3::bigint"
    " FROM json_array_elements($4::json) j"
    " LEFT JOIN attendance_cards c ON c.school_id = $1::bigint AND c.card_no = j ->> 1"
    " ON CONFLICT (school_id, device_id, uid) DO NOTHING RETURNING uid, student_id";
// A roster's marks: [[student_id, status], ...].
constexpr const char* kPutMarksSqlite =
    "INSERT INTO attendance_marks (school_id, section_id, day, band, student_id, status, by_user_id, updated_at)"
    " SELECT $1, $2, $3, $4, j.value ->> 0, j.value ->> 1, $5, $6 FROM json_each($7) j WHERE true"
    " ON CONFLICT (school_id, section_id, day, band, student_id)"
    " DO UPDATE SET status = excluded.status, by_user_id = excluded.by_user_id, updated_at = excluded.updated_at";
constexpr const char* kPutMarksPg =
    "INSERT INTO attendance_marks (school_id, section_id, day, band, student_id, status, by_user_id, updated_at)"
    " SELECT $1::bigint, $2::bigint, $3::text, $4::text, (j ->> 0)::bigint, j ->> 1, $5::bigint, $6::bigint"
    " FROM json_array_elements($7::json) j"
    " ON CONFLICT (school_id, section_id, day, band, student_id)"
    " DO UPDATE SET status = excluded.status, by_user_id = excluded.by_user_id, updated_at = excluded.updated_at";
constexpr const char* kSwipesOfSqlite =
    "SELECT student_id, at_ms FROM attendance_swipes WHERE school_id = $1 AND day = $2"
    " AND student_id IN (SELECT value FROM json_each($3))";
constexpr const char* kSwipesOfPg =
    "SELECT student_id, at_ms FROM attendance_swipes WHERE school_id = $1 AND day = $2"
    " AND student_id IN (SELECT json_array_elements_text($3::json)::bigint)";
constexpr const char* kOpenAlertsOf =
    "SELECT student_id FROM absence_alerts WHERE school_id = $1 AND section_id = $2 AND day = $3 AND band = $4"
    " AND status = 'open'";
// A roll save's state in its write (RollStateOf): marks (0), open alerts (1), a cancellation (2).
constexpr const char* kRollState =
    "SELECT 0 AS k, student_id, status FROM attendance_marks WHERE school_id = $1 AND section_id = $2 AND day = $3"
    " AND band = $4"
    " UNION ALL SELECT 1, student_id, '' FROM absence_alerts WHERE school_id = $1 AND section_id = $2 AND day = $3"
    " AND band = $4 AND status = 'open'"
    " UNION ALL SELECT 2, 0, note FROM attendance_cancellations WHERE school_id = $1 AND section_id = $2 AND day = $3"
    " AND band = $4 AND kind = 'cancel'";

// A roll save's write in one call (SaveRollDirect, sql/0590).
constexpr const char* kSaveRollPg =
    "SELECT outcome, note FROM kehou_save_roll($1::bigint, $2::bigint, $3::text, $4::text, $5::text, $6::bigint,"
    " $7::bigint, $8::text, $9::text, $10::text, $11::text, $12::bigint)";

// The sessions of `day` from the current term with its bands, the day's substitutes and rows of
// kSections' columns (a teacher's own when `teacher` is not 0).
std::vector<Session> SessionsFrom(const school::TermWithBands& tb, const std::vector<timetable::SubstituteOn>& subs,
                                  const db::Rows& rows, const Date& day, int64_t teacher) {
  std::vector<Session> out;
  const school::Term* term = &tb.term;
  if (!school::IsSchoolDay(term->dates, day)) return out;
  const int weekday = IsoWeekday(day);
  const auto& ex = term->dates.excluded_weekdays;
  if (std::find(ex.begin(), ex.end(), weekday) != ex.end()) return out;
  auto bands = school::BandsOn(term->dates, tb.bands, day);
  for (auto& r : rows) {
    auto slots = catalog::ParseSlots(r.Text(3));
    if (!slots.ok()) continue;
    for (const auto& slot : *slots) {
      if (slot.weekday != weekday) continue;
      auto band = std::find_if(bands.begin(), bands.end(),
                               [&](const school::Band& b) { return school::BandKindName(b.kind) == slot.band; });
      if (band == bands.end()) continue;
      Session s;
      s.section_id = r.Int(0);
      s.section = r.Text(1);
      s.course = r.Text(2);
      s.teacher_staff_id = r.OptInt(4);
      s.teacher = r.Text(5).empty() ? r.Text(7) : r.Text(5);
      s.room = r.Text(6);
      s.band = slot.band;
      s.time = {day, band->start, band->end};
      for (const auto& sub : subs)
        if (sub.section_id == s.section_id && sub.band == s.band) {
          s.teacher_staff_id = sub.staff_id;
          s.teacher = sub.name;
        }
      if (teacher != 0 && s.teacher_staff_id != teacher) continue;
      out.push_back(std::move(s));
    }
  }
  std::sort(out.begin(), out.end(), [](const Session& a, const Session& b) {
    return std::tie(a.time.start, a.course, a.section_id) < std::tie(b.time.start, b.course, b.section_id);
  });
  return out;
}

std::vector<Session> Load(db::Conn& c, int64_t school_id, const Date& day, int64_t teacher) {
  // The term and its bands in one statement (was three: term, its holidays, its bands).
  auto tb = school::CurrentTermWithBands(c, school_id);
  if (!tb || !school::IsSchoolDay(tb->term.dates, day)) return {};
  // Who teaches: a substitute assigned for the day (timetable, R-STF-4) replaces the section's teacher.
  const auto subs = timetable::SubstitutesOn(c, school_id, day);
  return SessionsFrom(*tb, subs, c.Query(kSections, {school_id, tb->term.id, subs.empty() ? teacher : int64_t{0}}), day,
                      teacher);
}

// One section's row (kSection), whatever its course's term: the caller keeps it only for the
// current term (a course of no term is of every term), so that it needs no answer of another read.
db::Fetch<db::Rows> SectionFetch(int64_t school_id, int64_t section_id) {
  return {{kSection, {school_id, section_id}}, [](const db::Rows& rows) { return rows; }};
}

std::vector<int64_t> ParseIds(const std::string& s) {
  std::vector<int64_t> out;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, ','))
    if (!part.empty()) out.push_back(std::stoll(part));
  return out;
}

// The active leave requests covering `day` (kLeaves' rows), by student.
db::Fetch<std::multimap<int64_t, Leave>> LeavesFetch(int64_t school_id, const Date& day) {
  return {{kLeaves, {school_id, FormatDate(day)}}, [](const db::Rows& rows) {
            std::multimap<int64_t, Leave> out;
            for (const auto& r : rows) {
              auto from = ParseDate(r.Text(1)), to = ParseDate(r.Text(2));
              if (!from || !to) continue;
              out.emplace(r.Int(0), Leave{*from, *to, ParseIds(r.Text(3)), r.Int(4)});
            }
            return out;
          }};
}

// The named children's swipes on `day`, by student (the ids as a JSON array parameter).
db::Fetch<std::map<int64_t, std::vector<int64_t>>> SwipesOfFetch(db::Dialect d, int64_t school_id, const Date& day,
                                                                 const std::vector<int64_t>& students) {
  return {{d == db::Dialect::kSqlite ? kSwipesOfSqlite : kSwipesOfPg,
           {school_id, FormatDate(day), nlohmann::json(students).dump()}},
          [](const db::Rows& rows) {
            std::map<int64_t, std::vector<int64_t>> out;
            for (const auto& r : rows) out[r.Int(0)].push_back(r.Int(1));
            return out;
          }};
}

std::optional<Session> SessionIn(const std::optional<school::TermWithBands>& tb,
                                 const std::vector<timetable::SubstituteOn>& subs, db::Rows rows, const Date& day,
                                 const std::string& band) {
  if (!tb) return std::nullopt;
  std::erase_if(rows, [&](const db::Row& r) { return r.OptInt(8) && *r.OptInt(8) != tb->term.id; });
  for (auto& s : SessionsFrom(*tb, subs, rows, day, 0))
    if (band.empty() || s.band == band) return s;
  return std::nullopt;
}

}  // namespace

std::vector<Session> SessionsOn(db::Conn& c, int64_t school_id, const Date& day, std::optional<int64_t> teacher) {
  return Load(c, school_id, day, teacher.value_or(0));
}

std::optional<Session> SessionOf(db::Conn& c, int64_t school_id, int64_t section_id, const Date& day,
                                 const std::string& band) {
  auto [tb, subs, rows] =
      db::FetchAll(c, school::CurrentTermWithBandsFetch(school_id), timetable::SubstitutesOnFetch(school_id, day),
                   SectionFetch(school_id, section_id));
  return SessionIn(tb, subs, std::move(rows), day, band);
}

SessionRoster SessionWithRosterOf(db::Conn& c, int64_t school_id, int64_t section_id, const Date& day,
                                  const std::string& band) {
  auto [tb, subs, rows, roster, leaves] =
      db::FetchAll(c, school::CurrentTermWithBandsFetch(school_id), timetable::SubstitutesOnFetch(school_id, day),
                   SectionFetch(school_id, section_id), catalog::RosterOnFetch(school_id, section_id, day),
                   LeavesFetch(school_id, day));
  return {SessionIn(tb, subs, std::move(rows), day, band), std::move(roster), std::move(leaves)};
}

std::map<int64_t, Mark> MarksOf(db::Conn& c, int64_t school_id, const Session& s) {
  std::map<int64_t, Mark> out;
  for (auto& r : c.Query(kMarks, {school_id, s.section_id, FormatDate(s.time.day), s.band}))
    if (auto m = ParseMark(r.Text(1))) out[r.Int(0)] = *m;
  return out;
}

void PutMark(db::Conn& c, int64_t school_id, const Session& s, int64_t student_id, Mark m, int64_t user_id,
             int64_t now_ms) {
  c.Exec(kPutMark, {school_id, s.section_id, FormatDate(s.time.day), s.band, student_id, std::string(MarkName(m)),
                    user_id ? db::Value(user_id) : db::Null(), now_ms});
}

void PutMarks(db::Conn& c, int64_t school_id, const Session& s, const std::map<int64_t, Mark>& marks, int64_t user_id,
              int64_t now_ms) {
  if (marks.empty()) return;
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& [student, m] : marks) rows.push_back({student, MarkName(m)});
  c.Exec(c.dialect() == db::Dialect::kSqlite ? kPutMarksSqlite : kPutMarksPg,
         {school_id, s.section_id, FormatDate(s.time.day), s.band, user_id ? db::Value(user_id) : db::Null(), now_ms,
          rows.dump()});
}

RollState RollStateOf(db::Conn& c, int64_t school_id, const Session& s) {
  RollState out;
  for (auto& r : c.Query(kRollState, {school_id, s.section_id, FormatDate(s.time.day), s.band})) {
    const int64_t kind = r.Int(0);
    if (kind == 0) {
      if (auto m = ParseMark(r.Text(2))) out.marks[r.Int(1)] = *m;
    } else if (kind == 1) {
      out.open_alerts.insert(r.Int(1));
    } else {
      out.cancelled = r.Text(2);
    }
  }
  return out;
}

DirectRollOutcome SaveRollDirect(db::Conn& c, int64_t school_id, const Session& s, const std::vector<RollMarkIn>& rows,
                                 int64_t user_id, int64_t now_ms, const RollSaveAudit& audit) {
  nlohmann::json list = nlohmann::json::array();
  std::vector<int64_t> ids;
  ids.reserve(rows.size());
  for (const auto& r : rows) {
    list.push_back({r.student_id, MarkName(r.mark), r.unexcused ? 1 : 0});
    ids.push_back(r.student_id);
  }
  // The call and the roster's swipes in one round trip (one implicit transaction: a failed call
  // runs neither; the caller runs both again).
  const db::Fetch<db::Rows> save{
      {kSaveRollPg,
       {school_id, s.section_id, FormatDate(s.time.day), s.band, list.dump(), user_id ? db::Value(user_id) : db::Null(),
        now_ms, audit.action, audit.user_name, audit.client, audit.request_id, NowMs()}},
      [](const db::Rows& r) { return r; }};
  auto [answer, swipes] = db::FetchAll(c, save, SwipesOfFetch(db::Dialect::kPostgres, school_id, s.time.day, ids));
  if (answer.empty()) throw db::DbError("kehou_save_roll answered no row");
  const std::string outcome = answer[0].Text(0);
  if (outcome == "cancelled") return {DirectRoll::kCancelled, answer[0].Text(1), {}};
  if (outcome == "alerts") return {DirectRoll::kAlerts, "", {}};
  return {DirectRoll::kSaved, "", std::move(swipes)};
}

std::set<int64_t> OpenAlertsOf(db::Conn& c, int64_t school_id, const Session& s) {
  std::set<int64_t> out;
  for (auto& r : c.Query(kOpenAlertsOf, {school_id, s.section_id, FormatDate(s.time.day), s.band}))
    out.insert(r.Int(0));
  return out;
}

std::multimap<int64_t, Leave> LeavesOn(db::Conn& c, int64_t school_id, const Date& day) {
  return db::FetchOne(c, LeavesFetch(school_id, day));
}

std::map<int64_t, std::vector<int64_t>> SwipesOn(db::Conn& c, int64_t school_id, const Date& day) {
  std::map<int64_t, std::vector<int64_t>> out;
  for (auto& r : c.Query(kSwipes, {school_id, FormatDate(day)})) out[r.Int(0)].push_back(r.Int(1));
  return out;
}

std::map<int64_t, std::vector<int64_t>> SwipesOf(db::Conn& c, int64_t school_id, const Date& day,
                                                 const std::vector<int64_t>& students) {
  if (students.empty()) return {};
  return db::FetchOne(c, SwipesOfFetch(c.dialect(), school_id, day, students));
}

bool OpenAlert(db::Conn& c, int64_t school_id, const Session& s, int64_t student_id, int64_t now_ms) {
  return c.Exec(kOpenAlert, {school_id, s.section_id, FormatDate(s.time.day), s.band, student_id, now_ms}) == 1;
}

bool ResolveSessionAlert(db::Conn& c, int64_t school_id, const Session& s, int64_t student_id, const std::string& note,
                         int64_t user_id, int64_t now_ms) {
  return c.Exec(kResolveSessionAlert, {school_id, s.section_id, FormatDate(s.time.day), s.band, student_id, note,
                                       user_id ? db::Value(user_id) : db::Null(), now_ms}) == 1;
}

std::vector<int64_t> GuardiansOf(db::Conn& c, int64_t school_id, int64_t student_id) {
  std::vector<int64_t> out;
  for (auto& r : c.Query(kGuardians, {school_id, student_id})) out.push_back(r.Int(0));
  return out;
}

std::optional<int64_t> ClassTeacherOf(db::Conn& c, int64_t school_id, int64_t student_id) {
  auto r = c.QueryOne(kClassTeacher, {school_id, student_id});
  if (!r) return std::nullopt;
  return r->Int(0);
}

bool InsertSwipe(db::Conn& c, int64_t school_id, int64_t device_id, const SwipeIn& s, std::optional<int64_t> student_id,
                 int64_t now_ms) {
  return c.Exec(kInsertSwipe, {school_id, device_id, s.uid, s.card_no, db::Opt(student_id), s.at_ms,
                               FormatDate(LocalDate(s.at_ms)), now_ms}) == 1;
}

std::optional<int64_t> StudentOfCard(db::Conn& c, int64_t school_id, const std::string& card_no) {
  auto r = c.QueryOne(kCard, {school_id, card_no});
  if (!r) return std::nullopt;
  return r->Int(0);
}

std::map<std::string, std::optional<int64_t>> InsertSwipes(db::Conn& c, int64_t school_id, int64_t device_id,
                                                           const std::vector<const SwipeIn*>& batch, int64_t now_ms) {
  std::map<std::string, std::optional<int64_t>> stored;
  if (batch.empty()) return stored;
  nlohmann::json rows = nlohmann::json::array();
  for (const SwipeIn* s : batch) rows.push_back({s->uid, s->card_no, s->at_ms, FormatDate(LocalDate(s->at_ms))});
  for (auto& r : c.Query(c.dialect() == db::Dialect::kSqlite ? kInsertSwipesSqlite : kInsertSwipesPg,
                         {school_id, device_id, now_ms, rows.dump()}))
    stored.emplace(r.Text(0), r.OptInt(1));
  return stored;
}

std::string HashKey(const std::string& secret) {
  unsigned char out[crypto_generichash_BYTES];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), nullptr, 0);
  static const char* hex = "0123456789abcdef";
  std::string s;
  for (unsigned char b : out) {
    s += hex[b >> 4];
    s += hex[b & 15];
  }
  return s;
}

}  // namespace kehou::attendance::store
