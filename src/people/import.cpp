#include "people/import.h"

#include "core/text.h"
#include "people/rules.h"

namespace kehou::people {
namespace {

// Column keys.
constexpr std::string_view kStudentNo = "student_no", kName = "name", kGender = "gender", kGrade = "grade",
                           kClass = "class", kIdNumber = "id_number", kHealth = "health_notes",
                           kLeftBehind = "left_behind", kLowIncome = "low_income", kDisability = "disability",
                           kG1Name = "guardian_name", kG1Relation = "guardian_relation", kG1Mobile = "guardian_mobile",
                           kG2Name = "guardian2_name", kG2Relation = "guardian2_relation",
                           kG2Mobile = "guardian2_mobile", kKind = "kind", kSubjects = "subjects", kMobile = "mobile",
                           kInstitution = "institution";

const std::vector<ImportColumn> kStudentColumns = {
    {kStudentNo, "学号", "", true, "2025030101"},
    {kName, "姓名", "", true, "王小明"},
    {kGender, "性别", "(男/女)", true, "男"},
    {kGrade, "年级", "(1-9)", true, "3"},
    {kClass, "班级", "(班号)", true, "1"},
    {kIdNumber, "身份证号", "", false, "110105201603071232"},
    {kHealth, "健康备注", "", false, "花生过敏"},
    {kLeftBehind, "留守儿童", "(是/否)", false, "否"},
    {kLowIncome, "低保家庭", "(是/否)", false, "否"},
    {kDisability, "残疾", "(是/否)", false, "否"},
    {kG1Name, "监护人姓名", "", true, "王建国"},
    {kG1Relation, "监护人关系", "", false, "父亲"},
    {kG1Mobile, "监护人手机", "", true, "13800138000"},
    {kG2Name, "第二监护人姓名", "", false, "李梅"},
    {kG2Relation, "第二监护人关系", "", false, "母亲"},
    {kG2Mobile, "第二监护人手机", "", false, "13900139000"},
};

const std::vector<ImportColumn> kStaffColumns = {
    {kName, "姓名", "", true, "张丽"},
    {kGender, "性别", "(男/女)", false, "女"},
    {kKind, "类别", "(在校教师/退休教师/机构人员/志愿者/家长志愿者)", true, "退休教师"},
    {kSubjects, "学科", "", false, "书法、美术"},
    {kMobile, "手机", "", true, "13700137000"},
    {kInstitution, "所属机构", "", false, ""},
};

std::string RowText(int row) { return std::to_string(row); }

// Reads one row's cells by column key and collects errors in column order.
class RowReader {
 public:
  RowReader(const std::vector<ImportColumn>& cols, const std::map<std::string_view, size_t>& index, const SheetRow& row,
            std::vector<ImportError>& errors)
      : cols_(cols), index_(index), row_(row), errors_(errors) {}

  std::string Cell(std::string_view key) const {
    auto it = index_.find(key);
    if (it == index_.end() || it->second >= row_.cells.size()) return "";
    return row_.cells[it->second];
  }
  bool Has(std::string_view key) const { return !Trim(Cell(key)).empty(); }

  void Fail(std::string_view key, std::string zh, std::string en) {
    errors_.push_back(ImportError{row_.row, std::string(Header(key)), std::move(zh), std::move(en)});
    ++failures_;
  }
  void Fail(std::string_view key, const Error& e) { Fail(key, e.message, e.message_en); }

  // Runs a rule on the cell; records the error and returns nullopt on failure.
  template <class T>
  std::optional<T> Take(std::string_view key, const Result<T>& r) {
    if (r.ok()) return r.value();
    Fail(key, r.error());
    return std::nullopt;
  }

  std::string_view Header(std::string_view key) const {
    for (const auto& c : cols_)
      if (c.key == key) return c.header;
    return key;
  }
  int row() const { return row_.row; }
  int failures() const { return failures_; }

