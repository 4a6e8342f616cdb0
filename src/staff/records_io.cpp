#include "staff/records_io.h"

#include <set>

#include "auth/audit.h"
#include "core/text.h"
#include "people/import.h"
#include "people/xlsx.h"
#include "staff/service.h"
#include "staff/store.h"

namespace kehou::staff {
namespace {

enum Col { kMobile, kCheckDate, kResult, kCertificate, kValidUntil, kHealth, kStart, kEnd, kRate, kCols };

}  // namespace

const std::vector<std::string>& RecordImportHeaders() {
  static const std::vector<std::string> h = {"手机号",         "查询日期", "查询结果", "证明编号", "查询有效期至",
                                             "健康证有效期至", "协议开始", "协议结束", "课时费"};
  return h;
}

std::optional<int64_t> YuanToFen(const std::string& s) {
  std::string t = Trim(s);
  if (t.empty() || t.size() > 12) return std::nullopt;
  int64_t yuan = 0, fen = 0;
  size_t i = 0;
  for (; i < t.size() && t[i] != '.'; ++i) {
    if (t[i] < '0' || t[i] > '9') return std::nullopt;
    yuan = yuan * 10 + (t[i] - '0');
  }
  if (i == 0) return std::nullopt;
  if (i < t.size()) {
    size_t digits = t.size() - i - 1;
    if (digits == 0 || digits > 2) return std::nullopt;
    for (size_t k = i + 1; k < t.size(); ++k) {
      if (t[k] < '0' || t[k] > '9') return std::nullopt;
      fen = fen * 10 + (t[k] - '0');
    }
    if (digits == 1) fen *= 10;
  }
  return yuan * 100 + fen;
}

RecordImportPlan PlanRecordImport(const people::Sheet& sheet, const std::map<std::string, int64_t>& staff_by_mobile) {
  RecordImportPlan plan;
  const auto& headers = RecordImportHeaders();
  int index[kCols];
  for (int k = 0; k < kCols; ++k) index[k] = -1;
  for (size_t i = 0; i < sheet.headers.size(); ++i)
    for (int k = 0; k < kCols; ++k)
      if (people::NormaliseHeader(sheet.headers[i]) == headers[static_cast<size_t>(k)]) index[k] = static_cast<int>(i);
  if (index[kMobile] < 0) {
    plan.errors.push_back({1, "手机号", "缺少“手机号”列（用于找到人员）"});
    return plan;
  }
  if (sheet.rows.empty()) plan.errors.push_back({1, "", "文件中没有数据行"});
  if (sheet.rows.size() > people::kMaxImportRows)
    plan.errors.push_back({1, "", "一次最多导入 " + std::to_string(people::kMaxImportRows) + " 行"});
  std::set<int64_t> seen;
  for (const auto& r : sheet.rows) {
    auto cell = [&](Col k) { return index[k] < 0 ? std::string() : Trim(r.cells.at(static_cast<size_t>(index[k]))); };
    auto fail = [&](Col k, std::string why) {
      plan.errors.push_back({r.row, headers[static_cast<size_t>(k)], std::move(why)});
    };
    auto date = [&](Col k) -> std::optional<Date> {
      std::string v = cell(k);
      if (v.empty()) return std::nullopt;
      auto d = ParseDate(v);
      if (!d) fail(k, "日期应为 YYYY-MM-DD：" + v);
      return d;
    };
    const size_t before = plan.errors.size();
    RecordImportRow item;
    item.row = r.row;
    auto it = staff_by_mobile.find(cell(kMobile));
    if (cell(kMobile).empty()) fail(kMobile, "请填写手机号");
    else if (it == staff_by_mobile.end())
      fail(kMobile, "本校没有手机号为 " + cell(kMobile) + " 的人员，请先导入教职工");
    else if (!seen.insert(it->second).second) fail(kMobile, "同一人员在文件中出现了两次");
    else item.staff_id = it->second;
    auto cd = date(kCheckDate), cv = date(kValidUntil);
    std::string result = cell(kResult);
    if (cd || cv || !result.empty()) {
      if (!cd) fail(kCheckDate, "填写背景审查时须有查询日期");
      if (!cv) fail(kValidUntil, "填写背景审查时须有有效期");
      if (result != "通过" && result != "未通过") fail(kResult, "查询结果应为“通过”或“未通过”");
      if (cd && cv && (result == "通过" || result == "未通过")) {
        item.check = BackgroundCheck{*cd, result == "通过", cell(kCertificate), *cv};
        if (auto s = CheckCheck(*item.check); !s.ok()) fail(kValidUntil, s.error().message);
      }
    }
    item.health_valid_until = date(kHealth);
    auto cs = date(kStart), ce = date(kEnd);
    if (cs || ce) {
      if (!cs || !ce) fail(cs ? kEnd : kStart, "聘用协议须有开始和结束日期");
      std::optional<int64_t> fen = int64_t{0};
      if (!cell(kRate).empty()) {
        fen = YuanToFen(cell(kRate));
        if (!fen) fail(kRate, "课时费应为金额（元），如 80 或 80.5");
      }
      if (cs && ce && fen) {
        item.contract = Contract{*cs, *ce, *fen};
        if (auto s = CheckContract(*item.contract); !s.ok()) fail(kEnd, s.error().message);
      }
    }
    if (plan.errors.size() == before) plan.items.push_back(std::move(item));
  }
  if (!plan.ok()) plan.items.clear();
  return plan;
}

Result<nlohmann::json> ImportRecords(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                                     const nlohmann::json& body) {
  KEHOU_ASSIGN_OR_RETURN(people::Sheet sheet, people::SheetFromImportBody(body));
  return db.Write([&](db::Conn& c) -> Result<nlohmann::json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    std::map<std::string, int64_t> by_mobile;
    for (auto& r : c.Query(store::kStaffMobiles, {sid})) by_mobile[r.Text("mobile")] = r.Int("id");
    RecordImportPlan plan = PlanRecordImport(sheet, by_mobile);
    if (!plan.ok()) {
      nlohmann::json errors = nlohmann::json::array();
      for (auto& e : plan.errors) errors.push_back({{"row", e.row}, {"column", e.column}, {"reason", e.reason}});
      return nlohmann::json{{"ok", false}, {"total", sheet.rows.size()}, {"errors", errors}};
    }
    const int64_t now = NowMs();
    for (auto& item : plan.items) {
      auto row = store::FindRecord(c, sid, item.staff_id);
      store::RecordFields f = store::FieldsOf(*row);
      if (item.check) {
        f.check_date = FormatDate(item.check->checked_on);
        f.check_result = item.check->passed ? "passed" : "failed";
        f.check_certificate = item.check->certificate_no;
        f.check_valid_until = FormatDate(item.check->valid_until);
      }
      if (item.health_valid_until) f.health_valid_until = FormatDate(*item.health_valid_until);
      if (item.contract) {
        f.contract_start = FormatDate(item.contract->start);
        f.contract_end = FormatDate(item.contract->end);
        f.hourly_rate_fen = item.contract->hourly_rate_fen;
      }
      store::SaveRecord(c, sid, item.staff_id, f, now);
    }
    nlohmann::json counts{{"ok", true}, {"updated", plan.items.size()}, {"total", sheet.rows.size()}};
    auth::Audit(c, who, {"import", "staff_record", std::nullopt, nullptr, &counts, sid});
    return counts;
  });
}

