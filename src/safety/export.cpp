// Every safety list as XLSX (schools keep these in Excel), through people::BuildXlsx. Each list is
// exported to the roles that may read it (the route's permission row is their union).
#include <algorithm>
#include <vector>

#include "safety/internal.h"
#include "safety/rules.h"

namespace kehou::safety {
namespace {

using namespace internal;
using auth::Role;
using Cols = std::vector<std::pair<std::string, std::string>>;

bool Office(Role r) {
  return r == Role::kPrincipal || r == Role::kVicePrincipal || r == Role::kOfficeDirector || r == Role::kOfficeStaff ||
         r == Role::kSysAdmin;
}

// Who may export which list (beyond the office and leadership, who export every one).
bool MayExport(const std::string& list, Role r) {
  if (Office(r)) return true;
  if (list == "unwell" || list == "health_notes") return r == Role::kSchoolDoctor;
  if (list == "incidents") return r == Role::kSafetyOfficer || r == Role::kSchoolDoctor;
  if (list == "site_checks" || list == "patrols" || list == "visitors")
    return r == Role::kSafetyOfficer || r == Role::kGuard;
  if (list == "insurance" || list == "drills") return r == Role::kSafetyOfficer;
  return false;  // handovers: the office
}

// Each list's sheet: its name, its title and its columns (field, header), in the order the lists
// are offered.
struct ListSheet {
  std::string list, title;
  Cols cols;
};

const std::vector<ListSheet> kSheets = {
    {"unwell",
     "身体不适记录",
     {{"day", "日期"},
      {"course", "课程"},
      {"section", "班组"},
      {"student", "学生"},
      {"class_name", "班级"},
      {"symptom", "症状"},
      {"actions", "处理措施"},
      {"note", "说明"},
      {"reporter", "报告教师"},
      {"reported_at_text", "报告时间"},
      {"status", "状态"},
      {"doctor_note", "校医意见"},
      {"seen_by", "校医"},
      {"seen_at_text", "确认时间"}}},
    {"handovers",
     "交接班记录",
     {{"day", "日期"},
      {"from_name", "交班人"},
      {"to_name", "接班人"},
      {"place", "地点"},
      {"children_text", "学生"},
      {"watch", "注意事项"},
      {"created_at_text", "交班时间"},
      {"status", "状态"},
      {"ack_at_text", "接班确认时间"},
      {"ack_note", "接班说明"}}},
    {"health_notes",
     "学生健康信息",
     {{"class_name", "班级"},
      {"student", "学生"},
      {"kind", "类别"},
      {"detail", "内容"},
      {"care", "处置方法"},
      {"active", "有效"},
      {"updated_by", "登记人"},
      {"updated_at_text", "更新时间"}}},
    {"insurance",
     "保险",
     {{"kind", "险种"},
      {"policy_no", "保单号"},
      {"insurer", "保险公司"},
      {"from_date", "起期"},
      {"to_date", "止期"},
      {"covers_all", "覆盖全部学生"},
      {"covered", "列明学生数"},
      {"note", "备注"}}},
    {"site_checks",
     "场地安全检查",
     {{"day", "日期"},
      {"doors", "门"},
      {"windows", "窗"},
      {"equipment", "设施设备"},
      {"wiring", "电路"},
      {"note", "说明"},
      {"by_name", "检查人"},
      {"checked_at_text", "检查时间"}}},
    {"patrols",
     "安全巡查",
     {{"time", "时间"},
      {"area", "区域"},
      {"ok", "正常"},
      {"findings", "发现问题"},
      {"follow_up", "处理措施"},
      {"follow_up_done_at_text", "处理完毕"},
      {"by_name", "巡查人"}}},
    {"incidents",
     "安全事件",
     {{"time", "时间"},
      {"level_zh", "级别"},
      {"student", "涉及学生"},
      {"place", "地点"},
      {"description", "经过"},
      {"actions", "处置措施"},
      {"guardian_notified", "已告知家长"},
      {"by_name", "登记人"}}},
    {"drills",
     "应急演练",
     {{"term", "学期"},
      {"day", "日期"},
      {"kind", "类别"},
      {"plan", "预案"},
      {"participants", "参加人数"},
      {"minutes", "用时（分钟）"},
      {"record", "记录"}}},
    {"visitors",
     "来访登记",
     {{"day", "日期"},
      {"name", "来访人"},
      {"id_last4", "证件后四位"},
      {"mobile", "手机号"},
      {"purpose", "事由"},
      {"host", "被访人"},
      {"in_at_text", "进校时间"},
      {"out_at_text", "离校时间"}}},
};

// The list's rows, all of them (one page as large as any school's list), as the list's page shows.
Result<Json> ListRows(db::Db& db, const auth::Principal& who, SchoolArg school, const std::string& list, ListQuery q,
                      int64_t now_ms) {
  q.page = 1;
  q.size = 100000;
  if (list == "unwell") return ListUnwell(db, who, school, q);
  if (list == "handovers") return ListHandovers(db, who, school, q);
  if (list == "health_notes") {
    q.status = "all";
    return ListHealthNotes(db, who, school, q);
  }
  if (list == "insurance") return ListInsurance(db, who, school, q, LocalDate(now_ms));
  if (list == "site_checks") return ListSiteChecks(db, who, school, q, now_ms);
  if (list == "patrols") return ListPatrols(db, who, school, q);
  if (list == "incidents") return ListIncidents(db, who, school, q);
  if (list == "drills") return ListDrills(db, who, school, LocalDate(now_ms));
  return ListVisitors(db, who, school, q);
}

}  // namespace

Result<FileOut> Export(db::Db& db, const auth::Principal& who, SchoolArg school, const std::string& list,
                       const ListQuery& query, int64_t now_ms) {
  auto sheet = std::find_if(kSheets.begin(), kSheets.end(), [&](const ListSheet& s) { return s.list == list; });
  if (sheet == kSheets.end()) return Error::Invalid("未知的清单：" + list, "unknown list", "list");
  if (!MayExport(list, who.role)) return Error::Forbidden("无权导出该清单", "you may not export this list");
  KEHOU_ASSIGN_OR_RETURN(Json j, ListRows(db, who, school, list, query, now_ms));
  return Sheet(sheet->title, sheet->cols, j["items"]);
}

}  // namespace kehou::safety
