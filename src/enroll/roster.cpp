// roster.cpp (enroll): who is enrolled for a term, on a day.
#include <set>

#include "enroll/internal.h"
#include "enroll/service.h"

namespace kehou::enroll {

using namespace internal;

std::vector<Enrolment> ApprovedOf(Conn& c, int64_t school_id, int64_t term_id, std::optional<int64_t> student_id) {
  return store::ApprovedOf(c, school_id, term_id, student_id);
}

bool IsEnrolled(Conn& c, int64_t school_id, int64_t student_id, int64_t term_id, const Date& day) {
  auto term = school::TermOf(c, school_id, term_id);  // (only the school's own term)
  if (!term) return false;
  for (const auto& e : store::ApprovedOf(c, school_id, term_id, student_id))
    if (EnrolledOn(AppStatus::kApproved, e.signed_current_version, e.exit_effective, term->dates.start, term->dates.end,
                   day))
      return true;
  return false;
}

Result<Json> Roster(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> term_id,
                    std::optional<int64_t> class_id, std::optional<Date> date, const Date& today) {
  return db.Read([&](Conn& c) -> Result<Json> {
    auto sid = IsClassScope(who) && who.school_id ? Result<int64_t>(*who.school_id) : StaffSchool(c, who, school);
    if (!sid) return sid.error();
    auto term = TermOf(c, *sid, term_id);
    if (!term) return term.error();
    Date day = date.value_or(today);
    std::map<int64_t, store::EnrolmentRow> enrolled;
    for (auto& e : store::ApprovedOf(c, *sid, term->id, std::nullopt))
      if (EnrolledOn(AppStatus::kApproved, e.signed_current_version, e.exit_effective, term->dates.start,
                     term->dates.end, day))
        enrolled.emplace(e.student_id, std::move(e));
    std::map<int64_t, store::LookedAfterRow> looked;
    for (auto& l : store::LookedAfterOf(c, *sid, term->id, std::nullopt))
      if (!(day < l.start_date) && !(l.end_date && *l.end_date < day)) looked.emplace(l.student_id, std::move(l));
    std::map<int64_t, std::string> batch_names;
    for (const auto& b : store::BatchesOf(c, *sid, true)) batch_names[b.id] = b.name + " " + b.leave_time;
    Json items = Json::array();
    int64_t n_enrolled = 0, n_looked = 0;
    int weekday = IsoWeekday(day);
    for (const auto& st : store::StudentsOf(c, *sid, {}, TeacherBound(who))) {
      if (class_id && st.class_id != *class_id) continue;
      Json j = StudentJson(st);
      if (auto it = enrolled.find(st.id); it != enrolled.end()) {
        const auto& e = it->second;
        j["kind"] = "enrolled";
        j["label"] = "课后服务";
        j["days"] = e.days;
        j["bands"] = BandsJson(e.bands);
        j["scheduled"] = std::find(e.days.begin(), e.days.end(), weekday) != e.days.end();
        j["dismissal_batch"] = e.dismissal_batch_id && batch_names.count(*e.dismissal_batch_id)
                                   ? Json(batch_names[*e.dismissal_batch_id])
                                   : Json(nullptr);
        ++n_enrolled;
      } else if (looked.count(st.id)) {
        // R-REG-5: in the same list, in class order, with a neutral label: never set apart.
        j["kind"] = "looked_after";
        j["label"] = "在校看护";
        j["days"] = Json::array();
        j["bands"] = Json::array();
        j["scheduled"] = true;
        j["dismissal_batch"] = nullptr;
        ++n_looked;
      } else {
        continue;
      }
      items.push_back(std::move(j));
    }
    return Json{{"term_id", term->id},
                {"date", FormatDate(day)},
                {"items", items},
                {"enrolled", n_enrolled},
                {"looked_after", n_looked}};
  });
}

}  // namespace kehou::enroll
