// Reading an XLSX file back, cell by cell, for tests: an export test checks what a user would see
// in Excel (headers, values, masking), not only that the bytes start with "PK".
// Test-only: the server never reads XLSX (imports arrive as CSV from the console, which converts
// workbooks in the browser).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kehou::testkit {

struct Sheet {
  std::string name;
  std::vector<std::vector<std::string>> rows;  // rows[r][c], 0-based; missing cells are ""

  // The cell's text ("" outside the sheet), e.g. Cell(0, 0) is A1.
  const std::string& Cell(size_t row, size_t col) const;
  // Every row as "a|b|c" (trailing empty cells dropped): easy to compare and to print on failure.
  std::vector<std::string> Lines() const;
  // The 0-based index of the column whose header (row 0) is `header`, or -1.
  int Column(std::string_view header) const;
  // The whole sheet as one string (searching for a value that must not appear anywhere).
  std::string Text() const;
};

struct Workbook {
  std::vector<Sheet> sheets;
  std::string error;  // set when the bytes are not a readable XLSX
  bool ok() const { return error.empty(); }
};

// Numbers come back as written in the file (e.g. "12" or "12.5"), shared and inline strings as text.
Workbook ReadXlsx(std::string_view bytes);

}  // namespace kehou::testkit
