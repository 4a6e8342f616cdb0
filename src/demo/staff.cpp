#include "demo/staff.h"

#include <string>

#include "core/time.h"
#include "demo/generator.h"
#include "demo/store.h"
#include "school/service.h"

namespace kehou::demo {

namespace {

// The county's list: the training centre (under contract) and an arts centre (exited).
void Institutions(db::Conn& c, int64_t school_id, const school::Term& term, int64_t& centre, DemoStaff& out) {
  const Date today = TodayLocal(), start = term.dates.start, end = term.dates.end;
  const int64_t now = NowMs();
  const int64_t area = store::AreaOfSchool(c, school_id).value_or(0);
  centre = store::InsertInstitution(c, {area, std::string(kInstitutionName), "91330100MA2DEMO01X",
                                        "青教备〔2026〕017号", "science", FormatDate(AddDays(end, 180)), now});
  const int64_t arts =
      store::InsertInstitution(c, {area, "青山小海豚艺术培训中心", "91330100MA2DEMO02Y", "青教备〔2025〕042号",
                                   "arts,club", FormatDate(AddDays(end, 90)), now});
  out.institutions = 2;
  const auto assistant = store::FirstInSchoolStaff(c, school_id);
  store::InsertContract(c, {school_id, centre, FormatDate(AddDays(start, -7)), FormatDate(AddDays(end, 30)), assistant,
                            std::nullopt, std::string(), now});
  store::InsertContract(c, {school_id, arts, FormatDate(AddDays(start, -7)), FormatDate(AddDays(end, 30)), assistant,
                            FormatDate(AddDays(today, -20)), "家长满意度低于 60%，且两次未按约定派出教师", now});
}

// A staff member's record: checks, contract and wishes; a few retired teachers blocked
// (1 no check, 2 expired, 3 no contract).
store::StaffRecordRow Record(int64_t school_id, const store::StaffRow& s, int blocked, std::optional<int64_t> centre,
                             const school::Term& term, int64_t now) {
  const Date today = TodayLocal(), start = term.dates.start, end = term.dates.end;
  const int64_t id = s.id;
  std::string weekdays = std::to_string(1 + id % 5) + "," + std::to_string(1 + (id + 2) % 5);
  if (id % 5 > (id + 2) % 5) weekdays = std::to_string(1 + (id + 2) % 5) + "," + std::to_string(1 + id % 5);
  auto unless = [](bool none, std::string v) { return none ? std::nullopt : std::optional<std::string>(std::move(v)); };
  store::StaffRecordRow r;
  r.school_id = school_id;
  r.staff_id = id;
  r.qualifications = s.kind == "in_school" ? "教师资格证" : "专业等级证书";
  r.institution_id = centre;
  r.check_date = unless(blocked == 1, FormatDate(AddDays(today, blocked == 2 ? -400 : -60)));
  r.check_result = unless(blocked == 1, "passed");
  r.check_certificate = "WF" + std::to_string(20260000 + id);
  r.check_valid_until = unless(blocked == 1, FormatDate(AddDays(today, blocked == 2 ? -35 : 305)));
  r.health_valid_until = FormatDate(AddDays(today, 200));
  r.contract_start = unless(blocked == 3, FormatDate(AddDays(start, -10)));
  r.contract_end = unless(blocked == 3, FormatDate(AddDays(end, 30)));
  r.hourly_rate_fen = s.kind == "in_school" ? 6000 : 8000;
  r.will_weekdays = weekdays;
  // a third also willing to serve in the morning (morning care and its AB backups)
  r.will_bands = id % 3 == 0 ? "morning,after_school" : "after_school";
  r.will_content = s.subjects;
  r.will_max_hours = 2 + id % 3;
  r.now = now;
  return r;
}

}  // namespace

Result<DemoStaff> CreateDemoStaff(db::Db& db, int64_t school_id) {
  return db.Write([&](db::Conn& c) -> Result<DemoStaff> {
    DemoStaff out;
    auto term = school::CurrentTerm(c, school_id);
    if (!term) return Error::Invalid("演示学校没有当前学期", "the demo school has no current term");
    int64_t centre = 0;
    Institutions(c, school_id, *term, centre, out);
    int retired_seen = 0;
    const char* kTopics[] = {"课后服务安全与应急处置培训", "特色课程教学技巧培训"};
    const int64_t now = NowMs();
    for (const auto& s : store::StaffOfSchool(c, school_id)) {
      int blocked = 0;  // 1 no check, 2 expired, 3 no contract
      if (s.kind == "retired" && retired_seen < kDemoBlocked) blocked = ++retired_seen;
      const bool with_centre = s.kind == "institution" && s.institution == kInstitutionName;
      store::InsertStaffRecord(
          c, Record(school_id, s, blocked, with_centre ? std::optional(centre) : std::nullopt, *term, now));
      ++out.records;
      out.blocked += blocked != 0;
      const int sessions = s.id % 4 == 0 ? 1 : 2;  // a quarter short of the 2 a term
      for (int k = 0; k < sessions; ++k)
        store::InsertTraining(c, school_id, s.id, FormatDate(AddDays(term->dates.start, 3 + 30 * k)), 2, kTopics[k],
                              now);
    }
    return out;
  });
}

}  // namespace kehou::demo
