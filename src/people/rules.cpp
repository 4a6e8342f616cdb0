#include "people/rules.h"

#include <array>
#include <cctype>

#include "core/text.h"

namespace kehou::people {
namespace {

using auth::Role;

bool AllDigits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Removes ASCII spaces, tabs, '-' and full-width spaces anywhere in s.
std::string DropSeparators(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    if (s.substr(i, 3) == "\xE3\x80\x80") {
      i += 3;
      continue;
    }
    char c = s[i];
    if (c != ' ' && c != '\t' && c != '-') out += c;
    ++i;
  }
  return out;
}

// Collapses runs of whitespace (ASCII or U+3000) inside s to one ASCII space.
std::string CollapseSpaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool in_space = false;
  for (size_t i = 0; i < s.size();) {
    size_t n = 0;
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') n = 1;
    else if (s.substr(i, 3) == "\xE3\x80\x80") n = 3;
    if (n) {
      if (!in_space) out += ' ';
      in_space = true;
      i += n;
    } else {
      out += c;
      in_space = false;
      ++i;
    }
  }
  return out;
}

// "一".."九" -> 1..9.
std::optional<int> ChineseDigit(std::string_view s) {
  static constexpr std::array<std::string_view, 9> kDigits = {"一", "二", "三", "四", "五", "六", "七", "八", "九"};
  for (size_t i = 0; i < kDigits.size(); ++i)
    if (s == kDigits[i]) return static_cast<int>(i) + 1;
  return std::nullopt;
}

std::string_view StripSuffix(std::string_view s, std::string_view suffix) {
  if (s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix) s.remove_suffix(suffix.size());
  return s;
}
std::string_view StripPrefix(std::string_view s, std::string_view prefix) {
  if (s.substr(0, prefix.size()) == prefix) s.remove_prefix(prefix.size());
  return s;
}

// Excel hands numbers over as "3.0" or "3"; accept an integral decimal.
std::optional<int64_t> ParseWholeNumber(std::string_view s) {
  if (auto v = ParseInt(s)) return v;
  auto dot = s.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  for (char c : s.substr(dot + 1))
    if (c != '0') return std::nullopt;
  return ParseInt(s.substr(0, dot));
}

}  // namespace

// ---------------------------------------------------------------- ID number

Result<std::string> ParseIdNumber(std::string_view raw, const Date& today, std::string_view field) {
  std::string id = DropSeparators(Trim(raw));
  if (id.empty()) return Error::Invalid("身份证号不能为空", "ID number is required", field);
  if (!id.empty() && id.back() == 'x') id.back() = 'X';
  if (id.size() == kOldIdNumberLength && AllDigits(id))
    return Error::Invalid("15位旧身份证号已停用，请填写18位身份证号",
                          "15-digit old ID numbers are no longer valid; use the 18-digit number", field);
  if (id.size() != kIdNumberLength)
    return Error::Invalid("身份证号应为18位（当前" + std::to_string(Utf8Length(id)) + "位）",
                          "an ID number has 18 characters (got " + std::to_string(Utf8Length(id)) + ")", field);
  std::string_view body = std::string_view(id).substr(0, kIdNumberLength - 1);
  char last = id.back();
  if (!AllDigits(body) || !(std::isdigit(static_cast<unsigned char>(last)) || last == 'X'))
    return Error::Invalid("身份证号只能是17位数字加1位数字或X", "an ID number is 17 digits and a digit or X", field);
  if (id[0] < '1' || id[0] > '8')
    return Error::Invalid("身份证号的地区码无效", "the region code of the ID number is not valid", field);
  auto birth = IdNumberBirthDate(id);
  if (!birth)
    return Error::Invalid("身份证号中的出生日期无效", "the birth date in the ID number is not a real date", field);
  if (birth->y < kIdBirthYearMin || *birth > today)
    return Error::Invalid("身份证号中的出生日期不合理", "the birth date in the ID number is out of range", field);
  if (IdNumberCheckChar(body) != last)
    return Error::Invalid("身份证号校验位错误，请核对", "the ID number's check digit is wrong", field);
  return id;
}

