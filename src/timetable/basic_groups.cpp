#include "timetable/basic_groups.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace kehou::timetable {
namespace {

// Splits ids (in order) into ceil(n / max) parts whose sizes differ by at most one.
std::vector<std::vector<int64_t>> Split(const std::vector<int64_t>& ids, int max_size) {
  const size_t n = ids.size(), m = static_cast<size_t>(std::max(1, max_size));
  const size_t k = (n + m - 1) / m;
  std::vector<std::vector<int64_t>> out(k);
  size_t at = 0;
  for (size_t i = 0; i < k; ++i) {
    const size_t take = n / k + (i < n % k ? 1 : 0);
    out[i].assign(ids.begin() + static_cast<std::ptrdiff_t>(at), ids.begin() + static_cast<std::ptrdiff_t>(at + take));
    at += take;
  }
  return out;
}

}  // namespace

std::vector<FormedGroup> FormGroups(std::vector<GroupChild> children, int max_size) {
  std::sort(children.begin(), children.end(), [](const GroupChild& a, const GroupChild& b) {
    return std::tie(a.grade, a.class_id, a.student_id) < std::tie(b.grade, b.class_id, b.student_id);
  });
  std::vector<FormedGroup> out;
  size_t i = 0;
  while (i < children.size()) {  // one grade at a time
    const int grade = children[i].grade;
    const std::string grade_name = children[i].grade_name;
    std::vector<int64_t> mixed;
    while (i < children.size() && children[i].grade == grade) {
      const GroupChild& first = children[i];
      std::vector<int64_t> ids;
      for (; i < children.size() && children[i].grade == grade && children[i].class_id == first.class_id; ++i)
        ids.push_back(children[i].student_id);
      if (static_cast<int>(ids.size()) < kMinClassGroup && max_size >= kMinClassGroup) {
        mixed.insert(mixed.end(), ids.begin(), ids.end());
        continue;
      }
      auto parts = Split(ids, max_size);
      for (size_t k = 0; k < parts.size(); ++k)
        out.push_back({parts.size() == 1 ? first.class_name : first.class_name + " " + std::to_string(k + 1) + "组",
                       grade, first.class_id, std::move(parts[k]), grade <= kPlayReadingTopGrade});
    }
    std::sort(mixed.begin(), mixed.end());
    auto parts = Split(mixed, max_size);
    for (size_t k = 0; k < parts.size(); ++k)
      out.push_back({grade_name + " 混合" + std::to_string(k + 1) + "组", grade, std::nullopt, std::move(parts[k]),
                     grade <= kPlayReadingTopGrade});
  }
  for (auto& g : out) std::sort(g.members.begin(), g.members.end());
  return out;
}

}  // namespace kehou::timetable