 private:
  const std::vector<ImportColumn>& cols_;
  const std::map<std::string_view, size_t>& index_;
  const SheetRow& row_;
  std::vector<ImportError>& errors_;
  int failures_ = 0;
};

// Maps the sheet's headers to column keys. Header problems are errors on row 1.
std::map<std::string_view, size_t> MapHeaders(const Sheet& sheet, const std::vector<ImportColumn>& cols,
                                              std::vector<ImportError>& errors) {
  constexpr int kHeaderRow = 1;
  std::map<std::string_view, size_t> index;
  for (size_t i = 0; i < sheet.headers.size(); ++i) {
    std::string h = NormaliseHeader(sheet.headers[i]);
    for (const auto& c : cols) {
      if (c.header != h) continue;
      if (index.count(c.key))
        errors.push_back({kHeaderRow, std::string(c.header), "表头中“" + std::string(c.header) + "”列重复",
                          "column " + std::string(c.header) + " appears twice"});
      else index[c.key] = i;
    }
  }
  for (const auto& c : cols)
    if (c.required && !index.count(c.key))
      errors.push_back({kHeaderRow, std::string(c.header), "缺少“" + std::string(c.header) + "”列，请使用导入模板",
                        "the column " + std::string(c.header) + " is missing; use the template"});
  return index;
}

bool CheckRowCount(const Sheet& sheet, std::vector<ImportError>& errors) {
  if (sheet.rows.empty()) {
    errors.push_back({1, "", "文件中没有数据行", "the file has no data rows"});
    return false;
  }
  if (sheet.rows.size() > kMaxImportRows) {
    errors.push_back({1, "", "一次最多导入" + std::to_string(kMaxImportRows) + "行，请分批导入",
                      "at most " + std::to_string(kMaxImportRows) + " rows per import; split the file"});
    return false;
  }
  return true;
}

std::optional<GuardianInput> ReadGuardian(RowReader& r, std::string_view name_key, std::string_view rel_key,
                                          std::string_view mobile_key, bool required) {
  if (!required && !r.Has(name_key) && !r.Has(rel_key) && !r.Has(mobile_key)) return std::nullopt;
  GuardianInput g;
  int before = r.failures();
  if (auto v = r.Take(name_key, ParseName(r.Cell(name_key)))) g.name = *v;
  if (auto v = r.Take(rel_key, ParseText(r.Cell(rel_key), kRelationMaxChars, rel_key))) g.relation = *v;
  if (g.relation.empty()) g.relation = kDefaultRelation;
  if (auto v = r.Take(mobile_key, ParseMobile(r.Cell(mobile_key)))) g.mobile = *v;
  if (r.failures() != before) return std::nullopt;
  return g;
}

}  // namespace

std::optional<ImportKind> ParseImportKind(std::string_view s) {
  if (s == "students") return ImportKind::kStudents;
  if (s == "staff") return ImportKind::kStaff;
  return std::nullopt;
}

std::string_view ImportKindName(ImportKind k) { return k == ImportKind::kStudents ? "students" : "staff"; }

const std::vector<ImportColumn>& ImportColumns(ImportKind k) {
  return k == ImportKind::kStudents ? kStudentColumns : kStaffColumns;
}

std::vector<std::string> TemplateHeaders(ImportKind k) {
  std::vector<std::string> out;
  for (const auto& c : ImportColumns(k)) out.push_back(std::string(c.header) + std::string(c.hint));
  return out;
}

std::vector<std::string> TemplateExample(ImportKind k) {
  std::vector<std::string> out;
  for (const auto& c : ImportColumns(k)) out.emplace_back(c.example);
  return out;
}

std::string NormaliseHeader(std::string_view h) {
  std::string t = Trim(h);
  size_t cut = std::min(t.find('('), t.find("（"));
  if (cut != std::string::npos) t = t.substr(0, cut);
  std::string out;
  for (size_t i = 0; i < t.size();) {  // drop spaces inside ("监护人 手机")
    if (t[i] == ' ' || t[i] == '\t') {
      ++i;
    } else if (t.compare(i, 3, "\xE3\x80\x80") == 0) {
      i += 3;
    } else {
      out += t[i++];
    }
  }
  return out;
}

Result<Sheet> SheetFromImportBody(const nlohmann::json& body) {
  if (body.is_object() && body.contains("rows")) return SheetFromJsonRows(body["rows"]);
  if (body.is_object() && body.contains("csv") && body["csv"].is_string())
    return ParseCsv(body["csv"].get_ref<const std::string&>());
  return MakeError(kInvalid, "请上传 CSV 内容（csv）或表格行（rows）", "send {\"csv\": \"...\"} or {\"rows\": [...]}",
                   "rows");
}

namespace {
// A row's class: its grade and class numbers, which must name a class of the school.
std::optional<int64_t> ReadClass(RowReader& r, const StudentImportContext& ctx) {
  auto grade = r.Take(kGrade, ParseGradeNumber(r.Cell(kGrade)));
  auto cls = r.Take(kClass, ParseClassNumber(r.Cell(kClass)));
  if (!grade || !cls) return std::nullopt;
  if (auto it = ctx.class_ids.find({*grade, *cls}); it != ctx.class_ids.end()) return it->second;
  r.Fail(kClass, "学校没有" + std::to_string(*grade) + "年级" + std::to_string(*cls) + "班，请先在“班级”中添加",
         "the school has no class " + std::to_string(*cls) + " in grade " + std::to_string(*grade));
  return std::nullopt;
}
}  // namespace

StudentImportPlan PlanStudentImport(const Sheet& sheet, const StudentImportContext& ctx) {
  StudentImportPlan plan;
  plan.total = static_cast<int64_t>(sheet.rows.size());
  auto index = MapHeaders(sheet, kStudentColumns, plan.errors);
  if (!plan.errors.empty() || !CheckRowCount(sheet, plan.errors)) return plan;

  std::unordered_map<std::string, int> no_row, id_row;                       // first row of each value
  std::unordered_map<std::string, std::pair<std::string, int>> mobile_name;  // mobile -> (name, row)
  std::unordered_set<std::string> new_mobiles;
  for (const SheetRow& sr : sheet.rows) {
    RowReader r(kStudentColumns, index, sr, plan.errors);
    StudentInput s;
    if (auto v = r.Take(kStudentNo, ParseStudentNo(r.Cell(kStudentNo)))) {
      s.student_no = *v;
      auto [it, fresh] = no_row.emplace(s.student_no, sr.row);
      if (!fresh)
        r.Fail(kStudentNo, "学号与第" + RowText(it->second) + "行重复",
               "student number repeats row " + RowText(it->second));
    }
    if (auto v = r.Take(kName, ParseName(r.Cell(kName)))) s.name = *v;
    if (auto v = r.Take(kGender, ParseGender(r.Cell(kGender)))) s.gender = *v;
    if (auto c = ReadClass(r, ctx)) s.class_id = *c;
    if (r.Has(kIdNumber)) {
      if (auto v = r.Take(kIdNumber, ParseIdNumber(r.Cell(kIdNumber), ctx.today))) {
        s.id_number = *v;
        auto [it, fresh] = id_row.emplace(s.id_number, sr.row);
        auto owner = ctx.id_number_owner.find(s.id_number);
        if (!fresh)
          r.Fail(kIdNumber, "身份证号与第" + RowText(it->second) + "行重复",
                 "ID number repeats row " + RowText(it->second));
        else if (owner != ctx.id_number_owner.end() && !s.student_no.empty() && owner->second != s.student_no)
          r.Fail(kIdNumber, "身份证号已属于本校学号为" + owner->second + "的学生",
                 "ID number already belongs to student " + owner->second);
      }
    }
    if (auto v = r.Take(kHealth, ParseText(r.Cell(kHealth), kHealthNotesMaxChars, kHealth))) s.health_notes = *v;
    if (auto v = r.Take(kLeftBehind, ParseYesNo(r.Cell(kLeftBehind), kLeftBehind))) s.left_behind = *v;
    if (auto v = r.Take(kLowIncome, ParseYesNo(r.Cell(kLowIncome), kLowIncome))) s.low_income = *v;
    if (auto v = r.Take(kDisability, ParseYesNo(r.Cell(kDisability), kDisability))) s.disability = *v;

    auto g1 = ReadGuardian(r, kG1Name, kG1Relation, kG1Mobile, true);
    auto g2 = ReadGuardian(r, kG2Name, kG2Relation, kG2Mobile, false);
    if (g1 && g2 && g1->mobile == g2->mobile) {
      r.Fail(kG2Mobile, "第二监护人手机与监护人手机相同", "the second guardian's mobile equals the first's");
      g2.reset();
    }
    for (auto [g, name_key] : {std::pair{&g1, kG1Name}, std::pair{&g2, kG2Name}}) {
      if (!*g) continue;
      auto [it, fresh] = mobile_name.emplace((*g)->mobile, std::pair{(*g)->name, sr.row});
      if (!fresh && it->second.first != (*g)->name)
        r.Fail(name_key,
               "手机号" + (*g)->mobile + "在第" + RowText(it->second.second) + "行的监护人姓名是" + it->second.first +
                   "，与本行不一致",
               "mobile " + (*g)->mobile + " belongs to " + it->second.first + " on row " + RowText(it->second.second));
      s.guardians.push_back(**g);
      if (!ctx.guardian_mobiles.count((*g)->mobile)) new_mobiles.insert((*g)->mobile);
    }

    if (r.failures() != 0) continue;
    Planned<StudentInput> p;
    p.row = sr.row;
    if (auto it = ctx.student_ids.find(s.student_no); it != ctx.student_ids.end()) p.existing_id = it->second;
    p.input = std::move(s);
    plan.items.push_back(std::move(p));
  }
  if (!plan.errors.empty()) {
    plan.items.clear();
    return plan;
  }
  for (const auto& p : plan.items) (p.existing_id ? plan.updates : plan.creates)++;
  plan.guardian_creates = static_cast<int64_t>(new_mobiles.size());
  return plan;
}

StaffImportPlan PlanStaffImport(const Sheet& sheet, const StaffImportContext& ctx) {
  StaffImportPlan plan;
  plan.total = static_cast<int64_t>(sheet.rows.size());
  auto index = MapHeaders(sheet, kStaffColumns, plan.errors);
  if (!plan.errors.empty() || !CheckRowCount(sheet, plan.errors)) return plan;

  std::unordered_map<std::string, int> mobile_row;
  for (const SheetRow& sr : sheet.rows) {
    RowReader r(kStaffColumns, index, sr, plan.errors);
    StaffInput s;
    if (auto v = r.Take(kName, ParseName(r.Cell(kName)))) s.name = *v;
    if (r.Has(kGender))
      if (auto v = r.Take(kGender, ParseGender(r.Cell(kGender)))) s.gender = *v;
    if (auto v = r.Take(kKind, ParseStaffKind(r.Cell(kKind)))) s.kind = *v;
    if (auto v = r.Take(kSubjects, ParseText(r.Cell(kSubjects), kSubjectsMaxChars, kSubjects))) s.subjects = *v;
    if (auto v = r.Take(kMobile, ParseMobile(r.Cell(kMobile)))) {
      s.mobile = *v;
      auto [it, fresh] = mobile_row.emplace(s.mobile, sr.row);
      if (!fresh)
        r.Fail(kMobile, "手机号与第" + RowText(it->second) + "行重复", "mobile repeats row " + RowText(it->second));
    }
    if (auto v = r.Take(kInstitution, ParseText(r.Cell(kInstitution), kInstitutionMaxChars, kInstitution)))
      s.institution = *v;
    if (s.kind == "institution" && s.institution.empty())
      r.Fail(kInstitution, "类别为机构人员时必须填写所属机构", "institution staff need their institution");

    if (r.failures() != 0) continue;
    Planned<StaffInput> p;
    p.row = sr.row;
    if (auto it = ctx.staff_ids.find(s.mobile); it != ctx.staff_ids.end()) p.existing_id = it->second;
    p.input = std::move(s);
    plan.items.push_back(std::move(p));
  }
  if (!plan.errors.empty()) {
    plan.items.clear();
    return plan;
  }
  for (const auto& p : plan.items) (p.existing_id ? plan.updates : plan.creates)++;
  return plan;
}

}  // namespace kehou::people
