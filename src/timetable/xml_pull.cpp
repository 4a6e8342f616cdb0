// xml_pull.cpp: the pull reader (see xml_pull.h).
#include "timetable/xml_pull.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>

namespace kehou::timetable {
namespace {

bool Blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool AllBlank(std::string_view s) {
  for (const char c : s)
    if (!Blank(c)) return false;
  return true;
}

// The first c at or after from (size() if none). The spans a FET file has between two marks are
// a few bytes long, where a loop is cheaper than memchr's call and set-up (the reader's top cost).
size_t FindChar(std::string_view s, size_t from, char c) {
  while (from < s.size() && s[from] != c) ++from;
  return from;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && Blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && Blank(s.back())) s.remove_suffix(1);
  return s;
}

void AppendUtf8(std::string& out, unsigned long cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// One entity after '&' (s starts past it): appended to out; the length read, 0 if not an entity.
size_t Entity(std::string_view s, std::string& out) {
  const size_t semi = s.substr(0, 12).find(';');
  if (semi == std::string_view::npos) return 0;
  const std::string_view e = s.substr(0, semi);
  static constexpr std::pair<std::string_view, char> kNamed[] = {
      {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
  for (const auto& [n, c] : kNamed)
    if (e == n) {
      out += c;
      return semi + 1;
    }
  if (e.size() < 2 || e[0] != '#') return 0;
  const bool hex = e[1] == 'x' || e[1] == 'X';
  const std::string_view digits = e.substr(hex ? 2 : 1);
  unsigned long cp = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
  if (ec != std::errc() || end != digits.data() + digits.size() || cp == 0 || cp > 0x10FFFF) return 0;
  AppendUtf8(out, cp);
  return semi + 1;
}

}  // namespace

XmlTree::Ref XmlTree::Ref::child(std::string_view name) const {
  for (Ref c = first_child(); c; c = c.next())
    if (c.name() == name) return c;
  return {};
}

XmlTree::Ref XmlTree::Ref::next(std::string_view name) const {
  for (Ref c = next(); c; c = c.next())
    if (c.name() == name) return c;
  return {};
}

int XmlTree::Add(std::string_view name, int parent) {
  const int i = static_cast<int>(nodes_.size());
  nodes_.push_back(Node{name, {}, -1, -1, -1});
  if (parent >= 0) {
    Node& p = nodes_[static_cast<size_t>(parent)];
    if (p.last_child >= 0) {
      nodes_[static_cast<size_t>(p.last_child)].next = i;
    } else {
      p.first_child = i;
    }
    p.last_child = i;
  }
  return i;
}

long long AsLong(std::string_view text, long long fallback) {
  text = Trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  long long v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  return ec == std::errc() && end != text.data() ? v : fallback;
}

int AsInt(std::string_view text, int fallback) {
  const long long v = AsLong(text, fallback);
  return static_cast<int>(std::clamp<long long>(v, INT32_MIN, INT32_MAX));
}

double AsDouble(std::string_view text, double fallback) {
  text = Trim(text);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  return ec == std::errc() && end != text.data() ? v : fallback;
}

XmlPull::XmlPull(std::string_view xml) : xml_(xml) {
  if (xml_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
  const std::string_view head = xml_.substr(0, 2);
  if (head == "\xFF\xFE" || head == "\xFE\xFF" || (xml_.size() >= 2 && (xml_[0] == '\0' || xml_[1] == '\0')))
    Fail("not UTF-8 (only UTF-8 files are read)");
}

bool XmlPull::Fail(const std::string& what) {
  if (error_.empty()) {
    const size_t at = std::min(pos_, xml_.size());
    const auto line = 1 + std::count(xml_.begin(), xml_.begin() + static_cast<std::ptrdiff_t>(at), '\n');
    error_ = "line " + std::to_string(line) + ": " + what;
  }
  pos_ = xml_.size();
  return false;
}

bool XmlPull::SkipPast(std::string_view marker) {
  const size_t at = xml_.find(marker, pos_);
  if (at == std::string_view::npos) return Fail("unterminated markup (no " + std::string(marker) + ")");
  pos_ = at + marker.size();
  return true;
}

XmlPull::Tok XmlPull::OpenTag() {
  const size_t start = pos_ + 1;
  size_t i = start;
  while (i < xml_.size() && !Blank(xml_[i]) && xml_[i] != '/' && xml_[i] != '>') ++i;
  if (i == start) return Fail("an element without a name"), Tok::kError;
  name_ = xml_.substr(start, i - start);
  char quote = 0;  // attributes are skipped, quoted values may hold '>'
  for (; i < xml_.size(); ++i) {
    const char c = xml_[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      break;
    }
  }
  if (i >= xml_.size()) return Fail("unterminated start tag <" + std::string(name_)), Tok::kError;
  begin_ = pos_;
  pending_close_ = xml_[i - 1] == '/';
  pos_ = i + 1;
  open_.push_back(name_);
  return Tok::kOpen;
}

XmlPull::Tok XmlPull::CloseTag() {
  const size_t gt = FindChar(xml_, pos_, '>');
  if (gt == xml_.size()) return Fail("unterminated end tag"), Tok::kError;
  const std::string_view name = Trim(xml_.substr(pos_ + 2, gt - pos_ - 2));
  if (open_.empty() || open_.back() != name)
    return Fail("end tag </" + std::string(name) + "> does not match " +
                (open_.empty() ? std::string("any element") : "<" + std::string(open_.back()) + ">")),
           Tok::kError;
  open_.pop_back();
  name_ = name;
  pos_ = gt + 1;
  return Tok::kClose;
}

XmlPull::Tok XmlPull::Next() {
  if (!ok()) return Tok::kError;
  if (pending_close_) {
    pending_close_ = false;
    name_ = open_.back();
    open_.pop_back();
    return Tok::kClose;
  }
  for (;;) {
    if (pos_ >= xml_.size()) {
      if (!open_.empty()) return Fail("the document ends inside <" + std::string(open_.back()) + ">"), Tok::kError;
      return Tok::kEnd;
    }
    if (xml_[pos_] != '<') {
      const size_t lt = FindChar(xml_, pos_, '<');
      text_ = xml_.substr(pos_, lt - pos_);
      cdata_ = false;
      pos_ = lt;
      if (open_.empty() || AllBlank(text_)) continue;  // blanks between elements
      return Tok::kText;
    }
    const std::string_view rest = xml_.substr(pos_);
    const char second = rest.size() > 1 ? rest[1] : '\0';
    if (second != '/' && second != '!' && second != '?') return OpenTag();  // the usual case, first
    if (second == '/') return CloseTag();
    if (rest.substr(0, 9) == "<![CDATA[") {
      const size_t end = xml_.find("]]>", pos_ + 9);
      if (end == std::string_view::npos) return Fail("unterminated CDATA section"), Tok::kError;
      text_ = xml_.substr(pos_ + 9, end - pos_ - 9);
      cdata_ = true;
      pos_ = end + 3;
      return Tok::kText;
    }
    if (rest.substr(0, 4) == "<!--") {
      if (!SkipPast("-->")) return Tok::kError;
    } else if (rest.substr(0, 2) == "<?") {
      if (!SkipPast("?>")) return Tok::kError;
    } else if (rest.substr(0, 2) == "<!") {
      const size_t gt = rest.find('>');
      if (gt != std::string_view::npos && rest.substr(0, gt).find('[') != std::string_view::npos)
        return Fail("a DOCTYPE with an internal subset is not read"), Tok::kError;
      if (!SkipPast(">")) return Tok::kError;
    } else {
      return OpenTag();
    }
  }
}

bool XmlPull::NextElement() {
  for (;;) {
    switch (Next()) {
      case Tok::kOpen: return true;
      case Tok::kText: continue;
      case Tok::kClose:
      case Tok::kEnd:
      case Tok::kError: return false;
    }
  }
}

size_t XmlPull::Skip() {
  const size_t depth = open_.size();
  while (ok() && open_.size() >= depth) {
    const Tok t = Next();
    if (t == Tok::kEnd || t == Tok::kError) break;
  }
  return pos_;
}

std::string_view XmlPull::Decode(std::string_view raw, XmlTree* tree) {
  if (cdata_ || std::none_of(raw.begin(), raw.end(), [](char c) { return c == '&' || c == '\r'; })) return raw;
  std::string& out = tree->decoded_.emplace_back();
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == '&') {
      const size_t n = Entity(raw.substr(i + 1), out);
      if (n == 0) return Fail("a bad entity reference"), std::string_view();
      i += n;
    } else if (c == '\r') {
      out += '\n';
      if (i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
    } else {
      out += c;
    }
  }
  return out;
}

bool XmlPull::ReadTree(XmlTree& tree) {
  tree.Clear();
  std::vector<int> stack{tree.Add(name_, -1)};
  while (ok() && !stack.empty()) {
    switch (Next()) {
      case Tok::kOpen: stack.push_back(tree.Add(name_, stack.back())); break;
      case Tok::kClose: stack.pop_back(); break;
      case Tok::kText: {
        XmlTree::Node& n = tree.nodes_[static_cast<size_t>(stack.back())];
        if (n.text.empty()) n.text = Decode(text_, &tree);
        break;
      }
      case Tok::kEnd:
      case Tok::kError: return Fail("the document ends inside <" + std::string(tree.nodes_[0].name) + ">");
    }
  }
  return ok();
}

}  // namespace kehou::timetable
