// Health notes (allergies, special constitution; issue 13 §4): read only by the office, the school
// doctor and the teachers of the child's sessions (rules.h MaySeeHealthNotes), written by the
// office and the doctor. Reads are logged (read_log) like other lists of children's personal data.
#include <set>

#include "auth/audit.h"
#include "safety/internal.h"
#include "safety/rules.h"
#include "safety/store.h"

namespace kehou::safety {
namespace {

using namespace internal;

Error Refused() {
  return Error::Forbidden("只有该学生课程的任课教师、校医和学校办公室可以查看其健康信息",
                          "only the child's teachers, the doctor and the office see health notes");
}

bool IsTeacher(auth::Role r) {
  return r == auth::Role::kTeacher || r == auth::Role::kClassTeacher || r == auth::Role::kGradeLeader ||
         r == auth::Role::kExternalStaff;
}

}  // namespace

Result<Json> ListHealthNotes(db::Db& db, const auth::Principal& who, SchoolArg school, const ListQuery& q) {
  int64_t school_id = 0;
  auto out = db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    school_id = sid;
    std::set<int64_t> taught;
    const bool teacher = IsTeacher(who.role);
    if (teacher) taught = store::TaughtChildren(c, sid, who.staff_id.value_or(-1), TodayLocal());
    if (q.student_id) {
      if (!store::Student(c, sid, *q.student_id)) return NotFound("学生", "student");
      if (!MaySeeHealthNotes(who.role, taught.count(*q.student_id) > 0)) return Refused();
    } else if (!MaySeeHealthNotes(who.role, teacher)) {
      return Refused();
    }
    Json items = Json::array();
    for (auto& r : c.Query(store::kHealthNotes, {sid, q.student_id.value_or(0),
                                                 int64_t{q.status == std::optional<std::string>("all") ? 1 : 0}})) {
      if (teacher && !taught.count(r.Int("student_id"))) continue;  // only the children of their sessions
      Json j = RowJson(r);
      j["active"] = r.Int("active") != 0;
      items.push_back(std::move(j));
    }
    return Json{{"items", items}, {"total", items.size()}};
  });
  if (out.ok())
    auth::LogListRead(db, who,
                      {"health_notes", q.student_id ? "student_id=" + std::to_string(*q.student_id) : "",
                       static_cast<int64_t>((*out)["items"].size()), "detail,care", school_id});
  return out;
}

Result<Json> CreateHealthNote(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body,
                              int64_t now_ms) {
  if (!MayWriteHealthNotes(who.role)) return Refused();
  BodyReader r(body);
  auto student = r.Id("student_id", {.required = true, .label = "学生"});
  auto kind = r.Text("kind", {.required = true, .max_len = 20, .label = "类别"});
  auto detail = r.Text("detail", {.required = true, .max_len = kMaxNoteChars, .multiline = true, .label = "内容"});
  auto care = r.Text("care", {.max_len = kMaxNoteChars, .multiline = true, .label = "处置方法"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  if (!ValidHealthKind(*kind))
    return Error::Invalid("类别应为过敏、特殊体质、用药或其他", "kind is allergy|constitution|medication|other",
                          "kind");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    if (!store::Student(c, sid, *student)) return Error::NotFound("学生不存在", "no such student", "student_id");
    int64_t id =
        c.Insert(store::kInsertHealthNote, {sid, *student, *kind, *detail, care.value_or(""), who.user_id, now_ms});
    Json after = {{"student_id", *student}, {"kind", *kind}};  // the text itself stays out of the audit
    auth::Audit(c, who, {"create", "health_note", id, nullptr, &after, sid});
    return RowJson(*c.QueryOne(store::kHealthById, {sid, id}));
  });
}

Result<Json> UpdateHealthNote(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t id, const Json& body,
                              int64_t now_ms) {
  if (!MayWriteHealthNotes(who.role)) return Refused();
  BodyReader r(body);
  auto kind = r.Text("kind", {.max_len = 20, .label = "类别"});
  auto detail = r.Text("detail", {.max_len = kMaxNoteChars, .multiline = true, .label = "内容"});
  auto care = r.Text("care", {.max_len = kMaxNoteChars, .multiline = true, .label = "处置方法"});
  auto active = r.Bool("active", {.label = "有效"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  if (kind && !ValidHealthKind(*kind))
    return Error::Invalid("类别应为过敏、特殊体质、用药或其他", "kind is allergy|constitution|medication|other",
                          "kind");
  if (detail && detail->empty()) return Error::Invalid("内容不能为空", "detail is required", "detail");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    const char* one = store::kHealthById;
    auto before = c.QueryOne(one, {sid, id});
    if (!before) return NotFound("健康信息", "health note");
    c.Exec(store::kUpdateHealthNote, {sid, id, db::Opt(kind), db::Opt(detail), db::Opt(care),
                                      active ? db::Value(int64_t{*active ? 1 : 0}) : db::Null(), who.user_id, now_ms});
    Json b = {{"kind", before->Text("kind")}, {"active", before->Int("active") != 0}};
    Json a = {{"kind", kind.value_or(before->Text("kind"))}, {"active", active.value_or(before->Int("active") != 0)}};
    auth::Audit(c, who, {"update", "health_note", id, &b, &a, sid});
    return RowJson(*c.QueryOne(one, {sid, id}));
  });
}

}  // namespace kehou::safety
