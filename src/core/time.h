// time.h: school-local dates and times of day, and instants.
// Dates are civil dates 'YYYY-MM-DD' (the school's local calendar); times of day are minutes
// after midnight, written 'HH:MM'; instants are epoch milliseconds (UTC).
// Thread-safety: pure functions.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kehou {

struct Date {
  int y = 1970, m = 1, d = 1;
  auto operator<=>(const Date&) const = default;
};

std::optional<Date> ParseDate(std::string_view s);  // strict 'YYYY-MM-DD', real calendar date
std::string FormatDate(const Date& d);
int64_t DaysFromCivil(const Date& d);  // days since 1970-01-01
Date CivilFromDays(int64_t days);
int IsoWeekday(const Date& d);  // 1 = Monday .. 7 = Sunday
Date AddDays(const Date& d, int64_t n);

std::optional<int> ParseTimeOfDay(std::string_view s);  // 'HH:MM' -> minutes 0..1439
std::string FormatTimeOfDay(int minutes);

int64_t NowMs();
std::string FormatInstant(int64_t epoch_ms);  // ISO 8601 UTC, "2026-11-25T09:34:45Z"
// ---- school-local time: China Standard Time, UTC+8 all year (no DST). The one place the offset
// is written; convert with these, never with a local 8 * 3600.
inline constexpr int64_t kSchoolUtcOffsetMs = 8LL * 3600 * 1000;
// Today's date in school-local time.
Date TodayLocal();
// The school-local date of an instant (epoch ms; instants before 1970 round down).
Date LocalDate(int64_t epoch_ms);
// The instant (epoch ms) of school-local `minutes` after midnight on `d`.
int64_t LocalInstant(const Date& d, int minutes = 0);
// "2025-09-10 08:00": an instant as a school-local date and time of day.
std::string FormatLocalMinute(int64_t epoch_ms);

}  // namespace kehou
