#include "core/ids.h"

#include <array>
#include <string>

namespace kehou {
namespace {
bool AllDigits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}
}  // namespace

bool ValidMobile(std::string_view m) {
  return m.size() == kMobileLength && AllDigits(m) && m[0] == '1' && m[1] >= '3' && m[1] <= '9';
}

std::optional<char> IdNumberCheckChar(std::string_view first17) {
  static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr std::string_view kCheck = "10X98765432";
  if (first17.size() != kWeights.size() || !AllDigits(first17)) return std::nullopt;
  int sum = 0;
  for (size_t i = 0; i < kWeights.size(); ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheck[static_cast<size_t>(sum % 11)];
}

std::optional<Date> IdNumberBirthDate(std::string_view id) {
  if (id.size() != kIdNumberLength) return std::nullopt;
  std::string iso =
      std::string(id.substr(6, 4)) + "-" + std::string(id.substr(10, 2)) + "-" + std::string(id.substr(12, 2));
  return ParseDate(iso);
}

bool ValidIdNumber(std::string_view id) {
  if (id.size() != kIdNumberLength) return false;
  auto check = IdNumberCheckChar(id.substr(0, kIdNumberLength - 1));
  return check && *check == id.back() && IdNumberBirthDate(id).has_value();
}

}  // namespace kehou
