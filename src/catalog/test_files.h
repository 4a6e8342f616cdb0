// test_files.h: small lesson-plan files for the catalog tests: a PDF of any size, a ZIP (stored,
// no compression) with the given entry names, so a DOCX or a plain ZIP. Test-only.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "catalog/proposals.h"

namespace kehou::testing {

// "%PDF-1.4" followed by filler up to exactly `size` bytes.
inline std::string MakePdf(size_t size) {
  std::string s = "%PDF-1.4\n";
  if (size < s.size()) return s.substr(0, size);
  s.resize(size, 'x');
  return s;
}

// A ZIP archive: local headers with tiny stored contents, a central directory, the end record.
inline std::string MakeZip(const std::vector<std::string>& names) {
  auto le16 = [](std::string& o, uint32_t v) {
    o.push_back(static_cast<char>(v & 0xFF));
    o.push_back(static_cast<char>((v >> 8) & 0xFF));
  };
  auto le32 = [&](std::string& o, uint32_t v) {
    le16(o, v & 0xFFFF);
    le16(o, v >> 16);
  };
  std::string out, central;
  for (const auto& name : names) {
    auto offset = static_cast<uint32_t>(out.size());
    const std::string body = "<x/>";
    out += std::string("PK\x03\x04", 4);
    le16(out, 20);
    le16(out, 0);
    le16(out, 0);
    le16(out, 0);
    le16(out, 0);  // version, flags, method, time, date
    le32(out, 0);
    le32(out, static_cast<uint32_t>(body.size()));
    le32(out, static_cast<uint32_t>(body.size()));
    le16(out, static_cast<uint32_t>(name.size()));
    le16(out, 0);
    out += name + body;
    central += std::string("PK\x01\x02", 4);
    le16(central, 20);
    le16(central, 20);
    le16(central, 0);
    le16(central, 0);
    le16(central, 0);
    le16(central, 0);
    le32(central, 0);
    le32(central, static_cast<uint32_t>(body.size()));
    le32(central, static_cast<uint32_t>(body.size()));
    le16(central, static_cast<uint32_t>(name.size()));
    le16(central, 0);
    le16(central, 0);
    le16(central, 0);
    le16(central, 0);
    le32(central, 0);
    le32(central, offset);
    central += name;
  }
  auto cd_offset = static_cast<uint32_t>(out.size());
  out += central;
  out += std::string("PK\x05\x06", 4);
  le16(out, 0);
  le16(out, 0);
  le16(out, static_cast<uint32_t>(names.size()));
  le16(out, static_cast<uint32_t>(names.size()));
  le32(out, static_cast<uint32_t>(central.size()));
  le32(out, cd_offset);
  le16(out, 0);
  return out;
}

inline std::string MakeDocx() { return MakeZip({"[Content_Types].xml", "_rels/.rels", "word/document.xml"}); }

// The course body with a small PDF lesson plan: posted by the leadership (MiniSchool::principal),
// the course is approved there with its plan and decision (catalog::CreateCourse).
inline nlohmann::json Planned(nlohmann::json body) {
  body["plan"] = catalog::LessonPlanBody("教案.pdf", MakePdf(600));
  return body;
}

}  // namespace kehou::testing
