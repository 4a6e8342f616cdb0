// xlsx.h: a small XLSX writer for list exports and import templates (libxlsxwriter underneath).
// One sheet: a bold header row, then rows of text cells (always text, so ID numbers and
// student numbers keep their digits and leading zeros in Excel).
// Thread-safety: each call writes its own temporary file; safe to call from several threads.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kehou::people {

inline constexpr std::string_view kXlsxContentType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

// Builds the workbook and returns its bytes. sheet_name: at most 31 characters, no []:*?/\ (they
// are replaced). Errors (disk full, ...) come back as kInternal.
Result<std::string> BuildXlsx(std::string_view sheet_name, const std::vector<std::string>& headers,
                              const std::vector<std::vector<std::string>>& rows);

}  // namespace kehou::people
