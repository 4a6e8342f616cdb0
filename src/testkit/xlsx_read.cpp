#include "testkit/xlsx_read.h"

#include <zlib.h>

#include <cstdint>
#include <map>
#include <pugixml.hpp>

namespace kehou::testkit {
namespace {

uint32_t U16(std::string_view b, size_t at) {
  return static_cast<uint8_t>(b[at]) | static_cast<uint8_t>(b[at + 1]) << 8;
}
uint32_t U32(std::string_view b, size_t at) { return U16(b, at) | U16(b, at + 2) << 16; }

// The ZIP's members by name, inflated (stored or deflated; what XLSX writers produce).
bool Unzip(std::string_view b, std::map<std::string, std::string>& out, std::string& error) {
  // The end-of-central-directory record: the last "PK\5\6" within the final 64 KB + 22 bytes.
  if (b.size() < 22) return error = "too short for a ZIP", false;
  size_t eocd = std::string_view::npos;
  for (size_t i = b.size() - 22 + 1; i-- > 0 && b.size() - i <= 65557;) {
    if (U32(b, i) == 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd == std::string_view::npos) return error = "no ZIP directory", false;
  size_t entries = U16(b, eocd + 10), at = U32(b, eocd + 16);
  for (size_t e = 0; e < entries; ++e) {
    if (at + 46 > b.size() || U32(b, at) != 0x02014b50) return error = "bad ZIP directory entry", false;
    uint32_t method = U16(b, at + 10), csize = U32(b, at + 20), usize = U32(b, at + 24);
    uint32_t nlen = U16(b, at + 28), xlen = U16(b, at + 30), clen = U16(b, at + 32), local = U32(b, at + 42);
    std::string name(b.substr(at + 46, nlen));
    at += 46 + nlen + xlen + clen;
    if (local + 30 > b.size() || U32(b, local) != 0x04034b50) return error = "bad ZIP local header", false;
    size_t data = local + 30 + U16(b, local + 26) + U16(b, local + 28);
    if (data + csize > b.size()) return error = "ZIP member past the end", false;
    std::string_view packed = b.substr(data, csize);
    if (method == 0) {
      out[name] = std::string(packed);
      continue;
    }
    if (method != 8) return error = "unsupported ZIP method " + std::to_string(method), false;
    std::string plain(usize, '\0');
    z_stream z{};
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) return error = "inflateInit2", false;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
    z.avail_in = static_cast<uInt>(packed.size());
    z.next_out = reinterpret_cast<Bytef*>(plain.data());
    z.avail_out = static_cast<uInt>(plain.size());
    int rc = inflate(&z, Z_FINISH);
    inflateEnd(&z);
    if (rc != Z_STREAM_END || z.total_out != usize) return error = "cannot inflate " + name, false;
    out[name] = std::move(plain);
  }
  return true;
}

// "BC12" -> column 54 (0-based); the digits are the row.
size_t ColumnOf(std::string_view ref) {
  size_t col = 0;
  for (char c : ref) {
    if (c < 'A' || c > 'Z') break;
    col = col * 26 + static_cast<size_t>(c - 'A' + 1);
  }
  return col == 0 ? 0 : col - 1;
}

// The text of an <si> or <is>: its <t>, or the concatenated <r><t> runs of rich text.
std::string RichText(const pugi::xml_node& n) {
  if (auto t = n.child("t")) return t.text().get();
  std::string s;
  for (auto r : n.children("r")) s += r.child("t").text().get();
  return s;
}

}  // namespace

const std::string& Sheet::Cell(size_t row, size_t col) const {
  static const std::string kEmpty;
  if (row >= rows.size() || col >= rows[row].size()) return kEmpty;
  return rows[row][col];
}

std::vector<std::string> Sheet::Lines() const {
  std::vector<std::string> out;
  for (const auto& r : rows) {
    size_t n = r.size();
    while (n > 0 && r[n - 1].empty()) --n;
    std::string line;
    for (size_t i = 0; i < n; ++i) line += (i ? "|" : "") + r[i];
    out.push_back(std::move(line));
  }
  return out;
}

int Sheet::Column(std::string_view header) const {
  if (rows.empty()) return -1;
  for (size_t i = 0; i < rows[0].size(); ++i) {
    if (rows[0][i] == header) return static_cast<int>(i);
  }
  return -1;
}

std::string Sheet::Text() const {
  std::string s;
  for (const auto& l : Lines()) s += l + "\n";
  return s;
}

Workbook ReadXlsx(std::string_view bytes) {
  Workbook wb;
  std::map<std::string, std::string> files;
  if (!Unzip(bytes, files, wb.error)) return wb;
  auto xml = [&](const std::string& name, pugi::xml_document& doc) {
    auto it = files.find(name);
    return it != files.end() && doc.load_buffer(it->second.data(), it->second.size());
  };
  std::vector<std::string> shared;
  if (pugi::xml_document doc; xml("xl/sharedStrings.xml", doc)) {
    for (auto si : doc.child("sst").children("si")) shared.push_back(RichText(si));
  }
  pugi::xml_document book, rels;
  if (!xml("xl/workbook.xml", book) || !xml("xl/_rels/workbook.xml.rels", rels)) {
    wb.error = "no workbook";
    return wb;
  }
  std::map<std::string, std::string> target;  // r:id -> xl/worksheets/sheet1.xml
  for (auto r : rels.child("Relationships").children("Relationship")) {
    std::string t = r.attribute("Target").value();
    target[r.attribute("Id").value()] = t.rfind("/", 0) == 0 ? t.substr(1) : "xl/" + t;
  }
  for (auto s : book.child("workbook").child("sheets").children("sheet")) {
    Sheet sheet;
    sheet.name = s.attribute("name").value();
    pugi::xml_document doc;
    if (!xml(target[s.attribute("r:id").value()], doc)) {
      wb.error = "missing sheet " + sheet.name;
      return wb;
    }
    for (auto row : doc.child("worksheet").child("sheetData").children("row")) {
      size_t r = static_cast<size_t>(row.attribute("r").as_ullong(sheet.rows.size() + 1)) - 1;
      if (sheet.rows.size() <= r) sheet.rows.resize(r + 1);
      size_t next = 0;
      for (auto c : row.children("c")) {
        auto ref = c.attribute("r");
        size_t col = ref ? ColumnOf(ref.value()) : next;
        next = col + 1;
        std::string type = c.attribute("t").value(), v;
        if (type == "s") {
          size_t i = c.child("v").text().as_ullong(shared.size());
          v = i < shared.size() ? shared[i] : "";
        } else if (type == "inlineStr") {
          v = RichText(c.child("is"));
        } else {
          v = c.child("v").text().get();
        }
        auto& cells = sheet.rows[r];
        if (cells.size() <= col) cells.resize(col + 1);
        cells[col] = std::move(v);
      }
    }
    wb.sheets.push_back(std::move(sheet));
  }
  if (wb.sheets.empty()) wb.error = "no sheets";
  return wb;
}

}  // namespace kehou::testkit
