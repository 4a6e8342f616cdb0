// ids.h: the one check of a mainland mobile number and of a resident (citizen) ID number
// (GB 11643-1999). Used by people, enroll and the demo generator. Thread-safety: pure functions.
#pragma once
#include <cstddef>
#include <optional>
#include <string_view>

#include "core/time.h"

namespace kehou {

inline constexpr size_t kMobileLength = 11;       // mainland mobile: 1[3-9] + 9 digits
inline constexpr size_t kIdNumberLength = 18;     // GB 11643-1999 citizen ID number
inline constexpr size_t kOldIdNumberLength = 15;  // the first-generation number, no longer valid

// 11 digits matching 1[3-9]\d{9}.
bool ValidMobile(std::string_view m);

// The check character ('0'..'9' or 'X') of the first 17 digits; nullopt unless 17 digits.
std::optional<char> IdNumberCheckChar(std::string_view first17);
// The birth date written in an 18-character ID number (characters 7-14), if it is a real date.
std::optional<Date> IdNumberBirthDate(std::string_view id);
// 18 characters: 17 digits and the right check character (upper-case X), a real birth date.
bool ValidIdNumber(std::string_view id);

}  // namespace kehou
