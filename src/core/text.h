// text.h: small string helpers (UTF-8 aware where it matters). Thread-safety: pure functions.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kehou {

std::string Trim(std::string_view s);  // ASCII whitespace and U+3000 (full-width space)
std::vector<std::string> Split(std::string_view s, char sep);
size_t Utf8Length(std::string_view s);  // code points; counts invalid bytes as one each
bool ValidUtf8(std::string_view s);
// Control characters: C0 (below U+0020), DEL and C1 (U+0080..U+009F). With allow_newlines, tab,
// CR and LF are allowed (multi-line notes).
bool HasControl(std::string_view s, bool allow_newlines = false);
std::optional<int64_t> ParseInt(std::string_view s);  // whole string, optional sign
std::string ToHex(const unsigned char* data, size_t n);
// The first max_chars code points of s (never cuts a UTF-8 sequence).
std::string TruncateUtf8(std::string_view s, size_t max_chars);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);

}  // namespace kehou
