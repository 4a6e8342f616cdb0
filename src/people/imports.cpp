// imports.cpp (people): importing students or staff: the template, a preview, the all-or-nothing run.
#include "auth/audit.h"
#include "people/csv.h"
#include "people/internal.h"
#include "people/service.h"

namespace kehou::people {

using namespace internal;

Result<FileOut> ImportTemplate(std::string_view kind, std::string_view format) {
  auto k = KindOf(kind);
  if (!k.ok()) return k.error();
  std::string base = std::string(KindZh(*k)) + "导入模板";
  if (format.empty() || format == "xlsx") {
    auto bytes = BuildXlsx(std::string(KindZh(*k)), TemplateHeaders(*k), {TemplateExample(*k)});
    if (!bytes.ok()) return bytes.error();
    return FileOut{std::move(*bytes), std::string(kXlsxContentType), base + ".xlsx"};
  }
  if (format == "csv") {
    std::string out(kUtf8Bom);
    AppendCsvRecord(out, TemplateHeaders(*k));
    AppendCsvRecord(out, TemplateExample(*k));
    return FileOut{std::move(out), kCsvContentType, base + ".csv"};
  }
  return Error::Invalid("format 只能是 csv、xlsx 或 json", "format must be csv, xlsx or json", "format");
}

Result<Json> ImportTemplateColumns(std::string_view kind) {
  KEHOU_ASSIGN_OR_RETURN(auto k, KindOf(kind));
  Json columns = Json::array();
  for (const auto& c : ImportColumns(k))
    columns.push_back(
        {{"key", c.key}, {"header", c.header}, {"hint", c.hint}, {"required", c.required}, {"example", c.example}});
  return Json{{"kind", std::string(kind)}, {"columns", std::move(columns)}};
}

namespace {

template <class Plan>
Json CountsJson(const Plan& p) {
  return {{"ok", true}, {"created", p.creates}, {"updated", p.updates}, {"total", p.total}};
}

}  // namespace

Result<Json> PreviewImport(db::Db& db, const Principal& who, std::string_view kind, const Json& body,
                           std::optional<int64_t> school_id) {
  auto k = KindOf(kind);
  if (!k.ok()) return k.error();
  auto sheet = SheetFromImportBody(body);
  if (!sheet.ok()) return sheet.error();
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto school = auth::ResolveSchool(c, who, school_id);
    if (!school.ok()) return school.error();
    if (*k == ImportKind::kStudents)
      return PlanJson(PlanStudentImport(*sheet, store::LoadStudentImportContext(c, *school, TodayLocal())));
    return PlanJson(PlanStaffImport(*sheet, store::LoadStaffImportContext(c, *school)));
  });
}

Result<ImportOutcome> RunImport(db::Db& db, const Principal& who, std::string_view kind, const Json& body,
                                std::optional<int64_t> school_id) {
  auto k = KindOf(kind);
  if (!k.ok()) return k.error();
  auto sheet = SheetFromImportBody(body);
  if (!sheet.ok()) return sheet.error();
  return RunImportSheet(db, who, *k, *sheet, school_id);
}

Result<ImportOutcome> RunImportSheet(db::Db& db, const Principal& who, ImportKind kind, const Sheet& sheet,
                                     std::optional<int64_t> school_id) {
  // Plan and write in one transaction, so the plan sees exactly what it updates. A plan with
  // errors writes nothing (the empty transaction commits harmlessly).
  return db.Write([&](db::Conn& c) -> Result<ImportOutcome> {
    auto school = WriteSchool(c, who, school_id);
    if (!school.ok()) return school.error();
    Json counts;
    if (kind == ImportKind::kStudents) {
      auto plan = PlanStudentImport(sheet, store::LoadStudentImportContext(c, *school, TodayLocal()));
      if (!plan.ok()) return ImportOutcome{false, PlanJson(plan)};
      for (const auto& item : plan.items) SaveStudent(c, *school, item.input);
      counts = CountsJson(plan);
      counts["guardian_creates"] = plan.guardian_creates;
    } else {
      auto plan = PlanStaffImport(sheet, store::LoadStaffImportContext(c, *school));
      if (!plan.ok()) return ImportOutcome{false, PlanJson(plan)};
      for (const auto& item : plan.items) SaveStaff(c, *school, item.input);
      counts = CountsJson(plan);
    }
    std::string_view entity = kind == ImportKind::kStudents ? "student" : "staff";
    auth::Audit(c, who, {"import", entity, std::nullopt, nullptr, &counts, *school});
    return ImportOutcome{true, counts};
  });
}

}  // namespace kehou::people