// ---------------------------------------------------------------- mobile

Result<std::string> ParseMobile(std::string_view raw, std::string_view field) {
  std::string m = DropSeparators(Trim(raw));
  if (m.empty()) return Error::Invalid("手机号不能为空", "mobile number is required", field);
  if (m.rfind("+86", 0) == 0) m = m.substr(3);
  else if (m.size() == kMobileLength + 2 && m.rfind("86", 0) == 0) m = m.substr(2);
  if (!ValidMobile(m))
    return Error::Invalid("手机号格式错误，应为11位、以13–19开头", "a mobile number has 11 digits starting 13-19",
                          field);
  return m;
}

// ---------------------------------------------------------------- gender, yes/no

Result<std::string> ParseGender(std::string_view raw, std::string_view field) {
  std::string g = Trim(raw);
  std::string l = Lower(g);
  if (g == "男" || g == "男性" || l == "m" || l == "male") return std::string("M");
  if (g == "女" || g == "女性" || l == "f" || l == "female") return std::string("F");
  if (g.empty()) return Error::Invalid("性别不能为空，请填写“男”或“女”", "gender is required (男 or 女)", field);
  return Error::Invalid("性别只能填写“男”或“女”", "gender must be 男 or 女", field);
}

std::string_view GenderLabel(std::string_view code) {
  if (code == "M") return "男";
  if (code == "F") return "女";
  return "";
}

Result<bool> ParseYesNo(std::string_view raw, std::string_view field) {
  std::string v = Trim(raw);
  std::string l = Lower(v);
  if (v.empty() || v == "否" || l == "n" || l == "no" || l == "0" || l == "false") return false;
  if (v == "是" || l == "y" || l == "yes" || l == "1" || l == "true") return true;
  return Error::Invalid("只能填写“是”或“否”", "must be 是 (yes) or 否 (no)", field);
}

std::string_view YesNoLabel(bool v) { return v ? "是" : "否"; }

// ---------------------------------------------------------------- names and text

Result<std::string> ParseName(std::string_view raw, std::string_view field) {
  if (!ValidUtf8(raw)) return Error::Invalid("姓名含有无效字符", "the name is not valid UTF-8", field);
  std::string n = CollapseSpaces(Trim(raw));
  if (n.empty()) return Error::Invalid("姓名不能为空", "name is required", field);
  if (HasControl(n, false)) return Error::Invalid("姓名含有控制字符", "the name contains control characters", field);
  if (Utf8Length(n) > kNameMaxChars)
    return Error::Invalid("姓名不能超过" + std::to_string(kNameMaxChars) + "个字",
                          "a name has at most " + std::to_string(kNameMaxChars) + " characters", field);
  return n;
}

Result<std::string> ParseText(std::string_view raw, size_t max_chars, std::string_view field) {
  if (!ValidUtf8(raw)) return Error::Invalid("含有无效字符", "not valid UTF-8", field);
  std::string t = Trim(raw);
  if (HasControl(t, true)) return Error::Invalid("含有控制字符", "contains control characters", field);
  if (Utf8Length(t) > max_chars)
    return Error::Invalid("不能超过" + std::to_string(max_chars) + "个字",
                          "at most " + std::to_string(max_chars) + " characters", field);
  return t;
}

// ---------------------------------------------------------------- student numbers

Result<std::string> ParseStudentNo(std::string_view raw, std::string_view field) {
  std::string s = Trim(raw);
  if (s.empty()) return Error::Invalid("学号不能为空", "student number is required", field);
  if (auto whole = ParseWholeNumber(s); whole && s.find('.') != std::string::npos)
    s = std::to_string(*whole);  // 20250101.0 from a spreadsheet cell
  if (s.size() > kStudentNoMaxChars)
    return Error::Invalid("学号不能超过" + std::to_string(kStudentNoMaxChars) + "位",
                          "a student number has at most " + std::to_string(kStudentNoMaxChars) + " characters", field);
  for (char& c : s) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) && u < 0x80) c = static_cast<char>(std::toupper(u));
    else if (c != '-')
      return Error::Invalid("学号只能包含字母、数字和“-”", "a student number has letters, digits and '-' only", field);
  }
  return s;
}

