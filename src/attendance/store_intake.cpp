// store_intake.cpp (attendance): the statements of intake.cpp — gate devices, cards, guardians'
// leave requests — and their loaders (rows read into the structs of store.h here only).
#include <nlohmann/json.hpp>

#include "attendance/store.h"

namespace kehou::attendance::store {
namespace {

constexpr const char* kDeviceById =
    "SELECT id, school_id, name, key_hash, active, created_at, last_seen_at FROM attendance_devices WHERE id = $1";
constexpr const char* kDevicesOf =
    "SELECT id, school_id, name, key_hash, active, created_at, last_seen_at FROM attendance_devices"
    " WHERE school_id = $1 ORDER BY id";
constexpr const char* kInsertDevice =
    "INSERT INTO attendance_devices (school_id, name, key_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id";
constexpr const char* kDisableDevice = "UPDATE attendance_devices SET active = 0 WHERE id = $1 AND school_id = $2";
constexpr const char* kIngestSwipesPg =
    "SELECT uid, student_id FROM kehou_ingest_swipes($1::bigint, $2::bigint, $3::bigint, $4::text, $5::integer,"
    " $6::integer, $7::text, $8::text, $9::text, $10::bigint)";
constexpr const char* kIngestSwipeBatchesPg = "SELECT batch, uid, student_id FROM kehou_ingest_swipe_batches($1::text)";
constexpr const char* kTouchDevice = "UPDATE attendance_devices SET last_seen_at = $2 WHERE id = $1";

constexpr const char* kStudentInSchool = "SELECT 1 FROM students WHERE id = $1 AND school_id = $2";
constexpr const char* kSectionInSchool = "SELECT 1 FROM sections WHERE id = $1 AND school_id = $2";
constexpr const char* kUpdateCard = "UPDATE attendance_cards SET student_id = $3 WHERE school_id = $1 AND card_no = $2";
constexpr const char* kInsertCard =
    "INSERT INTO attendance_cards (school_id, card_no, student_id, created_at) VALUES ($1, $2, $3, $4)";

#define KEHOU_LEAVE_SELECT                                                                                   \
  "SELECT l.id, l.student_id, st.name, cl.name, l.from_date, l.to_date, l.sections, l.reason, l.status,"     \
  " l.created_at FROM leave_requests l JOIN students st ON st.id = l.student_id JOIN classes cl ON cl.id = " \
  "st.class_id"
// A guardian: their children's requests ending on or after $2, whatever the school.
constexpr const char* kLeavesOfGuardian = KEHOU_LEAVE_SELECT
    " WHERE l.student_id IN (SELECT sg.student_id FROM student_guardians sg WHERE sg.guardian_id = $1)"
    " AND l.to_date >= $2 ORDER BY l.from_date, l.id";
// The school's requests covering the day.
constexpr const char* kLeavesOfSchool =
    KEHOU_LEAVE_SELECT " WHERE l.school_id = $1 AND l.from_date <= $2 AND l.to_date >= $2 ORDER BY l.from_date, l.id";
// A member of staff: the children of their own class ($3), and of the sections they teach.
constexpr const char* kLeavesOfStaff = KEHOU_LEAVE_SELECT
    " WHERE l.school_id = $1 AND l.from_date <= $2 AND l.to_date >= $2"
    " AND (cl.class_teacher_id = $3 OR l.student_id IN (SELECT sel.student_id FROM selections sel"
    " JOIN sections x ON x.id = sel.section_id JOIN courses co ON co.id = x.course_id"
    " WHERE sel.school_id = $1 AND sel.status = 'confirmed'"
    " AND COALESCE(x.teacher_staff_id, co.teacher_staff_id) = $3)) ORDER BY l.from_date, l.id";
#undef KEHOU_LEAVE_SELECT
constexpr const char* kSchoolOfGuardiansChild =
    "SELECT st.school_id FROM student_guardians sg JOIN students st ON st.id = sg.student_id"
    " WHERE sg.guardian_id = $1 AND sg.student_id = $2";
constexpr const char* kInsertLeave =
    "INSERT INTO leave_requests (school_id, student_id, guardian_id, from_date, to_date, sections,"
    " reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";

DeviceRow ReadDevice(const db::Row& r) {
  return {.id = r.Int(0),
          .school_id = r.Int(1),
          .name = r.Text(2),
          .key_hash = r.Text(3),
          .active = r.Int(4) == 1,
          .created_at = r.Int(5),
          .last_seen_at = r.OptInt(6)};
}

std::vector<LeaveRow> ReadLeaves(const db::Rows& rows) {
  std::vector<LeaveRow> out;
  for (const auto& r : rows)
    out.push_back({.id = r.Int(0),
                   .student_id = r.Int(1),
                   .student_name = r.Text(2),
                   .class_name = r.Text(3),
                   .from_date = r.Text(4),
                   .to_date = r.Text(5),
                   .sections = r.Text(6),
                   .reason = r.Text(7),
                   .status = r.Text(8),
                   .created_at = r.Int(9)});
  return out;
}

// A batch's rows as the PostgreSQL calls take them: [[uid, card_no, at_ms, day], ...].
nlohmann::json SwipeRows(const std::vector<const SwipeIn*>& batch) {
  nlohmann::json rows = nlohmann::json::array();
  for (const SwipeIn* s : batch) rows.push_back({s->uid, s->card_no, s->at_ms, FormatDate(LocalDate(s->at_ms))});
  return rows;
}

}  // namespace

std::optional<DeviceRow> DeviceById(db::Conn& c, int64_t device_id) {
  if (auto r = c.QueryOne(kDeviceById, {device_id})) return ReadDevice(*r);
  return std::nullopt;
}

std::vector<DeviceRow> DevicesOf(db::Conn& c, int64_t school_id) {
  std::vector<DeviceRow> out;
  for (const auto& r : c.Query(kDevicesOf, {school_id})) out.push_back(ReadDevice(r));
  return out;
}

int64_t InsertDevice(db::Conn& c, int64_t school_id, const std::string& name, const std::string& key_hash,
                     int64_t now_ms) {
  return c.Insert(kInsertDevice, {school_id, name, key_hash, now_ms});
}

void DisableDevice(db::Conn& c, int64_t school_id, int64_t device_id) {
  c.Exec(kDisableDevice, {device_id, school_id});
}

std::map<std::string, std::optional<int64_t>> IngestSwipesDirect(db::Conn& c, int64_t school_id, int64_t device_id,
                                                                 const std::vector<const SwipeIn*>& batch,
                                                                 int64_t now_ms, const SwipeBatchAudit& audit) {
  std::map<std::string, std::optional<int64_t>> stored;
  for (auto& r :
       c.Query(kIngestSwipesPg, {school_id, device_id, now_ms, SwipeRows(batch).dump(), int64_t{audit.duplicate},
                                 int64_t{audit.rejected}, audit.user_name, audit.client, audit.request_id, NowMs()}))
    stored.emplace(r.Text(0), r.OptInt(1));
  return stored;
}

std::vector<std::map<std::string, std::optional<int64_t>>> IngestSwipeBatchesDirect(
    db::Conn& c, const std::vector<SwipeBatchIn>& batches) {
  nlohmann::json list = nlohmann::json::array();
  const int64_t audit_at = NowMs();
  for (const auto& b : batches)
    list.push_back({{"school", b.school_id},
                    {"device", b.device_id},
                    {"now", b.now_ms},
                    {"rows", SwipeRows(*b.rows)},
                    {"duplicate", b.audit->duplicate},
                    {"rejected", b.audit->rejected},
                    {"user_name", b.audit->user_name},
                    {"client", b.audit->client},
                    {"request_id", b.audit->request_id},
                    {"audit_at", audit_at}});
  std::vector<std::map<std::string, std::optional<int64_t>>> stored(batches.size());
  for (auto& r : c.Query(kIngestSwipeBatchesPg, {list.dump()})) stored.at(r.Int(0)).emplace(r.Text(1), r.OptInt(2));
  return stored;
}

void TouchDevice(db::Conn& c, int64_t device_id, int64_t now_ms) { c.Exec(kTouchDevice, {device_id, now_ms}); }

bool StudentInSchool(db::Conn& c, int64_t school_id, int64_t student_id) {
  return c.QueryOne(kStudentInSchool, {student_id, school_id}).has_value();
}

bool SectionInSchool(db::Conn& c, int64_t school_id, int64_t section_id) {
  return c.QueryOne(kSectionInSchool, {section_id, school_id}).has_value();
}

void PutCard(db::Conn& c, int64_t school_id, const std::string& card_no, int64_t student_id, bool exists,
             int64_t now_ms) {
  if (exists) c.Exec(kUpdateCard, {school_id, card_no, student_id});
  else c.Exec(kInsertCard, {school_id, card_no, student_id, now_ms});
}

std::vector<LeaveRow> LeavesOfGuardian(db::Conn& c, int64_t guardian_id, const Date& ending_from) {
  return ReadLeaves(c.Query(kLeavesOfGuardian, {guardian_id, FormatDate(ending_from)}));
}

std::vector<LeaveRow> LeavesOfSchool(db::Conn& c, int64_t school_id, const Date& day, std::optional<int64_t> staff_id) {
  if (staff_id) return ReadLeaves(c.Query(kLeavesOfStaff, {school_id, FormatDate(day), *staff_id}));
  return ReadLeaves(c.Query(kLeavesOfSchool, {school_id, FormatDate(day)}));
}

std::optional<int64_t> SchoolOfGuardiansChild(db::Conn& c, int64_t guardian_id, int64_t student_id) {
  if (auto r = c.QueryOne(kSchoolOfGuardiansChild, {guardian_id, student_id})) return r->Int(0);
  return std::nullopt;
}

int64_t InsertLeave(db::Conn& c, int64_t school_id, const LeaveRow& l, int64_t guardian_id) {
  return c.Insert(kInsertLeave,
                  {school_id, l.student_id, guardian_id, l.from_date, l.to_date, l.sections, l.reason, l.created_at});
}

}  // namespace kehou::attendance::store
