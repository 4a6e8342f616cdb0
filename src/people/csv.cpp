#include "people/csv.h"

#include <algorithm>
#include <cmath>

#include "core/text.h"

namespace kehou::people {
namespace {

// Byte offset of the first invalid UTF-8 sequence, or npos.
size_t FirstInvalidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return i;
    for (size_t k = 1; k < len; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) return i;
    i += len;
  }
  return std::string_view::npos;
}

bool Blank(const std::vector<std::string>& cells) {
  for (const auto& c : cells)
    if (!Trim(c).empty()) return false;
  return true;
}

std::string CellText(const nlohmann::json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "是" : "否";
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
  if (v.is_number_float()) {
    double d = v.get<double>();
    constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < kMaxExactInteger)
      return std::to_string(static_cast<int64_t>(d));
    return v.dump();
  }
  // exceljs rich text / hyperlink cells: {"text": "..."} or {"richText":[{"text":..}]}
  if (v.is_object()) {
    if (v.contains("text") && v["text"].is_string()) return v["text"].get<std::string>();
    if (v.contains("result")) return CellText(v["result"]);
    if (v.contains("richText") && v["richText"].is_array()) {
      std::string out;
      for (const auto& part : v["richText"])
        if (part.is_object() && part.contains("text") && part["text"].is_string())
          out += part["text"].get<std::string>();
      return out;
    }
  }
  return v.dump();
}

}  // namespace

Result<Sheet> ParseCsv(std::string_view text) {
  if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());
  if (size_t bad = FirstInvalidUtf8(text); bad != std::string_view::npos) {
    size_t line = 1;
    for (size_t i = 0; i < bad; ++i)
      if (text[i] == '\n') ++line;
    std::string n = std::to_string(line);
    return MakeError(
        kInvalid, "文件不是 UTF-8 编码（第" + n + "行附近）。请在 Excel 中“另存为”选择“CSV UTF-8(逗号分隔)”后重新上传",
        "the file is not UTF-8 (near line " + n + "); save it as \"CSV UTF-8\" and upload again", "csv");
  }

  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool in_quotes = false;
  bool field_quoted = false;  // the current field began with a quote
  size_t quote_line = 0, line = 1;
  auto end_field = [&] {
    record.push_back(std::move(field));
    field.clear();
    field_quoted = false;
  };
  auto end_record = [&] {
    end_field();
    records.push_back(std::move(record));
    record.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && field.empty() && !field_quoted) {
      in_quotes = true;
      field_quoted = true;
      quote_line = line;
    } else if (c == ',') {
      end_field();
    } else if (c == '\r') {
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++line;
      end_record();
    } else if (c == '\n') {
      ++line;
      end_record();
    } else {
      field += c;  // a stray quote inside an unquoted field is kept as text (lenient)
    }
  }
  if (in_quotes) {
    std::string n = std::to_string(quote_line);
    return MakeError(kInvalid, "CSV 格式错误：第" + n + "行的引号没有闭合",
                     "CSV error: the quote opened on line " + n + " is never closed", "csv");
  }
  if (!field.empty() || field_quoted || !record.empty()) end_record();

  Sheet sheet;
  if (records.empty() || Blank(records.front()))
    return MakeError(kInvalid, "文件为空或缺少表头行", "the file is empty or has no header row", "csv");
  for (auto& h : records.front()) sheet.headers.push_back(Trim(h));
  for (size_t r = 1; r < records.size(); ++r) {
    auto& cells = records[r];
    if (Blank(cells)) continue;
    cells.resize(std::max(cells.size(), sheet.headers.size()));
    sheet.rows.push_back(SheetRow{static_cast<int>(r) + 1, std::move(cells)});
  }
  return sheet;
}

Result<Sheet> SheetFromJsonRows(const nlohmann::json& rows) {
  if (!rows.is_array()) return MakeError(kInvalid, "rows 应为数组", "rows must be an array", "rows");
  Sheet sheet;
  auto column = [&](const std::string& key) -> size_t {
    std::string h = Trim(key);
    for (size_t i = 0; i < sheet.headers.size(); ++i)
      if (sheet.headers[i] == h) return i;
    sheet.headers.push_back(h);
    return sheet.headers.size() - 1;
  };
  constexpr int kFirstDataRow = 2;
  int index = 0;
  for (const auto& obj : rows) {
    int row = kFirstDataRow + index++;
    if (!obj.is_object())
      return MakeError(kInvalid, "第" + std::to_string(row) + "行不是对象",
                       "row " + std::to_string(row) + " is not an object", "rows");
    SheetRow sr;
    sr.row = row;
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      if (it.key() == "_row") {
        if (it.value().is_number_integer()) sr.row = it.value().get<int>();
        continue;
      }
      std::string text = CellText(it.value());
      if (!ValidUtf8(text))
        return MakeError(kInvalid, "第" + std::to_string(row) + "行含有非 UTF-8 文本",
                         "row " + std::to_string(row) + " is not UTF-8", "rows");
      size_t col = column(it.key());
      if (sr.cells.size() <= col) sr.cells.resize(col + 1);
      sr.cells[col] = std::move(text);
    }
    if (Blank(sr.cells)) continue;
    sheet.rows.push_back(std::move(sr));
  }
  for (auto& r : sheet.rows) r.cells.resize(sheet.headers.size());
  return sheet;
}

void AppendCsvRecord(std::string& out, const std::vector<std::string>& fields) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += ',';
    const std::string& f = fields[i];
    bool quote =
        f.find_first_of(",\"\r\n") != std::string::npos || (!f.empty() && (f.front() == ' ' || f.back() == ' '));
    if (!quote) {
      out += f;
      continue;
    }
    out += '"';
    for (char c : f) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  out += "\r\n";
}

}  // namespace kehou::people
