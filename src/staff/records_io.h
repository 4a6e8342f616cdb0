// records_io.h (staff): import of staff records from a sheet (CSV, or XLSX rows read in the
// browser: people's reader, people/import.h SheetFromImportBody) with row errors, all or nothing;
// and the XLSX export of the records list (people/xlsx.h BuildXlsx). The import matches people by
// mobile (the staff list is imported with people's staff import first) and sets their background
// check, health certificate and contract.
// Thread-safety: the planner is pure; the service functions are stateless over a thread-safe Db.
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "access/principal.h"
#include "core/file_out.h"
#include "core/result.h"
#include "db/db.h"
#include "people/csv.h"
#include "staff/rules.h"

namespace kehou::staff {

// Canonical headers of the import sheet (a "(...)" hint after a header is ignored).
const std::vector<std::string>& RecordImportHeaders();

struct RecordImportRow {
  int row = 0;
  int64_t staff_id = 0;
  std::optional<BackgroundCheck> check;
  std::optional<Date> health_valid_until;
  std::optional<Contract> contract;
};
struct RecordImportError {
  int row = 0;
  std::string column, reason;
};
struct RecordImportPlan {
  std::vector<RecordImportRow> items;
  std::vector<RecordImportError> errors;
  bool ok() const { return errors.empty(); }
};
// Every row's errors (unknown mobile, bad dates, result not 通过/未通过, a check or contract that
// breaks its rule, a person twice), or the rows to write.
RecordImportPlan PlanRecordImport(const people::Sheet& sheet, const std::map<std::string, int64_t>& staff_by_mobile);
// Yuan text ("80", "80.5", "80.50") -> fen; nullopt when not such a number.
std::optional<int64_t> YuanToFen(const std::string& s);

// POST /staff-records/import {rows:[{header: value}]} | {csv}: {ok:true, updated, total} or, when
// any row is bad, ok:false with errors:[{row, column, reason}] and nothing written.
Result<nlohmann::json> ImportRecords(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                                     const nlohmann::json& body);
// GET /staff-records/export?q&kind&blocked -> XLSX of the list with the gate's answer; audited.
Result<FileOut> ExportRecords(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                              const nlohmann::json& filters);

}  // namespace kehou::staff
