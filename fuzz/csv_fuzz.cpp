// Fuzz target: the CSV reader (people/csv.h). Any bytes as an uploaded CSV file: either an error
// or a sheet whose rows are numbered upwards and have a cell for every header (a row with more
// fields than the header keeps them; planning reads columns by header).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "people/csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto sheet = kehou::people::ParseCsv(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!sheet.ok()) return 0;
  int last = 1;
  for (const auto& row : sheet->rows) {
    if (row.row <= last) std::abort();
    last = row.row;
    if (row.cells.size() < sheet->headers.size()) std::abort();
  }
  // Writing the records back never fails either.
  std::string out;
  kehou::people::AppendCsvRecord(out, sheet->headers);
  for (const auto& row : sheet->rows) kehou::people::AppendCsvRecord(out, row.cells);
  return 0;
}