// ---------------------------------------------------------------- grade, class

Result<int> ParseGradeNumber(std::string_view raw, std::string_view field) {
  std::string t = DropSeparators(Trim(raw));
  std::string_view s = StripSuffix(t, "年级");
  std::optional<int64_t> n;
  if (auto w = ParseWholeNumber(s)) n = *w;
  else if (auto c = ChineseDigit(s)) n = *c;
  else if (s.substr(0, 3) == "初") {  // 初一..初三 = grades 7..9 in a nine-year school
    constexpr int kJuniorFirstGrade = 7;
    if (auto j = ChineseDigit(s.substr(3)); j && *j <= 3) n = kJuniorFirstGrade - 1 + *j;
  }
  if (t.empty()) return Error::Invalid("年级不能为空", "grade is required", field);
  if (!n || *n < kGradeMin || *n > kGradeMax)
    return Error::Invalid("年级应为1–9的数字", "grade must be a number 1-9", field);
  return static_cast<int>(*n);
}

Result<int> ParseClassNumber(std::string_view raw, std::string_view field) {
  std::string t = DropSeparators(Trim(raw));
  if (t.empty()) return Error::Invalid("班级不能为空", "class is required", field);
  std::string_view s = StripSuffix(t, "班");
  if (s.size() >= 2 && ((s.front() == '(' && s.back() == ')'))) s = s.substr(1, s.size() - 2);
  s = StripSuffix(StripPrefix(s, "（"), "）");
  auto n = ParseWholeNumber(s);
  if (!n || *n < kClassNumberMin || *n > kClassNumberMax)
    return Error::Invalid("班级应填写班号（1–99的数字）", "class must be the class number (1-99)", field);
  return static_cast<int>(*n);
}

// ---------------------------------------------------------------- staff kinds

namespace {
struct KindLabel {
  std::string_view code, label;
};
constexpr std::array<KindLabel, 5> kKindLabels = {{{"in_school", "在校教师"},
                                                   {"retired", "退休教师"},
                                                   {"institution", "机构人员"},
                                                   {"volunteer", "志愿者"},
                                                   {"parent_volunteer", "家长志愿者"}}};
}  // namespace

std::string_view StaffKindLabel(std::string_view code) {
  for (const auto& k : kKindLabels)
    if (k.code == code) return k.label;
  return "";
}

Result<std::string> ParseStaffKind(std::string_view raw, std::string_view field) {
  std::string v = Trim(raw);
  if (v.empty()) return Error::Invalid("类别不能为空", "kind is required", field);
  for (const auto& k : kKindLabels)
    if (k.label == v || k.code == v) return std::string(k.code);
  return Error::Invalid("类别只能是在校教师、退休教师、机构人员、志愿者或家长志愿者",
                        "kind must be one of in_school, retired, institution, volunteer, parent_volunteer", field);
}

// ---------------------------------------------------------------- visibility

bool IsManager(Role r) {
  return r == Role::kPrincipal || r == Role::kVicePrincipal || r == Role::kOfficeDirector || r == Role::kOfficeStaff;
}
bool SeesFullIdNumber(Role r) { return IsManager(r); }
// The guard and the liaison see masked mobiles in lists like everyone outside the office and
// leadership (the API contract; issue 10); the class teacher sees their own class's per row.
bool SeesFullMobileByRole(Role r) { return IsManager(r); }
bool SeesCareFlagsByRole(Role r) { return IsManager(r); }
bool SeesHealthNotesByRole(Role r) { return IsManager(r) || r == Role::kSchoolDoctor; }

}  // namespace kehou::people
