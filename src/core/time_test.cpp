#include "core/time.h"

#include <gtest/gtest.h>

namespace kehou {

TEST(Time, ParsesRealDatesOnly) {
  EXPECT_TRUE(ParseDate("2026-02-28"));
  EXPECT_FALSE(ParseDate("2026-02-29"));
  EXPECT_TRUE(ParseDate("2024-02-29"));
  EXPECT_FALSE(ParseDate("2026-13-01"));
  EXPECT_FALSE(ParseDate("2026-1-01"));
  EXPECT_FALSE(ParseDate("abcd-ef-gh"));
}

TEST(Time, DaysRoundTripAndWeekday) {
  Date d{2026, 11, 25};
  EXPECT_EQ(CivilFromDays(DaysFromCivil(d)), d);
  EXPECT_EQ(IsoWeekday(d), 3);  // a Wednesday
  EXPECT_EQ(IsoWeekday(Date{1970, 1, 1}), 4);
  EXPECT_EQ(FormatDate(AddDays(Date{2026, 12, 31}, 1)), "2027-01-01");
}

TEST(Time, TimeOfDay) {
  EXPECT_EQ(ParseTimeOfDay("20:30"), 20 * 60 + 30);
  EXPECT_FALSE(ParseTimeOfDay("24:00"));
  EXPECT_FALSE(ParseTimeOfDay("7:30"));
  EXPECT_EQ(FormatTimeOfDay(17 * 60 + 5), "17:05");
  EXPECT_EQ(FormatInstant(0), "1970-01-01T00:00:00Z");
}

}  // namespace kehou
