// internal.cpp (enroll): the helpers internal.h declares (but the JSON codecs: json.cpp).
#include "enroll/internal.h"

#include "auth/audit.h"

namespace kehou::enroll::internal {

// ---- errors --------------------------------------------------------------------------------------
Error StudentNotFound() { return Error::NotFound("学生不存在或无权访问", "no such student", "student_id"); }
Error SurveyNotFound() { return Error::NotFound("需求征询不存在", "no such survey"); }
Error ApplicationNotFound() { return Error::NotFound("申请不存在", "no such application"); }
Error TermNotFound() { return Error::NotFound("学期不存在", "no such term", "term_id"); }

// ---- scope ---------------------------------------------------------------------------------------
bool IsGuardianScope(const Principal& who) { return who.scope == Scope::kOwnChildren; }
bool IsClassScope(const Principal& who) { return who.scope == Scope::kOwnClass; }
bool IsGradeScope(const Principal& who) { return who.scope == Scope::kGrade; }
bool IsOffice(const Principal& who) {
  return who.scope == Scope::kSchool && (who.role == Role::kPrincipal || who.role == Role::kVicePrincipal ||
                                         who.role == Role::kOfficeDirector || who.role == Role::kOfficeStaff);
}
std::string WhoName(const Principal& who) { return who.display_name.empty() ? who.login : who.display_name; }

// The school a staff request is about (own school; ?school_id for the system administrator).
Result<int64_t> StaffSchool(Conn& c, const Principal& who, SchoolArg school) {
  if (IsGuardianScope(who)) return Error::NotFound("学校不存在或无权访问", "no such school", "school_id");
  return auth::ResolveSchool(c, who, school);
}

// May a staff member see things of entity_school?
Status SeeSchool(Conn& c, const Principal& who, SchoolArg school, int64_t entity_school) {
  if (school && *school != entity_school) return Error::NotFound("记录不存在或无权访问", "not found");
  if (IsGuardianScope(who)) return Error::NotFound("记录不存在或无权访问", "not found");
  auto r = auth::ResolveSchool(c, who, entity_school);
  if (!r.ok() || *r != entity_school) return Error::NotFound("记录不存在或无权访问", "not found");
  return Ok();
}

// May who see this child? Guardians: their own; class teachers: their classes; office: the school.
Status SeeStudent(Conn& c, const Principal& who, SchoolArg school, const store::StudentRow& s) {
  switch (who.scope) {
    case Scope::kOwnChildren:
      if (who.guardian_id && store::IsGuardianOf(c, *who.guardian_id, s.id)) return Ok();
      return StudentNotFound();
    case Scope::kOwnClass:
      if (who.school_id && *who.school_id == s.school_id && who.staff_id && s.class_teacher_id &&
          *s.class_teacher_id == *who.staff_id)
        return Ok();
      return StudentNotFound();
    case Scope::kGrade: {  // a grade leader: the grades they lead, and the classes they teach
      if (!who.school_id || *who.school_id != s.school_id || !who.staff_id) return StudentNotFound();
      if (s.class_teacher_id && *s.class_teacher_id == *who.staff_id) return Ok();
      if (c.QueryOne(store::kLeadsGradeOfClass, {s.class_id, *who.staff_id})) return Ok();
      return StudentNotFound();
    }
    case Scope::kSchool:
    case Scope::kAll:
    case Scope::kArea:
      if (SeeSchool(c, who, school, s.school_id).ok()) return Ok();
      return StudentNotFound();
    default: return StudentNotFound();
  }
}

Result<store::StudentRow> VisibleStudent(Conn& c, const Principal& who, SchoolArg school, int64_t id) {
  auto s = store::LoadStudent(c, id);
  if (!s) return StudentNotFound();
  if (auto st = SeeStudent(c, who, school, *s); !st) return st.error();
  return *s;
}

Result<int64_t> SchoolOfRequest(Conn& c, const Principal& who, SchoolArg school, std::optional<int64_t> student_id,
                                bool class_own_school) {
  if (IsGuardianScope(who)) {
    if (!student_id) return Error::Invalid("请指定学生（student_id）", "student_id is required", "student_id");
    KEHOU_ASSIGN_OR_RETURN(auto st, VisibleStudent(c, who, std::nullopt, *student_id));
    return st.school_id;
  }
  if (class_own_school && IsClassScope(who) && who.school_id) return *who.school_id;
  return StaffSchool(c, who, school);
}

// The staff_id whose classes bound a class teacher's view, or nullopt for the whole school.
std::optional<int64_t> TeacherBound(const Principal& who) {
  if (IsClassScope(who)) return who.staff_id.value_or(-1);
  return std::nullopt;
}

Result<school::Term> TermOf(Conn& c, int64_t school_id, std::optional<int64_t> term_id) {
  // Terms through school's door (issue 9 §3). Without a term_id: the term the school marked
  // current (school's fallback to the term dated today does not count here).
  if (term_id) {
    auto t = school::TermOf(c, school_id, *term_id);
    if (!t) return TermNotFound();
    return *t;
  }
  auto t = school::CurrentTerm(c, school_id);
  if (!t || !t->is_current)
    return Error::RuleBroken("学校尚未设置当前学期，请指定 term_id", "the school has no current term; name term_id",
                             "term_id");
  return *t;
}

Result<std::pair<store::ApplicationRow, store::StudentRow>> VisibleApplication(Conn& c, const Principal& who,
                                                                               SchoolArg school, int64_t id) {
  auto a = store::LoadApplication(c, id);
  if (!a) return ApplicationNotFound();
  auto st = store::LoadStudent(c, a->student_id);
  if (!st || !SeeStudent(c, who, school, *st).ok()) return ApplicationNotFound();
  return std::make_pair(*a, *st);
}

void Decide(Conn& c, const Principal& who, const store::ApplicationRow& a, Step step, AppStatus to,
            const std::string& reason) {
  store::DecisionRow d;
  d.application_id = a.id;
  d.application_version = a.version;
  d.action = std::string(StepName(step));
  d.from_status = std::string(StatusName(a.status));
  d.to_status = std::string(StatusName(to));
  d.reason = reason;
  d.user_id = who.user_id ? std::optional<int64_t>(who.user_id) : std::nullopt;
  d.user_name = WhoName(who);
  d.role = std::string(auth::RoleName(who.role));
  d.at = NowMs();
  store::InsertDecision(c, a.school_id, d);
  Json before{{"status", StatusName(a.status)}};
  Json after{{"status", StatusName(to)}, {"reason", reason}, {"version", a.version}};
  auth::Audit(c, who, {StepName(step), "application", a.id, &before, &after, a.school_id});
}

Error Stale() {
  return Error::Conflict("申请已被他人修改，请刷新后重试", "the application changed meanwhile; reload and retry",
                         "version");
}

}  // namespace kehou::enroll::internal
