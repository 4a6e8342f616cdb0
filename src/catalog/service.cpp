#include "catalog/service.h"

#include "auth/audit.h"
#include "catalog/internal.h"
#include "core/body.h"
#include "core/text.h"
#include "core/time.h"
#include "school/service.h"

namespace kehou::catalog {
// Helpers shared with proposals.cpp (declared in internal.h).
namespace internal {

Result<CourseInput> CourseOf(const Json& b) {
  CourseInput c;
  BodyReader in(b);
  c.name = in.Text("name", {.label = "课程名称"}).value_or("");
  c.category = in.Text("category", {.label = "课程类别"}).value_or("");
  c.description = in.Text("description", {.multiline = true, .label = "课程简介"}).value_or("");
  c.grades = ReadGrades(in);
  KEHOU_TRY(in.Finish());
  // (bounds that keep the arithmetic safe; ValidateCourse checks the policy limits)
  for (auto [key, target] : {std::pair{"capacity", &c.capacity}, std::pair{"sessions_per_week", &c.sessions_per_week},
                             std::pair{"fee_fen", &c.fee_fen}})
    if (auto v = in.Int(key, {.min = -1'000'000'000, .max = 1'000'000'000})) *target = *v;
  c.venue_kind = in.Text("venue_kind", {.label = "场地类型"}).value_or("classroom");
  c.teacher_staff_id = in.Id("teacher_staff_id", {.label = "授课教师"});
  c.institution = in.Text("institution", {.label = "机构"}).value_or("");
  c.slots = ReadSlots(in);
  KEHOU_TRY(in.Finish());
  if (!b.contains("sessions_per_week")) c.sessions_per_week = static_cast<int64_t>(std::max<size_t>(1, c.slots.size()));
  c.subject_qa = in.Bool("subject_qa", {.label = "学科答疑"}).value_or(false);
  c.new_lessons = in.Bool("new_lessons", {.label = "新授课"}).value_or(false);
  c.subject = Trim(in.Text("subject", {.label = "学科"}).value_or(""));
  KEHOU_TRY(in.Finish());
  auto s = ValidateCourse(c);
  if (!s.ok()) return s.error();
  return c;
}

Json CourseJson(const db::Row& r) {
  Json slots = Json::array();
  auto sl = ParseSlots(r.Text("slots"));
  if (sl.ok())
    for (auto& s : *sl) slots.push_back({{"weekday", s.weekday}, {"band", s.band}, {"label", DescribeSlotZh(s)}});
  Json grades = Json::array();
  auto g = ParseGrades(r.Text("grades"));
  if (g.ok())
    for (int x : *g) grades.push_back(x);
  return {{"id", r.Int("id")},
          {"term_id", r.OptInt("term_id") ? Json(*r.OptInt("term_id")) : Json()},
          {"name", r.Text("name")},
          {"category", r.Text("category")},
          {"category_label", std::string(CategoryLabelZh(r.Text("category")))},
          {"description", r.Text("description")},
          {"grades", grades},
          {"capacity", r.Int("capacity")},
          {"venue_kind", r.Text("venue_kind")},
          {"teacher_staff_id", r.OptInt("teacher_staff_id") ? Json(*r.OptInt("teacher_staff_id")) : Json()},
          {"teacher_name", r.Text("teacher_name")},
          {"institution", r.Text("institution")},
          {"sessions_per_week", r.Int("sessions_per_week")},
          {"slots", slots},
          {"fee_fen", r.Int("fee_fen")},
          {"subject_qa", r.Int("subject_qa") != 0},
          {"subject", r.Text("subject")},
          {"status", r.Text("status")},
          {"section_count", r.Int("section_count")},
          {"seats", r.Int("seats")},
          {"taken", r.Int("taken")},
          {"proposal_id", r.OptInt("proposal_id") ? Json(*r.OptInt("proposal_id")) : Json()}};
}

Json SectionJson(const db::Row& r) {
  Json slots = Json::array();
  auto sl = ParseSlots(r.Text("slots"));
  if (sl.ok())
    for (auto& s : *sl) slots.push_back({{"weekday", s.weekday}, {"band", s.band}, {"label", DescribeSlotZh(s)}});
  Json grades = Json::array();
  auto g = ParseGrades(r.Text("grades"));
  if (g.ok())
    for (int x : *g) grades.push_back(x);
  auto opt = [&](const char* k) { return r.OptInt(k) ? Json(*r.OptInt(k)) : Json(); };
  return {{"id", r.Int("id")},
          {"course_id", r.Int("course_id")},
          {"course_name", r.Text("course_name")},
          {"category", r.Text("category")},
          {"name", r.Text("name")},
          {"formation", r.Text("formation")},
          {"class_id", opt("class_id")},
          {"room_id", opt("room_id")},
          {"room_name", r.Text("room_name")},
          {"teacher_staff_id", opt("teacher_staff_id")},
          {"teacher_name", r.Text("teacher_name")},
          {"capacity", r.Int("capacity")},
          {"taken", r.Int("taken")},
          {"remaining", r.Int("capacity") - r.Int("taken")},
          {"grades", grades},
          {"slots", slots},
          {"fee_fen", r.Int("fee_fen")}};
}

std::optional<db::Row> CourseRow(db::Conn& c, int64_t school, int64_t id) {
  return c.QueryOne(kCourseById, {id, school});
}
std::optional<db::Row> SectionRow(db::Conn& c, int64_t school, int64_t id) {
  return c.QueryOne(kSectionById, {id, school});
}

Status CheckStaff(db::Conn& c, int64_t school, std::optional<int64_t> staff_id, const char* field) {
  if (!staff_id) return Ok();
  if (!c.QueryOne(kStaffOfSchool, {*staff_id, school}))
    return MakeError(kNotFound, "教师不存在", "no such staff", field);
  return Ok();
}

Status CheckCourseRefs(db::Conn& c, int64_t school, const CourseInput& in, std::optional<int64_t> term) {
  if (auto s = CheckStaff(c, school, in.teacher_staff_id, "teacher_staff_id"); !s.ok()) return s;
  if (auto s = CheckCourseFee(c, school, in.fee_fen); !s.ok()) return s;
  if (term && !school::TermOf(c, school, *term)) return MakeError(kNotFound, "学期不存在", "no such term", "term_id");
  return Ok();
}

Status CheckCourseFee(db::Conn& c, int64_t school, int64_t fee_fen) {
  if (fee_fen == 0 || school::SchoolChargesFee(c, school)) return Ok();
  return Error::RuleBroken("民办寄宿制学校开展课后服务不得收费（001 五(四)1），课程费用须为 0",
                           "a private boarding school may not charge for the after-school service (001 V(4)1)",
                           "fee_fen");
}

// A teacher (own-sections scope) sees only sections they teach.
bool TeachesSection(const auth::Principal& who, const db::Row& section, db::Conn& c) {
  if (who.scope != auth::Scope::kOwnSections) return true;
  if (!who.staff_id) return false;
  auto row = c.QueryOne(kTeachesSection, {section.Int("id"), *who.staff_id});
  return row.has_value();
}

Result<CourseInput> Merge(const db::Row& r, const Json& body) {
  Json merged = CourseJson(r);
  merged["slots"] = r.Text("slots");
  for (auto& [k, v] : body.items()) merged[k] = v;
  return CourseOf(merged);
}

}  // namespace internal
using namespace internal;

Result<Json> ListCourses(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, const Json& filters) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto sid = auth::ResolveSchool(c, who, school);
    if (!sid.ok()) return sid.error();
    std::string category = filters.value("category", "");
    std::string q = filters.value("q", "");
    std::string status = filters.value("status", "");
    int64_t page = filters.value("page", int64_t{0}), page_size = filters.value("page_size", int64_t{0});
    Json items = Json::array();
    for (auto& r : c.Query(kListCourses, {*sid, category, q, status})) items.push_back(CourseJson(r));
    size_t total = items.size();
    if (page > 0 && page_size > 0) {  // ?page=&page_size=: one page of the filtered list
      Json slice = Json::array();
      for (size_t i = static_cast<size_t>((page - 1) * page_size);
           i < total && i < static_cast<size_t>(page * page_size); ++i)
        slice.push_back(items[i]);
      items = std::move(slice);
    }
    // The extension-course count against the policy target: the school's approved courses that
    // are not subject Q&A, whatever the filters.
    int64_t extension = c.QueryOne(kExtensionCount, {*sid})->Int("n");
    Json out{{"items", items},
             {"total", total},
             {"extension_count", extension},
             {"target", kExtensionCourseTarget},
             {"target_met", extension >= kExtensionCourseTarget}};
    return out;
  });
}

