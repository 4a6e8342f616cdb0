// csv.h: an RFC 4180 CSV reader and writer for import sheets, and the Sheet both CSV files and
// JSON rows (from XLSX parsed in the browser) turn into.
// UTF-8 only (a leading BOM is dropped); text that is not valid UTF-8 is refused with a message
// telling the user to save the file as "CSV UTF-8". Thread-safety: pure functions.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kehou::people {

// One data row as the user sees it in the sheet: `row` is the sheet's row number (the header is
// row 1, so the first data row is 2).
struct SheetRow {
  int row = 0;
  std::vector<std::string> cells;  // at least one per header (missing cells are ""; a CSV record
                                   // with more fields than the header keeps them: found by fuzz_csv)
};

struct Sheet {
  std::vector<std::string> headers;  // as written in the file (trimmed)
  std::vector<SheetRow> rows;        // completely blank rows are skipped (numbers kept)
};

// Parses CSV: quoted fields with "" escapes, commas and newlines inside quotes, CRLF or LF line
// ends, a UTF-8 BOM. The first record is the header. Errors: invalid UTF-8 (with the row), an
// unclosed quote, an empty file.
Result<Sheet> ParseCsv(std::string_view text);

// JSON rows: [{"学号": "2025001", "姓名": "王小明", ...}, ...] as the browser posts them after
// reading an XLSX with exceljs. Numbers become text (integers without ".0"), null/absent becomes
// "". An optional integer key "_row" gives the sheet row number; otherwise row = index + 2.
// Headers are the union of the keys (JSON objects do not keep key order; planning maps
// columns by name, so order does not matter).
Result<Sheet> SheetFromJsonRows(const nlohmann::json& rows);

// Writes one CSV record (RFC 4180 quoting where needed) followed by CRLF.
void AppendCsvRecord(std::string& out, const std::vector<std::string>& fields);
inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

}  // namespace kehou::people
