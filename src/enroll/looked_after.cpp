// looked_after.cpp (enroll): children looked after outside the service's bands (临时托管).
#include "enroll/internal.h"
#include "enroll/service.h"

namespace kehou::enroll {

using namespace internal;

namespace {
Json LookedAfterJson(const store::LookedAfterRow& l, const store::StudentRow& st) {
  return {{"id", l.id},
          {"term_id", l.term_id},
          {"student", StudentJson(st)},
          {"reason", l.reason},
          {"start_date", FormatDate(l.start_date)},
          {"end_date", l.end_date ? Json(FormatDate(*l.end_date)) : Json(nullptr)},
          {"label", "在校看护"},
          {"recorded_by", l.user_name},
          {"created_at", FormatInstant(l.created_at)},
          {"updated_at", FormatInstant(l.updated_at)}};
}
bool Overlaps(const store::LookedAfterRow& a, const store::LookedAfterRow& b) {
  bool a_before_b = a.end_date && *a.end_date < b.start_date;
  bool b_before_a = b.end_date && *b.end_date < a.start_date;
  return !a_before_b && !b_before_a;
}
Status CheckLookedAfter(Conn& c, const store::LookedAfterRow& l, const school::Term& term) {
  if (auto s = CheckReason(l.reason, true); !s) return s;
  if (auto s = CheckLookedAfterDates(l.start_date, l.end_date, term.dates.start, term.dates.end); !s) return s;
  if (IsEnrolled(c, l.school_id, l.student_id, l.term_id, l.start_date))
    return Error::RuleBroken("该学生已报名托管服务，无需登记为在校看护", "the child is enrolled in the service",
                             "student_id");
  for (const auto& o : store::LookedAfterOf(c, l.school_id, l.term_id, l.student_id))
    if (o.id != l.id && Overlaps(o, l))
      return Error::Conflict("该学生在这段日期已有在校看护记录",
                             "the child already has a looked-after record for these dates", "start_date");
  return Ok();
}
}  // namespace

Result<Json> ListLookedAfter(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> term_id,
                             std::optional<int64_t> class_id) {
  return db.Read([&](Conn& c) -> Result<Json> {
    auto sid = IsClassScope(who) && who.school_id ? Result<int64_t>(*who.school_id) : StaffSchool(c, who, school);
    if (!sid) return sid.error();
    auto term = TermOf(c, *sid, term_id);
    if (!term) return term.error();
    Json items = Json::array();
    for (const auto& l : store::LookedAfterOf(c, *sid, term->id, std::nullopt)) {
      auto st = store::LoadStudent(c, l.student_id);
      if (!st || !SeeStudent(c, who, school, *st).ok()) continue;
      if (class_id && st->class_id != *class_id) continue;
      items.push_back(LookedAfterJson(l, *st));
    }
    return Json{{"term_id", term->id}, {"items", items}};
  });
}

Result<Json> CreateLookedAfter(db::Db& db, const Principal& who, SchoolArg school, const Json& body,
                               const Date& today) {
  BodyReader in(body);
  auto student_id = in.Id("student_id", {.required = true, .label = "学生"});
  auto term_id = in.Id("term_id", {.label = "学期"});
  std::string reason = Trim(in.Text("reason", {.required = true, .multiline = true, .label = "原因"}).value_or(""));
  auto start = in.Date("start_date", {.label = "开始日期"});
  auto end = in.Date("end_date", {.label = "结束日期"});
  KEHOU_TRY(in.Finish());
  return db.Write([&](Conn& c) -> Result<Json> {
    auto st = VisibleStudent(c, who, school, *student_id);
    if (!st) return st.error();
    if (IsGuardianScope(who)) return StudentNotFound();
    auto term = TermOf(c, st->school_id, term_id);
    if (!term) return term.error();
    store::LookedAfterRow l;
    l.school_id = st->school_id;
    l.term_id = term->id;
    l.student_id = st->id;
    l.reason = reason;
    l.start_date = start.value_or(std::max(today, term->dates.start));
    l.end_date = end;
    l.user_id = who.user_id ? std::optional<int64_t>(who.user_id) : std::nullopt;
    l.user_name = WhoName(who);
    if (auto s = CheckLookedAfter(c, l, *term); !s) return s.error();
    l.id = store::InsertLookedAfter(c, l);
    auto saved = store::LoadLookedAfter(c, l.id);
    Json out = LookedAfterJson(*saved, *st);
    auth::Audit(c, who, {"create", "looked_after", l.id, nullptr, &out, st->school_id});
    return out;
  });
}

Result<Json> UpdateLookedAfter(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const Json& body) {
  return db.Write([&](Conn& c) -> Result<Json> {
    auto l = store::LoadLookedAfter(c, id);
    auto nf = [] { return Error::NotFound("在校看护记录不存在", "no such looked-after record"); };
    if (!l) return nf();
    auto st = store::LoadStudent(c, l->student_id);
    if (!st || IsGuardianScope(who) || !SeeStudent(c, who, school, *st).ok()) return nf();
    auto term = school::TermOf(c, l->school_id, l->term_id);
    if (!term) return TermNotFound();
    BodyReader in(body);
    store::LookedAfterRow n = *l;
    if (auto r = in.Text("reason", {.multiline = true, .label = "原因"})) n.reason = Trim(*r);
    if (auto s = in.Date("start_date", {.label = "开始日期"})) n.start_date = *s;
    if (in.Has("end_date")) n.end_date = in.Date("end_date", {.label = "结束日期"});
    KEHOU_TRY(in.Finish());
    if (auto r = CheckReason(n.reason, true); !r) return r.error();
    if (auto r = CheckLookedAfterDates(n.start_date, n.end_date, term->dates.start, term->dates.end); !r)
      return r.error();
    for (const auto& o : store::LookedAfterOf(c, n.school_id, n.term_id, n.student_id))
      if (o.id != n.id && Overlaps(o, n))
        return Error::Conflict("该学生在这段日期已有在校看护记录",
                               "the child already has a looked-after record for these dates", "start_date");
    store::UpdateLookedAfter(c, n);
    Json before = LookedAfterJson(*l, *st);
    Json after = LookedAfterJson(*store::LoadLookedAfter(c, id), *st);
    auth::Audit(c, who, {"update", "looked_after", id, &before, &after, n.school_id});
    return after;
  });
}

}  // namespace kehou::enroll