Result<Json> GetCourse(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto sid = auth::ResolveSchool(c, who, school);
    if (!sid.ok()) return sid.error();
    auto r = CourseRow(c, *sid, id);
    if (!r) return Error::NotFound("课程不存在或无权访问", "no such course");
    Json out = CourseJson(*r);
    Json sections = Json::array();
    for (auto& s : c.Query(kSectionsOfCourse, {id, *sid})) sections.push_back(SectionJson(s));
    out["sections"] = sections;
    return out;
  });
}

// CreateCourse is in proposals.cpp: every course a school posts goes through the review flow.

Result<Json> UpdateCourse(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id,
                          const Json& body) {
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto sid = auth::ResolveSchool(c, who, school);
    if (!sid.ok()) return sid.error();
    auto r = CourseRow(c, *sid, id);
    if (!r) return Error::NotFound("课程不存在或无权访问", "no such course");
    auto in = Merge(*r, body);
    if (!in.ok()) return in.error();
    if (auto s = CheckStaff(c, *sid, in->teacher_staff_id, "teacher_staff_id"); !s.ok()) return s.error();
    if (auto s = CheckCourseFee(c, *sid, in->fee_fen); !s.ok()) return s.error();
    Json before = CourseJson(*r);
    BodyReader b(body);
    std::string status = b.Text("status", {.label = "状态"}).value_or(r->Text("status"));
    KEHOU_TRY(b.Finish());
    if (auto s = CheckCourseStatusEdit(r->Text("status"), status); !s.ok()) return s.error();
    // Scheduling and staffing rules when the slots, grades or the teacher change (issue 12).
    if (body.contains("slots") || body.contains("grades"))
      KEHOU_TRY(CheckCourseSchedule(c, *sid, *in, r->OptInt("term_id")));
    if (in->teacher_staff_id && status == "approved" &&
        (body.contains("teacher_staff_id") || body.contains("slots") || body.contains("subject_qa") ||
         (status != r->Text("status"))))
      KEHOU_TRY(CheckTeacherAssignment(c, *sid,
                                       {*in->teacher_staff_id, r->OptInt("term_id"), in->slots, in->subject_qa, id}));
    c.Exec(kUpdateCourse, {id, *sid, in->name, in->category, in->description, FormatGrades(in->grades), in->capacity,
                           in->venue_kind, db::Opt(in->teacher_staff_id), in->institution, in->sessions_per_week,
                           FormatSlots(in->slots), in->fee_fen, int64_t{in->subject_qa}, status, NowMs(), in->subject});
    Json after = CourseJson(*CourseRow(c, *sid, id));
    auth::Audit(c, who, {"update", "course", id, &before, &after, *sid});
    return after;
  });
}

