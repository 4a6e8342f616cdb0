#include "school/store.h"

#include <algorithm>
#include <tuple>

#include "core/time.h"

namespace kehou::school::store {
namespace {

// ---- SQL ---------------------------------------------------------------------------------------

constexpr const char* kAreaById = "SELECT id, kind, name, parent_id, office_close_time FROM areas WHERE id = $1";
constexpr const char* kUpdateOfficeClose = "UPDATE schools SET office_close_time = $2 WHERE id = $1";

// Schools with their area and counts (active students, classes, active staff).
constexpr const char* kSchoolSelect =
    "SELECT s.id, s.area_id, a.name AS area_name, s.name, s.level, s.type, s.address,"
    " COALESCE(s.office_close_time, a.office_close_time) AS office_close_time,"
    " (SELECT COUNT(*) FROM students st WHERE st.school_id = s.id AND st.active = 1) AS students,"
    " (SELECT COUNT(*) FROM classes k WHERE k.school_id = s.id) AS classes,"
    " (SELECT COUNT(*) FROM staff f WHERE f.school_id = s.id AND f.active = 1) AS staff"
    " FROM schools s JOIN areas a ON a.id = s.area_id";
constexpr const char* kSchoolOrder = " ORDER BY s.area_id, s.id";
constexpr const char* kInsertSchool =
    "INSERT INTO schools (area_id, name, level, type, address, created_at) VALUES ($1, $2, $3, $4, $5, $6)"
    " RETURNING id";
constexpr const char* kUpdateSchool = "UPDATE schools SET name = $2, level = $3, type = $4, address = $5 WHERE id = $1";

constexpr const char* kTermSelect =
    "SELECT id, school_id, name, start_date, end_date, winter_from, summer_from, excluded_weekdays, is_current"
    " FROM terms WHERE school_id = $1";
constexpr const char* kHolidaysOfTerm =
    "SELECT id, name, start_date, end_date FROM term_holidays WHERE school_id = $1 AND term_id = $2"
    " ORDER BY start_date, id";
constexpr const char* kInsertTerm =
    "INSERT INTO terms (school_id, name, start_date, end_date, winter_from, summer_from, excluded_weekdays,"
    " is_current) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
constexpr const char* kUpdateTerm =
    "UPDATE terms SET name = $3, start_date = $4, end_date = $5, winter_from = $6, summer_from = $7,"
    " excluded_weekdays = $8, is_current = $9 WHERE school_id = $1 AND id = $2";
constexpr const char* kOtherCurrent = "SELECT id FROM terms WHERE school_id = $1 AND id <> $2 AND is_current = 1";
constexpr const char* kClearOtherCurrent =
    "UPDATE terms SET is_current = 0 WHERE school_id = $1 AND id <> $2 AND is_current = 1";
constexpr const char* kDeleteHolidays = "DELETE FROM term_holidays WHERE school_id = $1 AND term_id = $2";
constexpr const char* kInsertHoliday =
    "INSERT INTO term_holidays (school_id, term_id, name, start_date, end_date) VALUES ($1, $2, $3, $4, $5)";

constexpr const char* kBandsOfTerm =
    "SELECT id, kind, season, name, start_time, end_time FROM service_bands"
    " WHERE school_id = $1 AND term_id = $2 ORDER BY season, start_time, id";
// The current term (is_current = 1, newest id; else the newest by start date containing $2) with
// its holidays and bands: k 0 the term, 1 a holiday (name, start, end), 2 a band (name, start,
// end, kind, season). The order of LoadCurrentTerm/LoadTermOn and LoadBands is restored in C++.
constexpr const char* kCurrentTermBands =
    "WITH t AS (SELECT id, school_id, name, start_date, end_date, winter_from, summer_from, excluded_weekdays,"
    " is_current FROM terms WHERE school_id = $1 AND (is_current = 1 OR (start_date <= $2 AND end_date >= $2))"
    " ORDER BY is_current DESC, CASE WHEN is_current = 1 THEN id ELSE 0 END DESC, start_date DESC, id DESC"
    " LIMIT 1)"
    " SELECT 0 AS k, id, school_id, name, start_date, end_date, winter_from, summer_from, excluded_weekdays,"
    " is_current FROM t"
    " UNION ALL SELECT 1, h.id, h.school_id, h.name, h.start_date, h.end_date, NULL, NULL, '', 0"
    " FROM term_holidays h JOIN t ON h.term_id = t.id WHERE h.school_id = $1"
    " UNION ALL SELECT 2, b.id, b.school_id, b.name, b.start_time, b.end_time, b.kind, b.season, '', 0"
    " FROM service_bands b JOIN t ON b.term_id = t.id WHERE b.school_id = $1";
constexpr const char* kDeleteBands = "DELETE FROM service_bands WHERE school_id = $1 AND term_id = $2";
constexpr const char* kInsertBand =
    "INSERT INTO service_bands (school_id, term_id, kind, season, name, start_time, end_time)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7)";

constexpr const char* kGradeSelect =
    "SELECT g.id, g.number, g.name, g.leader_staff_id,"
    " (SELECT st.name FROM staff st WHERE st.id = g.leader_staff_id) AS leader_name,"
    " (SELECT COUNT(*) FROM classes k WHERE k.school_id = g.school_id AND k.grade_id = g.id) AS classes,"
    " (SELECT COUNT(*) FROM students st JOIN classes k ON k.id = st.class_id"
    "   WHERE st.school_id = g.school_id AND k.grade_id = g.id AND st.active = 1) AS students"
    " FROM grades g WHERE g.school_id = $1";
constexpr const char* kInsertGrade = "INSERT INTO grades (school_id, number, name) VALUES ($1, $2, $3)";
constexpr const char* kDeleteGrade = "DELETE FROM grades WHERE school_id = $1 AND id = $2";

constexpr const char* kClassSelect =
    "SELECT k.id, k.grade_id, g.number AS grade_number, g.name AS grade_name, k.number, k.name,"
    " k.class_teacher_id, f.name AS teacher_name, k.room_id, r.name AS room_name,"
    " (SELECT COUNT(*) FROM students st WHERE st.school_id = k.school_id AND st.class_id = k.id"
    "   AND st.active = 1) AS students"
    " FROM classes k JOIN grades g ON g.id = k.grade_id"
    " LEFT JOIN staff f ON f.id = k.class_teacher_id"
    " LEFT JOIN rooms r ON r.id = k.room_id"
    " WHERE k.school_id = $1";
constexpr const char* kClassOrder = " ORDER BY g.number, k.number, k.id";
constexpr const char* kClassByNumber = "SELECT id FROM classes WHERE school_id = $1 AND grade_id = $2 AND number = $3";
constexpr const char* kInsertClass =
    "INSERT INTO classes (school_id, grade_id, name, number, class_teacher_id, room_id)"
    " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
constexpr const char* kUpdateClass =
    "UPDATE classes SET grade_id = $3, name = $4, number = $5, class_teacher_id = $6, room_id = $7"
    " WHERE school_id = $1 AND id = $2";
constexpr const char* kStaffName = "SELECT name FROM staff WHERE school_id = $1 AND id = $2 AND active = 1";

constexpr const char* kRoomSelect =
    "SELECT id, name, kind, capacity, equipment, active FROM rooms WHERE school_id = $1";
constexpr const char* kRoomByName = "SELECT id FROM rooms WHERE school_id = $1 AND name = $2";
constexpr const char* kInsertRoom =
    "INSERT INTO rooms (school_id, name, kind, capacity, equipment, active) VALUES ($1, $2, $3, $4, $5, $6)"
    " RETURNING id";
constexpr const char* kUpdateRoom =
    "UPDATE rooms SET name = $3, kind = $4, capacity = $5, equipment = $6, active = $7"
    " WHERE school_id = $1 AND id = $2";
constexpr const char* kClassesUsingRoom = "SELECT COUNT(*) FROM classes WHERE school_id = $1 AND room_id = $2";
constexpr const char* kDeleteRoom = "DELETE FROM rooms WHERE school_id = $1 AND id = $2";

// ---- row mapping -------------------------------------------------------------------------------

SchoolRow ToSchool(const db::Row& r) {
  SchoolRow s;
  s.id = r.Int("id");
  s.area_id = r.Int("area_id");
  s.area_name = r.Text("area_name");
  s.name = r.Text("name");
  s.level = r.Text("level");
  s.type = r.Text("type");
  s.address = r.Text("address");
  s.office_close_time = r.Text("office_close_time");
  s.students = r.Int("students");
  s.classes = r.Int("classes");
  s.staff = r.Int("staff");
  return s;
}

std::vector<SchoolRow> Schools(db::Conn& c, const std::string& where, const db::Params& p) {
  std::vector<SchoolRow> out;
  for (const auto& r : c.Query(std::string(kSchoolSelect) + where + kSchoolOrder, p)) out.push_back(ToSchool(r));
  return out;
}

Date DateOr(const std::string& s) { return ParseDate(s).value_or(Date{}); }
std::optional<Date> OptDate(const std::optional<std::string>& s) {
  if (!s || s->empty()) return std::nullopt;
  return ParseDate(*s);
}
db::Value DateValue(const std::optional<Date>& d) { return d ? db::Value(FormatDate(*d)) : db::Null(); }

TermRow TermOfRow(const db::Row& r) {
  TermRow t;
  t.id = r.Int("id");
  t.school_id = r.Int("school_id");
  t.name = r.Text("name");
  t.dates.start = DateOr(r.Text("start_date"));
  t.dates.end = DateOr(r.Text("end_date"));
  t.dates.winter_from = OptDate(r.OptText("winter_from"));
  t.dates.summer_from = OptDate(r.OptText("summer_from"));
  t.dates.excluded_weekdays = ParseWeekdayList(r.Text("excluded_weekdays")).value_or(std::vector<int>{});
  t.is_current = r.Int("is_current") != 0;
  return t;
}

TermRow ToTerm(db::Conn& c, const db::Row& r) {
  TermRow t = TermOfRow(r);
  for (const auto& h : c.Query(kHolidaysOfTerm, {t.school_id, t.id})) {
    t.holiday_ids.push_back(h.Int("id"));
    t.dates.holidays.push_back(Holiday{h.Text("name"), DateOr(h.Text("start_date")), DateOr(h.Text("end_date"))});
  }
  return t;
}

std::optional<TermRow> OneTerm(db::Conn& c, const std::string& where, const db::Params& p) {
  auto r = c.QueryOne(std::string(kTermSelect) + where, p);
  if (!r) return std::nullopt;
  return ToTerm(c, *r);
}

ClassRow ToClass(const db::Row& r) {
  ClassRow k;
  k.id = r.Int("id");
  k.grade_id = r.Int("grade_id");
  k.grade_number = static_cast<int>(r.Int("grade_number"));
  k.grade_name = r.Text("grade_name");
  k.number = static_cast<int>(r.Int("number"));
  k.name = r.Text("name");
  k.class_teacher_id = r.OptInt("class_teacher_id");
  k.class_teacher_name = r.Text("teacher_name");
  k.room_id = r.OptInt("room_id");
  k.room_name = r.Text("room_name");
  k.students = r.Int("students");
  return k;
}

RoomRow ToRoom(const db::Row& r) {
  return RoomRow{r.Int("id"),       r.Text("name"),      r.Text("kind"),
                 r.Int("capacity"), r.Text("equipment"), r.Int("active") != 0};
}

// LIKE pattern for "contains s", with %, _ and \ escaped (used with ESCAPE '\').
std::string ContainsPattern(const std::string& s) {
  std::string out = "%";
  for (char ch : s) {
    if (ch == '%' || ch == '_' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "%";
}

}  // namespace

// ---- areas and schools ---------------------------------------------------------------------------

std::optional<AreaRow> LoadArea(db::Conn& c, int64_t area_id) {
  auto r = c.QueryOne(kAreaById, {area_id});
  if (!r) return std::nullopt;
  return AreaRow{r->Int("id"), r->Text("kind"), r->Text("name"), r->OptInt("parent_id"), r->Text("office_close_time")};
}

void UpdateOfficeClose(db::Conn& c, int64_t school_id, const std::string& hhmm) {
  c.Exec(kUpdateOfficeClose, {school_id, hhmm});
}

std::optional<SchoolRow> LoadSchool(db::Conn& c, int64_t school_id) {
  auto v = Schools(c, " WHERE s.id = $1", {school_id});
  if (v.empty()) return std::nullopt;
  return v.front();
}

std::vector<SchoolRow> SchoolsAll(db::Conn& c) { return Schools(c, "", {}); }

std::vector<SchoolRow> SchoolsByArea(db::Conn& c, int64_t area_id) {
  return Schools(c, " WHERE a.id = $1 OR a.parent_id = $1", {area_id});
}

std::vector<SchoolRow> SchoolsOfGuardian(db::Conn& c, int64_t guardian_id) {
  return Schools(c,
                 " WHERE s.id IN (SELECT st.school_id FROM student_guardians sg"
                 " JOIN students st ON st.id = sg.student_id WHERE sg.guardian_id = $1 AND st.active = 1)",
                 {guardian_id});
}

int64_t InsertSchool(db::Conn& c, int64_t area_id, const std::string& name, const std::string& level,
                     const std::string& type, const std::string& address) {
  return c.Insert(kInsertSchool, {area_id, name, level, type, address, NowMs()});
}

void UpdateSchool(db::Conn& c, const SchoolRow& s) {
  c.Exec(kUpdateSchool, {s.id, s.name, s.level, s.type, s.address});
}

// ---- terms ---------------------------------------------------------------------------------------

std::vector<TermRow> LoadTerms(db::Conn& c, int64_t school_id) {
  std::vector<TermRow> out;
  for (const auto& r : c.Query(std::string(kTermSelect) + " ORDER BY start_date DESC, id DESC", {school_id}))
    out.push_back(ToTerm(c, r));
  return out;
}

std::optional<TermRow> LoadTerm(db::Conn& c, int64_t school_id, int64_t term_id) {
  return OneTerm(c, " AND id = $2", {school_id, term_id});
}

std::optional<TermRow> LoadCurrentTerm(db::Conn& c, int64_t school_id) {
  return OneTerm(c, " AND is_current = 1 ORDER BY id DESC", {school_id});
}

std::optional<TermRow> LoadTermOn(db::Conn& c, int64_t school_id, const Date& d) {
  return OneTerm(c, " AND start_date <= $2 AND end_date >= $2 ORDER BY start_date DESC, id DESC",
                 {school_id, FormatDate(d)});
}

std::optional<TermRow> LoadTermOverlapping(db::Conn& c, int64_t school_id, const Date& from, const Date& to) {
  return OneTerm(c, " AND start_date <= $2 AND end_date >= $3 ORDER BY start_date DESC, id DESC",
                 {school_id, FormatDate(to), FormatDate(from)});
}

std::optional<int64_t> TermIdByName(db::Conn& c, int64_t school_id, const std::string& name) {
  auto r = c.QueryOne("SELECT id FROM terms WHERE school_id = $1 AND name = $2", {school_id, name});
  if (!r) return std::nullopt;
  return r->Int(0);
}

int64_t InsertTerm(db::Conn& c, int64_t school_id, const TermRow& t) {
  return c.Insert(kInsertTerm, {school_id, t.name, FormatDate(t.dates.start), FormatDate(t.dates.end),
                                DateValue(t.dates.winter_from), DateValue(t.dates.summer_from),
                                FormatWeekdayList(t.dates.excluded_weekdays), int64_t{t.is_current ? 1 : 0}});
}

void UpdateTerm(db::Conn& c, const TermRow& t) {
  c.Exec(kUpdateTerm,
         {t.school_id, t.id, t.name, FormatDate(t.dates.start), FormatDate(t.dates.end), DateValue(t.dates.winter_from),
          DateValue(t.dates.summer_from), FormatWeekdayList(t.dates.excluded_weekdays), int64_t{t.is_current ? 1 : 0}});
}

std::vector<int64_t> ClearOtherCurrent(db::Conn& c, int64_t school_id, int64_t keep_term_id) {
  std::vector<int64_t> ids;
  for (const auto& r : c.Query(kOtherCurrent, {school_id, keep_term_id})) ids.push_back(r.Int(0));
  if (!ids.empty()) c.Exec(kClearOtherCurrent, {school_id, keep_term_id});
  return ids;
}

void ReplaceHolidays(db::Conn& c, int64_t school_id, int64_t term_id, const std::vector<Holiday>& hs) {
  c.Exec(kDeleteHolidays, {school_id, term_id});
  for (const auto& h : hs) c.Exec(kInsertHoliday, {school_id, term_id, h.name, FormatDate(h.start), FormatDate(h.end)});
}

// ---- bands ---------------------------------------------------------------------------------------

namespace {

// One band row from its columns (kind, season, name, start, end as stored).
BandRow BandRowOf(int64_t id, const std::string& kind, const std::string& season, std::string name,
                  const std::string& start, const std::string& end) {
  BandRow b;
  b.id = id;
  b.band.kind = ParseBandKind(kind).value_or(BandKind::kAfterSchool);
  b.band.season = ParseSeason(season).value_or(Season::kAll);
  b.band.name = std::move(name);
  b.band.start = ParseTimeOfDay(start).value_or(0);
  b.band.end = ParseTimeOfDay(end).value_or(0);
  return b;
}

// Seasons in the order all, winter, summer; then by start, then by id: the one order every reader gives.
void SortBands(std::vector<BandRow>& bands) {
  std::sort(bands.begin(), bands.end(), [](const BandRow& a, const BandRow& b) {
    return std::tie(a.band.season, a.band.start, a.id) < std::tie(b.band.season, b.band.start, b.id);
  });
}

}  // namespace

std::vector<BandRow> LoadBands(db::Conn& c, int64_t school_id, int64_t term_id) {
  std::vector<BandRow> out;
  for (const auto& r : c.Query(kBandsOfTerm, {school_id, term_id}))
    out.push_back(BandRowOf(r.Int("id"), r.Text("kind"), r.Text("season"), r.Text("name"), r.Text("start_time"),
                            r.Text("end_time")));
  SortBands(out);
  return out;
}

namespace {
std::optional<TermBands> CurrentTermBandsFrom(const db::Rows& rows) {
  std::optional<TermBands> out;
  struct HolidayAt {
    std::string start;
    int64_t id;
    Holiday h;
  };
  std::vector<HolidayAt> holidays;
  std::vector<BandRow> bands;
  for (const auto& r : rows) {
    const int64_t k = r.Int(0);
    if (k == 0) {
      if (!out) out = TermBands{TermOfRow(r), {}};
    } else if (k == 1) {
      holidays.push_back({r.Text(4), r.Int(1), Holiday{r.Text(3), DateOr(r.Text(4)), DateOr(r.Text(5))}});
    } else {
      bands.push_back(BandRowOf(r.Int(1), r.Text(6), r.Text(7), r.Text(3), r.Text(4), r.Text(5)));
    }
  }
  if (!out) return out;
  // kHolidaysOfTerm's order (start date, id), then LoadBands' (SortBands).
  std::sort(holidays.begin(), holidays.end(),
            [](const HolidayAt& a, const HolidayAt& b) { return std::tie(a.start, a.id) < std::tie(b.start, b.id); });
  for (auto& h : holidays) {
    out->term.holiday_ids.push_back(h.id);
    out->term.dates.holidays.push_back(std::move(h.h));
  }
  SortBands(bands);
  out->bands = std::move(bands);
  return out;
}
}  // namespace

db::Fetch<std::optional<TermBands>> CurrentTermBandsFetch(int64_t school_id, const Date& today) {
  return {{kCurrentTermBands, {school_id, FormatDate(today)}}, CurrentTermBandsFrom};
}

std::optional<TermBands> LoadCurrentTermBands(db::Conn& c, int64_t school_id, const Date& today) {
  return db::FetchOne(c, CurrentTermBandsFetch(school_id, today));
}

void ReplaceBands(db::Conn& c, int64_t school_id, int64_t term_id, const std::vector<Band>& bands) {
  c.Exec(kDeleteBands, {school_id, term_id});
  for (const auto& b : bands)
    c.Exec(kInsertBand, {school_id, term_id, std::string(BandKindName(b.kind)), std::string(SeasonName(b.season)),
                         b.name, FormatTimeOfDay(b.start), FormatTimeOfDay(b.end)});
}

// ---- grades and classes --------------------------------------------------------------------------

std::vector<GradeRow> LoadGrades(db::Conn& c, int64_t school_id) {
  std::vector<GradeRow> out;
  for (const auto& r : c.Query(std::string(kGradeSelect) + " ORDER BY g.number", {school_id}))
    out.push_back(GradeRow{r.Int("id"), static_cast<int>(r.Int("number")), r.Text("name"), r.Int("classes"),
                           r.Int("students"), r.OptInt("leader_staff_id"), r.OptText("leader_name").value_or("")});
  return out;
}

std::optional<GradeRow> LoadGrade(db::Conn& c, int64_t school_id, int64_t grade_id) {
  auto r = c.QueryOne(std::string(kGradeSelect) + " AND g.id = $2", {school_id, grade_id});
  if (!r) return std::nullopt;
  return GradeRow{r->Int("id"),
                  static_cast<int>(r->Int("number")),
                  r->Text("name"),
                  r->Int("classes"),
                  r->Int("students"),
                  r->OptInt("leader_staff_id"),
                  r->OptText("leader_name").value_or("")};
}

void SetGradeLeader(db::Conn& c, int64_t school_id, int64_t grade_id, std::optional<int64_t> staff_id) {
  c.Exec("UPDATE grades SET leader_staff_id = $1 WHERE school_id = $2 AND id = $3",
         {staff_id ? db::Value(*staff_id) : db::Null(), school_id, grade_id});
}

void InsertGrade(db::Conn& c, int64_t school_id, int number, const std::string& name) {
  c.Exec(kInsertGrade, {school_id, int64_t{number}, name});
}

void DeleteGrade(db::Conn& c, int64_t school_id, int64_t grade_id) { c.Exec(kDeleteGrade, {school_id, grade_id}); }

std::vector<ClassRow> LoadClasses(db::Conn& c, int64_t school_id, std::optional<int64_t> grade_id) {
  std::vector<ClassRow> out;
  db::Rows rows =
      grade_id ? c.Query(std::string(kClassSelect) + " AND k.grade_id = $2" + kClassOrder, {school_id, *grade_id})
               : c.Query(std::string(kClassSelect) + kClassOrder, {school_id});
  for (const auto& r : rows) out.push_back(ToClass(r));
  return out;
}

std::optional<ClassRow> LoadClass(db::Conn& c, int64_t school_id, int64_t class_id) {
  auto r = c.QueryOne(std::string(kClassSelect) + " AND k.id = $2", {school_id, class_id});
  if (!r) return std::nullopt;
  return ToClass(*r);
}

std::optional<int64_t> ClassIdByNumber(db::Conn& c, int64_t school_id, int64_t grade_id, int number) {
  auto r = c.QueryOne(kClassByNumber, {school_id, grade_id, int64_t{number}});
  if (!r) return std::nullopt;
  return r->Int(0);
}

int64_t InsertClass(db::Conn& c, int64_t school_id, const ClassRow& k) {
  return c.Insert(kInsertClass,
                  {school_id, k.grade_id, k.name, int64_t{k.number}, db::Opt(k.class_teacher_id), db::Opt(k.room_id)});
}

void UpdateClass(db::Conn& c, int64_t school_id, const ClassRow& k) {
  c.Exec(kUpdateClass,
         {school_id, k.id, k.grade_id, k.name, int64_t{k.number}, db::Opt(k.class_teacher_id), db::Opt(k.room_id)});
}

std::optional<std::string> StaffName(db::Conn& c, int64_t school_id, int64_t staff_id) {
  auto r = c.QueryOne(kStaffName, {school_id, staff_id});
  if (!r) return std::nullopt;
  return r->Text(0);
}

// ---- rooms ---------------------------------------------------------------------------------------

std::vector<RoomRow> LoadRooms(db::Conn& c, int64_t school_id, const RoomFilter& f) {
  std::string sql = kRoomSelect;
  db::Params p{school_id};
  if (!f.include_inactive) sql += " AND active = 1";
  if (!f.kind.empty()) {
    p.emplace_back(f.kind);
    sql += " AND kind = $" + std::to_string(p.size());
  }
  if (!f.q.empty()) {
    p.emplace_back(ContainsPattern(f.q));
    sql += " AND name LIKE $" + std::to_string(p.size()) + " ESCAPE '\\'";
  }
  sql += " ORDER BY kind, name, id";
  std::vector<RoomRow> out;
  for (const auto& r : c.Query(sql, p)) out.push_back(ToRoom(r));
  return out;
}

std::optional<RoomRow> LoadRoom(db::Conn& c, int64_t school_id, int64_t room_id) {
  auto r = c.QueryOne(std::string(kRoomSelect) + " AND id = $2", {school_id, room_id});
  if (!r) return std::nullopt;
  return ToRoom(*r);
}

std::optional<int64_t> RoomIdByName(db::Conn& c, int64_t school_id, const std::string& name) {
  auto r = c.QueryOne(kRoomByName, {school_id, name});
  if (!r) return std::nullopt;
  return r->Int(0);
}

int64_t InsertRoom(db::Conn& c, int64_t school_id, const RoomRow& r) {
  return c.Insert(kInsertRoom, {school_id, r.name, r.kind, r.capacity, r.equipment, int64_t{r.active ? 1 : 0}});
}

void UpdateRoom(db::Conn& c, int64_t school_id, const RoomRow& r) {
  c.Exec(kUpdateRoom, {school_id, r.id, r.name, r.kind, r.capacity, r.equipment, int64_t{r.active ? 1 : 0}});
}

int64_t ClassesUsingRoom(db::Conn& c, int64_t school_id, int64_t room_id) {
  auto r = c.QueryOne(kClassesUsingRoom, {school_id, room_id});
  return r ? r->Int(0) : 0;
}

bool TryDeleteRoom(db::Conn& c, int64_t school_id, int64_t room_id) {
  // Tables of other modules (timetable, courses) may refer to rooms by foreign key: try the
  // delete inside a savepoint and keep the room when a reference refuses it.
  c.Exec("SAVEPOINT room_delete");
  try {
    c.Exec(kDeleteRoom, {school_id, room_id});
  } catch (const db::DbError& e) {
    if (e.retryable) throw;
    c.Exec("ROLLBACK TO SAVEPOINT room_delete");
    c.Exec("RELEASE SAVEPOINT room_delete");
    return false;
  }
  c.Exec("RELEASE SAVEPOINT room_delete");
  return true;
}

}  // namespace kehou::school::store
