#include "core/time.h"

#include <chrono>
#include <cstdio>

namespace kehou {
namespace {
bool Digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}
int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}
int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}
}  // namespace

std::optional<Date> ParseDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto y = s.substr(0, 4), m = s.substr(5, 2), d = s.substr(8, 2);
  if (!Digits(y) || !Digits(m) || !Digits(d)) return std::nullopt;
  Date out{ToInt(y), ToInt(m), ToInt(d)};
  if (out.y < 1900 || out.m < 1 || out.m > 12 || out.d < 1 || out.d > DaysInMonth(out.y, out.m)) return std::nullopt;
  return out;
}

std::string FormatDate(const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.y % 10000, d.m % 100, d.d % 100);
  return buf;
}

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t DaysFromCivil(const Date& dt) {
  int64_t y = dt.y - (dt.m <= 2 ? 1 : 0);
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t mp = (dt.m + 9) % 12;
  int64_t doy = (153 * mp + 2) / 5 + dt.d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date CivilFromDays(int64_t z) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return Date{static_cast<int>(y + (m <= 2 ? 1 : 0)), static_cast<int>(m), static_cast<int>(d)};
}

int IsoWeekday(const Date& d) {
  int64_t z = DaysFromCivil(d);     // 1970-01-01 was a Thursday (4)
  int64_t w = (z % 7 + 7 + 3) % 7;  // 0 = Monday
  return static_cast<int>(w) + 1;
}

Date AddDays(const Date& d, int64_t n) { return CivilFromDays(DaysFromCivil(d) + n); }

std::optional<int> ParseTimeOfDay(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') return std::nullopt;
  auto h = s.substr(0, 2), m = s.substr(3, 2);
  if (!Digits(h) || !Digits(m)) return std::nullopt;
  int hh = ToInt(h), mm = ToInt(m);
  if (hh > 23 || mm > 59) return std::nullopt;
  return hh * 60 + mm;
}

std::string FormatTimeOfDay(int minutes) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", (minutes / 60) % 100, minutes % 60);
  return buf;
}

int64_t NowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string FormatInstant(int64_t ms) {
  int64_t secs = ms / 1000;
  int64_t days = secs / 86400;
  int64_t rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  Date d = CivilFromDays(days);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", FormatDate(d).c_str(), static_cast<int>(rem / 3600),
                static_cast<int>(rem / 60 % 60), static_cast<int>(rem % 60));
  return buf;
}

namespace {
constexpr int64_t kDayMs = 86'400'000;
int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : (a - b + 1) / b; }
}  // namespace

Date TodayLocal() { return LocalDate(NowMs()); }

Date LocalDate(int64_t epoch_ms) { return CivilFromDays(FloorDiv(epoch_ms + kSchoolUtcOffsetMs, kDayMs)); }

int64_t LocalInstant(const Date& d, int minutes) {
  return DaysFromCivil(d) * kDayMs + int64_t{minutes} * 60'000 - kSchoolUtcOffsetMs;
}

std::string FormatLocalMinute(int64_t epoch_ms) {
  int64_t local = epoch_ms + kSchoolUtcOffsetMs;
  int64_t day = FloorDiv(local, kDayMs);
  return FormatDate(CivilFromDays(day)) + " " + FormatTimeOfDay(static_cast<int>((local - day * kDayMs) / 60'000));
}

}  // namespace kehou
