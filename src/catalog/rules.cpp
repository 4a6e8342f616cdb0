#include "catalog/rules.h"

#include <algorithm>

#include "core/text.h"

namespace kehou::catalog {
namespace {

struct Named {
  const char* key;
  const char* zh;
};
constexpr Named kCategories[] = {{"science", "科技"}, {"sports", "体育"}, {"arts", "艺术"},         {"labour", "劳动"},
                                 {"reading", "阅读"}, {"film", "影视"},   {"interest", "兴趣小组"}, {"club", "社团"}};
constexpr Named kBands[] = {{"morning", "早间"}, {"noon", "午间"}, {"after_school", "课后"}, {"evening", "晚自习"}};
constexpr const char* kVenues[] = {"classroom", "sports_ground", "gym", "function_room", "library", "lab"};
constexpr const char* kWeekdayZh[] = {"", "周一", "周二", "周三", "周四", "周五", "周六", "周日"};

}  // namespace

const std::vector<std::string>& Categories() {
  static const std::vector<std::string> v = [] {
    std::vector<std::string> out;
    for (auto& c : kCategories) out.emplace_back(c.key);
    return out;
  }();
  return v;
}

std::string_view CategoryLabelZh(std::string_view category) {
  for (auto& c : kCategories)
    if (category == c.key) return c.zh;
  return "";
}
bool IsCategory(std::string_view s) { return !CategoryLabelZh(s).empty(); }
bool IsVenueKind(std::string_view s) {
  return std::any_of(std::begin(kVenues), std::end(kVenues), [&](const char* v) { return s == v; });
}
std::string_view BandLabelZh(std::string_view band) {
  for (auto& b : kBands)
    if (band == b.key) return b.zh;
  return "";
}
bool IsBand(std::string_view s) { return !BandLabelZh(s).empty(); }

Result<std::vector<Slot>> ParseSlots(std::string_view text) {
  std::vector<Slot> out;
  for (auto& part : Split(text, ',')) {
    std::string p = Trim(part);
    if (p.empty()) continue;
    auto colon = p.find(':');
    auto wd = colon == std::string::npos ? std::nullopt : ParseInt(p.substr(0, colon));
    std::string band = colon == std::string::npos ? "" : p.substr(colon + 1);
    if (!wd || *wd < 1 || *wd > 5 || !IsBand(band))
      return Error::Invalid("上课时段格式有误：" + p + "（应为 星期几(1-5):时段，如 2:after_school）",
                            "bad slot " + p + " (weekday 1-5 ':' band)", "slots");
    Slot s{static_cast<int>(*wd), band};
    if (std::find(out.begin(), out.end(), s) != out.end())
      return Error::Invalid("上课时段重复：" + DescribeSlotZh(s), "duplicate slot", "slots");
    out.push_back(std::move(s));
  }
  return out;
}

std::string FormatSlots(const std::vector<Slot>& slots) {
  std::vector<std::string> parts;
  for (auto& s : slots) parts.push_back(std::to_string(s.weekday) + ":" + s.band);
  return Join(parts, ",");
}

std::string DescribeSlotZh(const Slot& s) {
  std::string wd = s.weekday >= 1 && s.weekday <= 7 ? kWeekdayZh[s.weekday] : "?";
  return wd + std::string(BandLabelZh(s.band));
}

std::optional<Slot> FirstClash(const std::vector<Slot>& a, const std::vector<Slot>& b) {
  for (auto& x : a)
    for (auto& y : b)
      if (x == y) return x;
  return std::nullopt;
}
bool SlotsClash(const std::vector<Slot>& a, const std::vector<Slot>& b) { return FirstClash(a, b).has_value(); }

Result<std::vector<int>> ParseGrades(std::string_view text, std::string_view field) {
  std::vector<int> out;
  for (auto& part : Split(text, ',')) {
    std::string p = Trim(part);
    if (p.empty()) continue;
    auto n = ParseInt(p);
    if (!n || *n < 1 || *n > 9)
      return Error::Invalid("年级应为 1-9 的数字：" + p, "grades are numbers 1-9", std::string(field));
    out.push_back(static_cast<int>(*n));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string FormatGrades(const std::vector<int>& grades) {
  std::vector<std::string> parts;
  for (int g : grades) parts.push_back(std::to_string(g));
  return Join(parts, ",");
}

std::vector<int> ReadGrades(BodyReader& in, std::string_view key) {
  const nlohmann::json* v = in.Raw(key);
  if (!v) return {};
  std::string text;
  if (v->is_string()) {
    text = in.Text(key, {.max_len = 64, .label = "年级"}).value_or("");
  } else if (auto list = in.IntList(key, {.label = "年级"}, 64)) {
    for (int64_t g : *list) text += std::to_string(g) + ",";
  }
  if (!in.ok()) return {};
  auto grades = ParseGrades(text, in.Field(key));
  if (!grades.ok()) {
    in.Set(grades.error());
    return {};
  }
  return *grades;
}

std::vector<Slot> ReadSlots(BodyReader& in, std::string_view key) {
  const nlohmann::json* v = in.Raw(key);
  if (!v) return {};
  std::string joined;
  if (v->is_string()) {
    joined = in.Text(key, {.max_len = 512, .label = "上课时段"}).value_or("");
  } else if (v->is_array()) {
    for (const auto& x : *v) {
      if (x.is_string()) {
        joined += x.get<std::string>() + ",";
        continue;
      }
      if (!x.is_object()) return in.Fail(key, "上课时段格式有误", "bad slot"), std::vector<Slot>{};
      BodyReader item(x, in.Field(key) + ".");
      auto weekday = item.Int("weekday", {.required = true, .min = 0, .max = 99});
      auto band = item.Text("band", {.required = true, .max_len = 32});
      if (!item.ok()) return in.Fail(key, "上课时段格式有误", "bad slot"), std::vector<Slot>{};
      joined += std::to_string(*weekday) + ":" + *band + ",";
    }
  } else {
    in.Fail(key, "上课时段格式有误", "slots must be a list");
  }
  if (!in.ok()) return {};
  auto slots = ParseSlots(joined);
  if (!slots.ok()) {
    in.Set(slots.error());
    return {};
  }
  return *slots;
}

bool GradeIn(int grade, const std::vector<int>& grades) {
  return std::find(grades.begin(), grades.end(), grade) != grades.end();
}

Status ValidateCourse(const CourseInput& c) {
  if (Trim(c.name).empty()) return Error::Invalid("请填写课程名称", "name is required", "name");
  if (Utf8Length(c.name) > kMaxNameLength)
    return Error::Invalid("课程名称过长（最多 " + std::to_string(kMaxNameLength) + " 字）", "name too long", "name");
  if (!IsCategory(c.category))
    return Error::Invalid("课程类别无效（科技/体育/艺术/劳动/阅读/影视/兴趣小组/社团）", "unknown category",
                          "category");
  if (c.grades.empty()) return Error::Invalid("请选择适用年级", "choose the eligible grades", "grades");
  if (c.capacity <= 0) return Error::Invalid("课程容量应为正整数", "capacity must be positive", "capacity");
  if (!IsVenueKind(c.venue_kind)) return Error::Invalid("场地类型无效", "unknown venue kind", "venue_kind");
  if (!c.teacher_staff_id && Trim(c.institution).empty())
    return Error::Invalid("请指定授课教师或机构", "a teacher or an institution is required", "teacher_staff_id");
  if (c.sessions_per_week < 1 || c.sessions_per_week > kMaxSessionsPerWeek)
    return Error::Invalid("每周课次应为 1-" + std::to_string(kMaxSessionsPerWeek), "sessions per week 1-10",
                          "sessions_per_week");
  if (c.slots.empty()) return Error::Invalid("请填写上课时段", "meeting slots are required", "slots");
  if (static_cast<int64_t>(c.slots.size()) != c.sessions_per_week)
    return Error::Invalid("上课时段数应等于每周课次（" + std::to_string(c.sessions_per_week) + "）",
                          "one slot per weekly session", "slots");
  if (c.fee_fen < 0) return Error::Invalid("学期费用不能为负", "fee must not be negative", "fee_fen");
  if (c.subject_qa && c.new_lessons)
    return Error::RuleBroken("学科类课程只能开展答疑辅导，不得讲授新课（减负政策）",
                             "subject-type courses are Q&A only and may not teach new lessons", "subject_qa");
  if (c.subject_qa && !Trim(c.institution).empty())
    return Error::RuleBroken("校外机构只能开设非学科类课程（机构课程不得为学科类）",
                             "an institution offers non-subject courses only", "subject_qa");
  if (Utf8Length(c.subject) > kMaxSubjectLength)
    return Error::Invalid("学科名称过长（最多 " + std::to_string(kMaxSubjectLength) + " 字）", "subject too long",
                          "subject");
  if (!Trim(c.subject).empty() && !c.subject_qa)
    return Error::RuleBroken(
        "学科类课程（" + Trim(c.subject) + "）只能答疑辅导，须标记为“学科类答疑”，不得讲授新课（001 四(二)2，004）",
        "a subject course is Q&A and tutoring only: mark it as subject Q&A (001 IV(2)2, 004)", "subject_qa");
  if (c.subject_qa && Trim(c.subject).empty())
    return Error::Invalid("学科类答疑课程请填写学科（如语文、数学）", "a subject Q&A course names its subject",
                          "subject");
  if (c.subject_qa && c.fee_fen > 0)
    return Error::RuleBroken("学科类答疑属基本服务，不得作为收费拓展课程，课程费用须为 0（001 四，004）",
                             "subject Q&A is part of the basic service and may not be sold as a fee-charging "
                             "extension course: the fee must be 0 (001 IV, 004)",
                             "fee_fen");
  return Ok();
}

Status CheckExcludedWeekdays(const std::vector<Slot>& slots, const std::vector<int>& excluded) {
  for (const Slot& s : slots)
    if (std::find(excluded.begin(), excluded.end(), s.weekday) != excluded.end())
      return Error::RuleBroken(
          std::string(kWeekdayZh[s.weekday]) + "是本学期不开展课后服务的日子（学期排除日），不能排课",
          "no sessions on an excluded weekday of the term", "slots");
  return Ok();
}

Status CheckEveningGrades(const std::vector<Slot>& slots, const std::vector<int>& grades) {
  const bool evening = std::any_of(slots.begin(), slots.end(), [](const Slot& s) { return s.band == "evening"; });
  if (!evening) return Ok();
  for (int g : grades)
    if (g < kFirstJuniorMiddleGrade)
      return Error::RuleBroken("晚自习时段只面向初中年级（七至九年级），" + std::to_string(g) + " 年级不能安排",
                               "evening bands are for junior-middle grades only", "slots");
  return Ok();
}

Status CheckSectionCapacity(int64_t capacity, std::string_view field) {
  if (capacity < 1) return Error::Invalid("教学班人数上限应为正整数", "capacity must be positive", std::string(field));
  if (capacity > kMaxSectionSize)
    return Error::RuleBroken("每个教学班不超过 " + std::to_string(kMaxSectionSize) + " 人",
                             "a section holds at most " + std::to_string(kMaxSectionSize) + " children",
                             std::string(field));
  return Ok();
}

Status CheckCapacityCovers(int64_t capacity, int64_t taken) {
  if (capacity < taken)
    return Error::RuleBroken("人数上限不能低于已选人数（" + std::to_string(taken) + " 人）",
                             "capacity below the seats already taken", "capacity");
  return Ok();
}

Status CheckRoom(int64_t taken, int64_t capacity, int64_t n) {
  if (taken + n > kMaxSectionSize)
    return Error::RuleBroken("每个教学班不超过 " + std::to_string(kMaxSectionSize) + " 人，该班已满",
                             "a section holds at most " + std::to_string(kMaxSectionSize) + " children", "section_id");
  if (taken + n > capacity) return Error::RuleBroken("该教学班已满", "the section is full", "section_id");
  return Ok();
}

// ---- course approval -------------------------------------------------------------------------

Status CheckCourseOpen(std::string_view course_status) {
  if (course_status != "approved")
    return Error::RuleBroken(
        "课程尚未通过审批（当前：" + std::string(ProposalStateLabelZh(course_status)) + "），不能开班或参加选课",
        "the course is not approved, so it cannot open sections or join a round", "course_id");
  return Ok();
}

Status CheckCourseStatusEdit(std::string_view from, std::string_view to) {
  if (from == to) return Ok();
  bool open_close = (from == "approved" && to == "closed") || (from == "closed" && to == "approved");
  if (!open_close)
    return Error::RuleBroken("课程状态只能在“已通过”和“已关闭”之间调整；审批请走课程申报流程",
                             "status may only move between approved and closed; approval goes through a proposal",
                             "status");
  return Ok();
}

namespace {
constexpr Named kProposalStates[] = {{"draft", "草稿"},      {"submitted", "待课程组审核"}, {"reviewed", "待领导审批"},
                                     {"returned", "已退回"}, {"approved", "已通过"},        {"rejected", "未通过"},
                                     {"closed", "已关闭"}};
}  // namespace

std::string_view ProposalStateLabelZh(std::string_view s) {
  for (auto& x : kProposalStates)
    if (s == x.key) return x.zh;
  return "";
}
bool IsProposalState(std::string_view s) { return s != "closed" && !ProposalStateLabelZh(s).empty(); }

Result<std::string> NextProposalState(std::string_view from, ProposalAction action) {
  auto conflict = [&](const char* what_zh, const char* what_en) -> Error {
    return MakeError(kConflict,
                     std::string("当前状态（") + std::string(ProposalStateLabelZh(from)) + "）不能" + what_zh,
                     std::string("a proposal in state ") + std::string(from) + " cannot be " + what_en, "state");
  };
  switch (action) {
    case ProposalAction::kSubmit:
      if (from == "draft" || from == "returned") return std::string("submitted");
      return conflict("提交", "submitted");
    case ProposalAction::kReviewApprove:
    case ProposalAction::kReviewReturn:
      if (from == "submitted") return std::string(action == ProposalAction::kReviewApprove ? "reviewed" : "returned");
      return conflict("由课程组审核", "reviewed by the course group");
    case ProposalAction::kDecideApprove:
    case ProposalAction::kDecideReject:
      if (from == "reviewed") return std::string(action == ProposalAction::kDecideApprove ? "approved" : "rejected");
      return conflict("由学校领导审批（须先经课程组审核通过）",
                      "decided by the leadership (the course group reviews first)");
  }
  return conflict("操作", "changed");
}

std::string_view CourseStatusForProposal(std::string_view state) {
  if (state == "returned") return "draft";
  return state;
}

Status CheckDecisionReason(ProposalAction action, std::string_view reason) {
  std::string r = Trim(reason);
  bool needed = action == ProposalAction::kReviewReturn || action == ProposalAction::kDecideReject;
  if (needed && r.empty()) return Error::Invalid("退回或不予通过时请填写理由", "a reason is required", "reason");
  if (Utf8Length(r) > kMaxReasonLength)
    return Error::Invalid("理由过长（最多 " + std::to_string(kMaxReasonLength) + " 字）", "reason too long", "reason");
  return Ok();
}

namespace {

uint32_t Le16(std::string_view b, size_t at) {
  return static_cast<uint32_t>(static_cast<unsigned char>(b[at])) |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 1])) << 8;
}
uint32_t Le32(std::string_view b, size_t at) { return Le16(b, at) | Le16(b, at + 2) << 16; }

// True if the ZIP's central directory lists an entry whose name starts with word/.
bool ZipHasWordEntry(std::string_view b) {
  constexpr size_t kEocdSize = 22;
  if (b.size() < kEocdSize) return false;
  // The end-of-central-directory record sits in the last 22 + 65535 (comment) bytes.
  size_t lowest = b.size() > kEocdSize + 0xFFFF ? b.size() - kEocdSize - 0xFFFF : 0;
  for (size_t at = b.size() - kEocdSize + 1; at-- > lowest;) {
    if (b.compare(at, 4, std::string_view("PK\x05\x06", 4)) != 0) continue;
    size_t entries = Le16(b, at + 10);
    size_t offset = Le32(b, at + 16);
    for (size_t i = 0; i < entries; ++i) {
      if (offset + 46 > b.size() || b.compare(offset, 4, std::string_view("PK\x01\x02", 4)) != 0) return false;
      size_t name_len = Le16(b, offset + 28), extra = Le16(b, offset + 30), comment = Le16(b, offset + 32);
      if (offset + 46 + name_len > b.size()) return false;
      if (b.substr(offset + 46, name_len).rfind("word/", 0) == 0) return true;
      offset += 46 + name_len + extra + comment;
    }
    return false;
  }
  return false;
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

}  // namespace

std::string_view DetectLessonPlanType(std::string_view b) {
  if (b.rfind("%PDF-", 0) == 0) return kPdfType;
  if (b.rfind("\x89PNG\r\n\x1a\n", 0) == 0) return kPngType;
  if (b.rfind("\xFF\xD8\xFF", 0) == 0) return kJpegType;
  if (b.rfind(std::string_view("PK\x03\x04", 4), 0) == 0 && ZipHasWordEntry(b)) return kDocxType;
  return "";
}

std::string SanitizeFileName(std::string_view name) {
  auto slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name = name.substr(slash + 1);
  std::string out;
  for (char ch : name) {
    auto u = static_cast<unsigned char>(ch);
    if (u < 0x20 || u == 0x7F || ch == '"' || ch == '<' || ch == '>' || ch == '|' || ch == ':' || ch == '*' ||
        ch == '?')
      continue;
    out.push_back(ch);
  }
  out = Trim(out);
  while (!out.empty() && out.front() == '.') out.erase(out.begin());
  return out;
}

Result<LessonPlanCheck> CheckLessonPlan(std::string_view filename, std::string_view bytes) {
  if (bytes.empty()) return Error::Invalid("请上传教案文件", "the lesson plan file is required", "plan");
  if (bytes.size() > kMaxLessonPlanBytes)
    return MakeError(kTooLarge, "教案文件过大（上限 " + std::to_string(kMaxLessonPlanBytes >> 20) + " MB）",
                     "the lesson plan is larger than " + std::to_string(kMaxLessonPlanBytes >> 20) + " MiB", "plan");
  std::string name = SanitizeFileName(filename);
  if (name.empty()) return Error::Invalid("请提供教案文件名", "the file name is required", "plan");
  if (Utf8Length(name) > kMaxFileNameLength)
    return Error::Invalid("文件名过长（最多 " + std::to_string(kMaxFileNameLength) + " 字）", "file name too long",
                          "plan");
  std::string_view type = DetectLessonPlanType(bytes);
  if (type.empty())
    return Error::RuleBroken("教案文件类型不支持：只接受 PDF、Word（.docx）、PNG 或 JPEG 文件",
                             "unsupported file type: PDF, DOCX, PNG or JPEG only", "plan");
  auto dot = name.find_last_of('.');
  std::string ext = dot == std::string::npos ? "" : LowerAscii(name.substr(dot + 1));
  bool agrees = (type == kPdfType && ext == "pdf") || (type == kDocxType && ext == "docx") ||
                (type == kPngType && ext == "png") || (type == kJpegType && (ext == "jpg" || ext == "jpeg"));
  if (!agrees)
    return Error::RuleBroken("文件扩展名与文件内容不符（内容为 " +
                                 std::string(type == kDocxType ? "DOCX" : type.substr(type.find('/') + 1)) +
                                 "），请检查后重新上传",
                             "the file name's extension does not match its content", "plan");
  return LessonPlanCheck{std::move(name), std::string(type)};
}

}  // namespace kehou::catalog