Result<Json> ListSections(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                          std::optional<int64_t> course_id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto sid = auth::ResolveSchool(c, who, school);
    if (!sid.ok()) return sid.error();
    Json items = Json::array();
    const bool own = who.scope == auth::Scope::kOwnSections;
    db::Params p{*sid, course_id.value_or(0)};
    if (own) p.emplace_back(who.staff_id.value_or(-1));
    for (auto& r : c.Query(own ? kListOwnSections : kListSections, p)) items.push_back(SectionJson(r));
    Json out{{"items", items}, {"total", items.size()}, {"max_section_size", kMaxSectionSize}};
    return out;
  });
}

Result<int64_t> CreateSectionDirect(db::Conn& c, int64_t school_id, int64_t course_id, const std::string& name,
                                    int64_t capacity) {
  if (auto s = CheckSectionCapacity(capacity); !s.ok()) return s.error();
  return c.Insert(kInsertSection, {school_id, course_id, name, std::string("mixed"), db::Null(), db::Null(), db::Null(),
                                   capacity, NowMs()});
}

Result<Json> CreateSection(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t course_id,
                           const Json& body) {
  BodyReader b(body);
  auto cap = b.Int("capacity", {.label = "容量"});
  KEHOU_TRY(b.Finish());
  int64_t capacity = cap.value_or(kMaxSectionSize);
  if (auto s = CheckSectionCapacity(capacity); !s.ok()) return s.error();
  std::string formation = b.Text("formation", {.label = "分班方式"}).value_or("mixed");
  KEHOU_TRY(b.Finish());
  if (formation != "class" && formation != "mixed" && formation != "school")
    return Error::Invalid("分班方式无效（class/mixed/school）", "formation is class, mixed or school", "formation");
  auto class_id = b.Id("class_id", {.label = "班级"});
  auto room_id = b.Id("room_id", {.label = "场地"});
  auto teacher = b.Id("teacher_staff_id", {.label = "授课教师"});
  std::string name_in = b.Text("name", {.max_len = kMaxNameLength, .label = "教学班名称"}).value_or("");
  KEHOU_TRY(b.Finish());
  if (formation == "class" && !class_id)
    return Error::Invalid("按行政班分班时请选择班级", "choose the class for a class section", "class_id");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto sid = auth::ResolveSchool(c, who, school);
    if (!sid.ok()) return sid.error();
    auto course = CourseRow(c, *sid, course_id);
    if (!course) return Error::NotFound("课程不存在或无权访问", "no such course");
    if (auto s = CheckCourseOpen(course->Text("status")); !s.ok()) return s.error();
    if (class_id && !c.QueryOne(kClassOfSchool, {*class_id, *sid}))
      return MakeError(kNotFound, "班级不存在", "no such class", "class_id");
    if (room_id && !c.QueryOne(kRoomOfSchool, {*room_id, *sid}))
      return MakeError(kNotFound, "场地不存在", "no such room", "room_id");
    if (auto s = CheckStaff(c, *sid, teacher, "teacher_staff_id"); !s.ok()) return s.error();
    // The section's teacher (its own, else the course's) passes the staff gate (issue 12).
    if (auto t = teacher ? teacher : course->OptInt("teacher_staff_id")) {
      auto slots = ParseSlots(course->Text("slots"));
      KEHOU_TRY(CheckTeacherAssignment(c, *sid,
                                       {*t, course->OptInt("term_id"), slots.ok() ? *slots : std::vector<Slot>{},
                                        course->Int("subject_qa") != 0, std::nullopt}));
    }
    std::string name = name_in;
    if (name.empty()) name = course->Text("name") + " " + std::to_string(course->Int("section_count") + 1) + "班";
    int64_t id = c.Insert(kInsertSection, {*sid, course_id, name, formation, db::Opt(class_id), db::Opt(room_id),
                                           db::Opt(teacher), capacity, NowMs()});
    Json out = SectionJson(*SectionRow(c, *sid, id));
    auth::Audit(c, who, {"create", "section", id, nullptr, &out, *sid});
    return out;
  });
}