Result<FileOut> ExportRecords(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                              const nlohmann::json& filters) {
  nlohmann::json f = filters;
  f["page"] = 1;
  f["page_size"] = 1'000'000;
  KEHOU_ASSIGN_OR_RETURN(nlohmann::json list, ListRecords(db, who, school, f));
  std::vector<std::string> headers = {"姓名",         "类别",           "学科",           "查询日期", "查询结果",
                                      "证明编号",     "查询有效期至",   "健康证有效期至", "协议开始", "协议结束",
                                      "课时费（元）", "本学期培训次数", "能否安排",       "原因"};
  std::vector<std::vector<std::string>> rows;
  for (auto& x : list["items"]) {
    auto s = [&](const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : std::string(); };
    const auto& ck = x["check"];
    const auto& ct = x["contract"];
    std::string rate;
    if (ct.is_object()) {
      int64_t fen = ct["hourly_rate_fen"];
      rate = std::to_string(fen / 100) + "." + std::to_string(fen % 100 / 10) + std::to_string(fen % 10);
    }
    rows.push_back({s(x["name"]), s(x["kind_label"]), s(x["subjects"]), ck.is_object() ? s(ck["date"]) : "",
                    ck.is_object() ? (ck["result"] == "passed" ? "通过" : "未通过") : "",
                    ck.is_object() ? s(ck["certificate_no"]) : "", ck.is_object() ? s(ck["valid_until"]) : "",
                    s(x["health_valid_until"]), ct.is_object() ? s(ct["start"]) : "",
                    ct.is_object() ? s(ct["end"]) : "", rate, std::to_string(x["training_sessions"].get<int>()),
                    x["gate"]["ok"].get<bool>() ? "可安排" : "不能安排", s(x["gate"]["reason"])});
  }
  KEHOU_ASSIGN_OR_RETURN(std::string bytes, people::BuildXlsx("人员档案", headers, rows));
  db.Write([&](db::Conn& c) {
    nlohmann::json what{{"list", "staff_records"}, {"rows", rows.size()}};
    auto sid = auth::ResolveSchool(c, who, school);
    auth::Audit(c, who,
                {"export", "staff_record", std::nullopt, nullptr, &what,
                 sid.ok() ? std::optional<int64_t>(*sid) : std::nullopt});
  });
  return FileOut{std::move(bytes), std::string(people::kXlsxContentType), "人员档案.xlsx"};
}

}  // namespace kehou::staff
