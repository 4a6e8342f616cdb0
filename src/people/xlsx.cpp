#include "people/xlsx.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "core/text.h"
#include "people/xlsx_lazy.h"

namespace kehou::people {
namespace {

constexpr size_t kSheetNameMaxChars = 31;  // Excel's limit
constexpr double kMinColumnWidth = 8;
constexpr double kMaxColumnWidth = 40;

std::string SafeSheetName(std::string_view name) {
  std::string out;
  size_t chars = 0;
  for (size_t i = 0; i < name.size() && chars < kSheetNameMaxChars;) {
    auto c = static_cast<unsigned char>(name[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
    std::string_view ch = name.substr(i, len);
    if (len == 1 && std::string_view("[]:*?/\\").find(name[i]) != std::string_view::npos) out += '_';
    else out += ch;
    i += len;
    ++chars;
  }
  return out.empty() ? "Sheet1" : out;
}

// Display width: CJK characters count as two.
double Width(const std::string& s) {
  double w = 0;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
    w += len >= 3 ? 2 : 1;
    i += len;
  }
  return w;
}

Error Internal(const std::string& what) {
  return MakeError(kInternal, "生成 Excel 文件失败", "could not build the XLSX file: " + what);
}

}  // namespace

Result<std::string> BuildXlsx(std::string_view sheet_name, const std::vector<std::string>& headers,
                              const std::vector<std::vector<std::string>>& rows) {
  const internal::Xlsxwriter& x = internal::XlsxLib();
  if (!x.error.empty()) return MakeError(kUnavailable, x.error, x.error);
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
  if (ec) dir = "/tmp";
  std::string path = (dir / "kehou_xlsx_XXXXXX").string();
  int fd = mkstemp(path.data());
  if (fd < 0) return Internal("mkstemp");
  close(fd);
  struct Remove {
    std::string p;
    ~Remove() { std::remove(p.c_str()); }
  } remove_after{path};

  std::string tmpdir = dir.string();
  lxw_workbook_options options{};
  options.constant_memory = LXW_FALSE;
  options.tmpdir = tmpdir.data();
  lxw_workbook* wb = x.workbook_new_opt(path.c_str(), &options);
  if (!wb) return Internal("workbook_new");
  std::string name = SafeSheetName(sheet_name);
  lxw_worksheet* ws = x.workbook_add_worksheet(wb, name.c_str());
  lxw_format* bold = x.workbook_add_format(wb);
  x.format_set_bold(bold);
  lxw_format* text = x.workbook_add_format(wb);
  x.format_set_num_format(text, "@");

  std::vector<double> widths(headers.size(), kMinColumnWidth);
  for (size_t c = 0; c < headers.size(); ++c) {
    x.worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), headers[c].c_str(), bold);
    widths[c] = std::max(widths[c], Width(headers[c]) + 2);
  }
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < rows[r].size(); ++c) {
      const std::string& v = rows[r][c];
      if (v.empty()) continue;
      std::string safe = ValidUtf8(v) ? v : std::string("?");
      x.worksheet_write_string(ws, static_cast<lxw_row_t>(r + 1), static_cast<lxw_col_t>(c), safe.c_str(), text);
      if (c < widths.size()) widths[c] = std::max(widths[c], Width(v) + 2);
    }
  }
  for (size_t c = 0; c < widths.size(); ++c)
    x.worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                           std::min(widths[c], kMaxColumnWidth), text);
  x.worksheet_freeze_panes(ws, 1, 0);
  lxw_error err = x.workbook_close(wb);
  if (err != LXW_NO_ERROR) return Internal(x.lxw_strerror(err));

  std::ifstream in(path, std::ios::binary);
  if (!in) return Internal("read back");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace kehou::people