Result<Json> UpdateSection(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id,
                           const Json& body) {
  BodyReader b(body);
  auto cap = b.Int("capacity", {.label = "容量"});
  KEHOU_TRY(b.Finish());
  if (cap)
    if (auto s = CheckSectionCapacity(*cap); !s.ok()) return s.error();
  auto room_id = b.Id("room_id", {.label = "场地"});
  auto teacher = b.Id("teacher_staff_id", {.label = "授课教师"});
  auto name_in = b.Text("name", {.max_len = kMaxNameLength, .label = "教学班名称"});
  if (name_in && name_in->empty()) b.Fail("name", "请填写教学班名称", "is required");
  KEHOU_TRY(b.Finish());
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto sid = auth::ResolveSchool(c, who, school);
    if (!sid.ok()) return sid.error();
    auto r = SectionRow(c, *sid, id);
    if (!r) return Error::NotFound("教学班不存在或无权访问", "no such section");
    Json before = SectionJson(*r);
    int64_t capacity = cap.value_or(r->Int("capacity"));
    if (auto s = CheckCapacityCovers(capacity, r->Int("taken")); !s.ok()) return s.error();
    if (room_id && !c.QueryOne(kRoomOfSchool, {*room_id, *sid}))
      return MakeError(kNotFound, "场地不存在", "no such room", "room_id");
    if (auto s = CheckStaff(c, *sid, teacher, "teacher_staff_id"); !s.ok()) return s.error();
    if (teacher && teacher != r->OptInt("teacher_staff_id")) {  // a new teacher passes the staff gate
      auto course = CourseRow(c, *sid, r->Int("course_id"));
      auto slots = ParseSlots(course->Text("slots"));
      KEHOU_TRY(CheckTeacherAssignment(c, *sid,
                                       {*teacher, course->OptInt("term_id"), slots.ok() ? *slots : std::vector<Slot>{},
                                        course->Int("subject_qa") != 0, std::nullopt}));
    }
    std::string name = name_in.value_or(r->Text("name"));
    // Capacity changes are conditional on the seats taken at this instant (never below).
    int64_t n =
        c.Exec(kUpdateSection,
               {id, *sid, name, capacity, body.contains("room_id") ? db::Opt(room_id) : db::Opt(r->OptInt("room_id")),
                body.contains("teacher_staff_id") ? db::Opt(teacher) : db::Opt(r->OptInt("teacher_staff_id"))});
    if (n != 1) return CheckCapacityCovers(capacity, capacity + 1).error();
    Json after = SectionJson(*SectionRow(c, *sid, id));
    auth::Audit(c, who, {"update", "section", id, &before, &after, *sid});
    return after;
  });
}

