// export.cpp (people): the school's lists as spreadsheets (masked by role).
#include "auth/audit.h"
#include "people/csv.h"
#include "people/internal.h"
#include "people/service.h"

namespace kehou::people {

using namespace internal;

namespace {

std::string_view RoomKindZh(std::string_view k) {
  if (k == "classroom") return "教室";
  if (k == "sports_ground") return "运动场";
  if (k == "gym") return "体育馆";
  if (k == "function_room") return "功能室";
  if (k == "library") return "图书馆";
  if (k == "lab") return "实验室";
  return k;
}

struct Table {
  std::string sheet;
  std::string filename;
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
};

Table StudentsTable(db::Conn& c, const Principal& who, int64_t school) {
  Table t{"学生", "学生名单.xlsx", TemplateHeaders(ImportKind::kStudents), {}};
  store::StudentFilter all;
  all.limit = 0;
  for (const auto& s : store::ListStudents(c, Visibility{school, Visibility::Kind::kSchool, 0}, all).items) {
    Sight v = SightOf(who, s);
    auto mobile = [&](const std::string& m) { return v.full_mobile ? m : auth::MaskMobile(m); };
    std::vector<std::string> row = {s.student_no,
                                    s.name,
                                    std::string(GenderLabel(s.gender)),
                                    std::to_string(s.grade_number),
                                    std::to_string(s.class_number),
                                    v.full_id || s.id_number.empty() ? s.id_number : auth::MaskIdNumber(s.id_number),
                                    v.health ? s.health_notes : "",
                                    v.flags ? std::string(YesNoLabel(s.left_behind)) : "",
                                    v.flags ? std::string(YesNoLabel(s.low_income)) : "",
                                    v.flags ? std::string(YesNoLabel(s.disability)) : ""};
    for (size_t i = 0; i < 2; ++i) {
      if (i < s.guardians.size()) {
        const auto& g = s.guardians[i];
        row.insert(row.end(), {g.name, g.relation, mobile(g.mobile)});
      } else {
        row.insert(row.end(), {"", "", ""});
      }
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace

Result<FileOut> Export(db::Db& db, const Principal& who, std::string_view list, std::optional<int64_t> school_id) {
  static constexpr std::string_view kLists[] = {"students", "staff", "guardians", "classes", "rooms", "audit"};
  if (std::find(std::begin(kLists), std::end(kLists), list) == std::end(kLists))
    return MakeError(kNotFound, "没有这种导出：" + std::string(list), "no such export: " + std::string(list), "list");
  auto table = db.Write([&](db::Conn& c) -> Result<Table> {
    auto school = auth::ResolveSchool(c, who, school_id);
    if (!school.ok()) return school.error();
    Table t;
    if (list == "audit") {
      // The audit log is the leadership's (GET /audit): the same roles export it.
      if (who.role != auth::Role::kPrincipal && who.role != auth::Role::kVicePrincipal &&
          who.role != auth::Role::kSysAdmin)
        return MakeError(kForbidden, "只有校长、副校长可以导出审计日志", "only the principal may export the audit log",
                         "list");
      constexpr int64_t kMaxAuditExportRows = 100000;
      t = {"审计日志",
           "审计日志.xlsx",
           {"时间(UTC)", "操作人", "操作", "对象", "对象编号", "修改前", "修改后", "来源地址"},
           {}};
      for (const auto& r : store::ExportAudit(c, *school, kMaxAuditExportRows))
        t.rows.push_back({FormatInstant(r.at), r.user_name, r.action, r.entity,
                          r.entity_id ? std::to_string(*r.entity_id) : "", r.before_json, r.after_json, r.client});
    } else if (list == "students") {
      t = StudentsTable(c, who, *school);
    } else if (list == "staff") {
      t = {"教职工", "教职工名单.xlsx", TemplateHeaders(ImportKind::kStaff), {}};
      t.headers.push_back("状态");
      store::StaffFilter all;
      all.limit = 0;
      all.include_inactive = true;
      bool full = SeesFullStaffMobile(who.role);
      for (const auto& s : store::ListStaff(c, *school, all).items)
        t.rows.push_back({s.name, std::string(GenderLabel(s.gender)), std::string(StaffKindLabel(s.kind)), s.subjects,
                          full ? s.mobile : auth::MaskMobile(s.mobile), s.institution, s.active ? "在用" : "停用"});
    } else if (list == "guardians") {
      t = {"监护人", "监护人名单.xlsx", {"姓名", "手机", "子女"}, {}};
      bool full = SeesFullMobileByRole(who.role);
      for (const auto& g : store::ListGuardians(c, Visibility{*school, Visibility::Kind::kSchool, 0}, "", 0, 0).items) {
        std::vector<std::string> kids;
        for (const auto& k : g.children) kids.push_back(k.name + "（" + k.class_name + "，" + k.relation + "）");
        t.rows.push_back({g.name, full ? g.mobile : auth::MaskMobile(g.mobile), Join(kids, kRelationSeparator)});
      }
    } else if (list == "classes") {
      t = {"班级", "班级名单.xlsx", {"年级", "班号", "班级名称", "班主任", "学生数"}, {}};
      for (const auto& r : store::ExportClasses(c, *school))
        t.rows.push_back({std::to_string(r.grade_number), std::to_string(r.class_number), r.name, r.teacher_name,
                          std::to_string(r.students)});
    } else {
      t = {"场地", "场地名单.xlsx", {"名称", "类型", "容纳人数", "设备", "状态"}, {}};
      for (const auto& r : store::ExportRooms(c, *school))
        t.rows.push_back({r.name, std::string(RoomKindZh(r.kind)), std::to_string(r.capacity), r.equipment,
                          r.active ? "在用" : "停用"});
    }
    Json after = {{"list", list}, {"rows", static_cast<int64_t>(t.rows.size())}};
    auth::Audit(c, who, {"export", list, std::nullopt, nullptr, &after, *school});
    return t;
  });
  if (!table.ok()) return table.error();
  auto bytes = BuildXlsx(table->sheet, table->headers, table->rows);
  if (!bytes.ok()) return bytes.error();
  return FileOut{std::move(*bytes), std::string(kXlsxContentType), table->filename};
}

}  // namespace kehou::people
