#include "demo/staff.h"

#include <string>

#include "core/time.h"
#include "demo/generator.h"

namespace kehou::demo {

Result<DemoStaff> CreateDemoStaff(db::Db& db, int64_t school_id) {
  return db.Write([&](db::Conn& c) -> Result<DemoStaff> {
    DemoStaff out;
    auto term = c.QueryOne(
        "SELECT start_date, end_date FROM terms WHERE school_id = $1 AND is_current = 1"
        " ORDER BY id DESC",
        {school_id});
    if (!term) return Error::Invalid("演示学校没有当前学期", "the demo school has no current term");
    const Date today = TodayLocal();
    const Date start = *ParseDate(term->Text(0)), end = *ParseDate(term->Text(1));
    const int64_t now = NowMs();
    const int64_t area = c.QueryOne("SELECT area_id FROM schools WHERE id = $1", {school_id})->Int(0);
    // The county's list: the training centre (under contract) and an arts centre (exited).
    const int64_t centre = c.Insert(
        "INSERT INTO institutions (area_id, name, licence_no, filing_no, categories, listed, review_date, created_at,"
        " updated_at) VALUES ($1, $2, '91330100MA2DEMO01X', '青教备〔2026〕017号', 'science', 1, $3, $4, $4) RETURNING "
        "id",
        {area, std::string(kInstitutionName), FormatDate(AddDays(end, 180)), now});
    const int64_t arts = c.Insert(
        "INSERT INTO institutions (area_id, name, licence_no, filing_no, categories, listed, review_date, created_at,"
        " updated_at) VALUES ($1, '青山小海豚艺术培训中心', '91330100MA2DEMO02Y', '青教备〔2025〕042号', 'arts,club', "
        "1,"
        " $2, $3, $3) RETURNING id",
        {area, FormatDate(AddDays(end, 90)), now});
    out.institutions = 2;
    auto assistant =
        c.QueryOne("SELECT id FROM staff WHERE school_id = $1 AND kind = 'in_school' ORDER BY id", {school_id});
    const char* kContract =
        "INSERT INTO institution_contracts (school_id, institution_id, start_date, end_date, no_promotion,"
        " safety_duties, assistant_staff_id, exited_on, exit_reason, created_at) VALUES ($1,$2,$3,$4,1,1,$5,$6,$7,$8)";
    c.Exec(kContract, {school_id, centre, FormatDate(AddDays(start, -7)), FormatDate(AddDays(end, 30)),
                       db::Opt(assistant ? std::optional<int64_t>(assistant->Int(0)) : std::nullopt), db::Null(),
                       std::string(), now});
    c.Exec(kContract,
           {school_id, arts, FormatDate(AddDays(start, -7)), FormatDate(AddDays(end, 30)),
            db::Opt(assistant ? std::optional<int64_t>(assistant->Int(0)) : std::nullopt),
            FormatDate(AddDays(today, -20)), std::string("家长满意度低于 60%，且两次未按约定派出教师"), now});

    int retired_seen = 0;
    const char* kTopics[] = {"课后服务安全与应急处置培训", "特色课程教学技巧培训"};
    for (auto& s :
         c.Query("SELECT id, kind, subjects, institution FROM staff WHERE school_id = $1 ORDER BY id", {school_id})) {
      const int64_t id = s.Int(0);
      const std::string kind = s.Text(1);
      int blocked = 0;  // 1 no check, 2 expired, 3 no contract
      if (kind == "retired" && retired_seen < kDemoBlocked) blocked = ++retired_seen;
      const bool with_centre = kind == "institution" && s.Text(3) == kInstitutionName;
      std::string weekdays = std::to_string(1 + id % 5) + "," + std::to_string(1 + (id + 2) % 5);
      if (id % 5 > (id + 2) % 5) weekdays = std::to_string(1 + (id + 2) % 5) + "," + std::to_string(1 + id % 5);
      c.Exec(
          "INSERT INTO staff_records (school_id, staff_id, qualifications, institution_id, check_date, check_result,"
          " check_certificate, check_valid_until, health_valid_until, contract_start, contract_end, hourly_rate_fen,"
          " will_weekdays, will_bands, will_content, will_max_hours, updated_at)"
          " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$17,$14,$15,$16)",
          {school_id, id, kind == "in_school" ? std::string("教师资格证") : std::string("专业等级证书"),
           with_centre ? db::Value(centre) : db::Null(),
           blocked == 1 ? db::Null() : db::Value(FormatDate(AddDays(today, blocked == 2 ? -400 : -60))),
           blocked == 1 ? db::Null() : db::Value(std::string("passed")), "WF" + std::to_string(20260000 + id),
           blocked == 1 ? db::Null() : db::Value(FormatDate(AddDays(today, blocked == 2 ? -35 : 305))),
           FormatDate(AddDays(today, 200)), blocked == 3 ? db::Null() : db::Value(FormatDate(AddDays(start, -10))),
           blocked == 3 ? db::Null() : db::Value(FormatDate(AddDays(end, 30))),
           int64_t{kind == "in_school" ? 6000 : 8000}, weekdays, s.Text(2), int64_t{2 + id % 3}, now,
           // a third also willing to serve in the morning (morning care and its AB backups)
           std::string(id % 3 == 0 ? "morning,after_school" : "after_school")});
      ++out.records;
      out.blocked += blocked != 0;
      const int sessions = id % 4 == 0 ? 1 : 2;  // a quarter short of the 2 a term
      for (int k = 0; k < sessions; ++k)
        c.Exec(
            "INSERT INTO staff_trainings (school_id, staff_id, held_on, hours, topic, created_at)"
            " VALUES ($1,$2,$3,$4,$5,$6)",
            {school_id, id, FormatDate(AddDays(start, 3 + 30 * k)), int64_t{2}, std::string(kTopics[k]), now});
    }
    return out;
  });
}

}  // namespace kehou::demo