Result<Json> SectionRoster(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id,
                           std::optional<Date> day) {
  std::string on = FormatDate(day.value_or(TodayLocal()));
  int64_t school_id = 0;
  auto out = db.Read([&](db::Conn& c) -> Result<Json> {
    auto sid = auth::ResolveSchool(c, who, school);
    if (!sid.ok()) return sid.error();
    school_id = *sid;
    auto r = SectionRow(c, *sid, id);
    if (!r || !TeachesSection(who, *r, c)) return Error::NotFound("教学班不存在或无权访问", "no such section");
    // A class teacher sees the children of their own class only (the section's count in full).
    const bool own_class = who.scope == auth::Scope::kOwnClass;
    Json items = Json::array();
    for (auto& s : c.Query(own_class ? kSectionChildrenOfClassTeacher : kSectionChildren,
                           own_class ? db::Params{id, *sid, on, who.staff_id.value_or(-1)} : db::Params{id, *sid, on}))
      items.push_back({{"student_id", s.Int("id")},
                       {"student_no", s.Text("student_no")},
                       {"name", s.Text("name")},
                       {"class_name", s.Text("class_name")},
                       {"source", s.Text("source")},
                       {"since", FormatInstant(s.Int("created_at"))}});
    Json answer{{"section", SectionJson(*r)}, {"items", items}, {"total", items.size()}};
    if (own_class) answer["own_class_only"] = true;
    return answer;
  });
  if (out.ok())
    auth::LogListRead(db, who,
                      {"section_roster", "section_id=" + std::to_string(id),
                       static_cast<int64_t>((*out)["items"].size()), "", school_id});
  return out;
}

std::vector<RosterChild> RosterOn(db::Conn& c, int64_t school_id, int64_t section_id, const Date& day) {
  return db::FetchOne(c, RosterOnFetch(school_id, section_id, day));
}

db::Fetch<std::vector<RosterChild>> RosterOnFetch(int64_t school_id, int64_t section_id, const Date& day) {
  return {
      {kRosterChildren, {section_id, school_id, FormatDate(day)}}, [](const db::Rows& rows) {
        std::vector<RosterChild> out;
        for (auto& r : rows)
          out.push_back({r.Int("id"), r.Int("class_id"), r.Text("student_no"), r.Text("name"), r.Text("class_name")});
        return out;
      }};
}

}  // namespace kehou::catalog
