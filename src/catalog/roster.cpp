#include "catalog/roster.h"

#include "auth/audit.h"
#include "catalog/internal.h"
#include "catalog/rules.h"
#include "catalog/store.h"
#include "core/text.h"
#include "core/time.h"
#include "people/rules.h"
#include "people/xlsx.h"
#include "school/service.h"

namespace kehou::catalog {
namespace {

// "2025-09-10 08:00" in Beijing time.
std::string BeijingTime(int64_t epoch_ms) { return FormatLocalMinute(epoch_ms); }

// The labels the guardian's application form uses (web locales: enroll.pickup*).
std::string PickupLabel(const std::string& mode, const std::string& guardian, const std::string& proxy) {
  auto with = [](std::string label, const std::string& who) { return who.empty() ? label : label + "（" + who + "）"; };
  if (mode == "self") return "自行离校";
  if (mode == "guardian") return with("监护人接送", guardian);
  if (mode == "proxy") return with("委托他人接送", proxy);
  return "";
}

// "机器人 1班" for the section "机器人 1班" of 机器人 (the default names), else "<course> <section>".
std::string FileTitle(const RosterSheet& s) {
  return s.section.starts_with(s.course) ? s.section : s.course + " " + s.section;
}

}  // namespace

Result<RosterSheet> ExportSectionRoster(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                                        int64_t id, std::string_view format, std::optional<Date> day) {
  const std::string on = FormatDate(day.value_or(TodayLocal()));
  return db.Write([&](db::Conn& c) -> Result<RosterSheet> {
    auto sid = auth::ResolveSchool(c, who, school);
    if (!sid.ok()) return sid.error();
    const bool own = who.scope == auth::Scope::kOwnSections;  // a teacher: only the sections they teach
    db::Params p{id, *sid};
    if (own) p.emplace_back(who.staff_id.value_or(-1));
    auto sec = c.QueryOne(own ? kRosterOwnSection : kRosterSection, p);
    if (!sec) return MakeError(kNotFound, "教学班不存在或无权访问", "no such section");

    RosterSheet s;
    s.section_id = id;
    s.course = sec->Text("course_name");
    s.section = sec->Text("name");
    s.teacher = sec->Text("teacher_name");
    if (std::string inst = sec->Text("institution"); !inst.empty())  // an outside institution teaches
      s.teacher = s.teacher.empty() ? inst : s.teacher + "（" + inst + "）";
    s.room = sec->Text("room_name");
    s.taken = sec->Int("taken");
    s.capacity = sec->Int("capacity");
    if (auto slots = ParseSlots(sec->Text("slots")); slots.ok()) {
      std::vector<std::string> labels;
      for (const auto& sl : *slots) labels.push_back(DescribeSlotZh(sl));
      s.slots = Join(labels, "、");
    }
    s.school = c.QueryOne(kSchoolName, {*sid})->Text("name");
    std::optional<int64_t> term = sec->OptInt("term_id");
    // Terms through school's door (issue 9 §3): the course's term, else the one the school marked
    // current (not school's fallback to the term dated today).
    auto term_of = term ? school::TermOf(c, *sid, *term) : school::CurrentTerm(c, *sid);
    if (term_of && (term || term_of->is_current)) {
      term = term_of->id;
      s.term = term_of->name;
    }

    const bool full_by_role = people::SeesFullMobileByRole(who.role);
    for (const auto& r : c.Query(kRosterLines, {id, *sid, db::Opt(term), on})) {
      RosterLine l;
      l.student_no = r.Text("student_no");
      l.name = r.Text("name");
      l.gender = std::string(people::GenderLabel(r.Text("gender")));
      l.grade = r.Text("grade_name");
      l.class_name = r.Text("class_name");
      auto class_teacher = r.OptInt("class_teacher_id");
      bool own_class = who.staff_id && class_teacher && *who.staff_id == *class_teacher;
      if (who.scope == auth::Scope::kOwnClass && !own_class) continue;  // a class teacher: own class only
      std::string mobile = r.Text("mobile");
      if (!mobile.empty()) {
        l.guardian_phone = full_by_role || own_class ? mobile : auth::MaskMobile(mobile);
        if (std::string rel = r.Text("relation"); !rel.empty()) l.guardian_phone = rel + " " + l.guardian_phone;
      }
      l.pickup = PickupLabel(r.Text("pickup_mode"), r.Text("pickup_guardian"), r.Text("proxy_name"));
      s.lines.push_back(std::move(l));
    }
    Json after{{"format", format}, {"rows", static_cast<int64_t>(s.lines.size())}};
    auth::Audit(c, who, {"export", "section_roster", id, nullptr, &after, *sid});
    return s;
  });
}

pdf::TableDocument RosterDocument(const RosterSheet& s, int64_t printed_at_ms) {
  using pdf::Align;
  pdf::TableDocument d;
  d.title = FileTitle(s) + " 学生名单";
  auto or_none = [](const std::string& v) { return v.empty() ? std::string("未定") : v; };
  d.subtitles = {"学期：" + or_none(s.term) + "　　教师：" + or_none(s.teacher) + "　　场地：" + or_none(s.room),
                 "上课时段：" + or_none(s.slots) + "　　人数：" + std::to_string(s.lines.size()) + " / " +
                     std::to_string(s.capacity)};
  bool pickup = false;
  for (const auto& l : s.lines) pickup = pickup || !l.pickup.empty();
  // Widths: "母亲 138****5678" and "委托他人接送（张阿姨）" on one line at 10 pt.
  d.columns = {{"序号", 0.5, Align::kCenter},
               {"姓名", 1.0},
               {"性别", 0.5, Align::kCenter},
               {"年级", 0.7},
               {"班级", 1.2},
               {"监护人电话", 1.6}};
  if (pickup) d.columns.push_back({"接送方式", 1.9});
  int n = 0;
  for (const auto& l : s.lines) {
    std::vector<std::string> row = {std::to_string(++n), l.name, l.gender, l.grade, l.class_name, l.guardian_phone};
    if (pickup) row.push_back(l.pickup);
    d.rows.push_back(std::move(row));
  }
  d.header_left = s.school;
  d.footer_left = "打印时间 " + BeijingTime(printed_at_ms) + "（北京时间）";
  d.empty_text = "本班暂无学生";
  return d;
}

Result<FileOut> SectionRosterPdf(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id) {
  auto sheet = ExportSectionRoster(db, who, school, id, "pdf");
  if (!sheet.ok()) return sheet.error();
  auto doc = pdf::RenderTable(RosterDocument(*sheet, NowMs()));
  if (!doc.ok()) return doc.error();
  return FileOut{std::move(doc->bytes), std::string(pdf::kPdfContentType), FileTitle(*sheet) + " 名单.pdf"};
}

Result<FileOut> SectionRosterXlsx(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id) {
  auto sheet = ExportSectionRoster(db, who, school, id, "xlsx");
  if (!sheet.ok()) return sheet.error();
  std::vector<std::vector<std::string>> rows;
  int n = 0;
  for (const auto& l : sheet->lines) rows.push_back({std::to_string(++n), l.student_no, l.name, l.class_name});
  auto bytes = people::BuildXlsx(FileTitle(*sheet), {"序号", "学号", "姓名", "班级"}, rows);
  if (!bytes.ok()) return bytes.error();
  return FileOut{std::move(*bytes), std::string(people::kXlsxContentType), FileTitle(*sheet) + " 名单.xlsx"};
}

}  // namespace kehou::catalog
