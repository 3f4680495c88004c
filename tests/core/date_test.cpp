#include <entitle/core/date.hpp>

#include <doctest/doctest.h>

#include <sstream>

using namespace entitle;

namespace {
static_assert(date(2024, 2, 29).day() == 29);
static_assert(date(2024, 1, 1) < date(2024, 1, 2));
static_assert(!std::is_convertible_v<const char*, date>);
} // namespace

TEST_CASE("dates parse and print as ISO 8601") {
  CHECK(date::parse("2024-01-31") == date(2024, 1, 31));
  CHECK(date::parse("2024-02-29") == date(2024, 2, 29));
  CHECK(date::parse("0001-01-01").year() == 1);
  CHECK(to_string(date(2024, 3, 1)) == "2024-03-01");
  CHECK(to_string(date(9999, 12, 31)) == "9999-12-31");
  CHECK(to_string(date(1, 1, 1)) == "0001-01-01");
  CHECK(to_string(date()) == "1970-01-01");
  std::ostringstream out;
  out << date(2020, 11, 19);
  CHECK(out.str() == "2020-11-19");
}

TEST_CASE("date errors say what is wrong") {
  SUBCASE("wrong form") {
    for (const char* bad : {"", "2024-1-31", "2024/01/31", "20240131", "2024-01-31T00:00", " 2024-01-31", "24-01-31",
                            "2024-01-3x", "+024-01-31"}) {
      CAPTURE(bad);
      const auto parsed = date::try_parse(bad);
      REQUIRE(parsed.has_error());
      CHECK(parsed.error().code == errc::invalid_syntax);
    }
    CHECK(date::try_parse("31/01/2024").error().message ==
          "expected a date as YYYY-MM-DD, such as \"2024-01-31\", found \"31/01/2024\"");
  }
  SUBCASE("no such day") {
    // 2023 is not a leap year (not divisible by 4): February has 28 days.
    CHECK(date::try_parse("2023-02-29").error().message == "\"2023-02-29\" is not a date: that month has 28 days");
    CHECK(date::try_parse("2023-02-29").error().code == errc::invalid_date);
    // 1900 is divisible by 100 but not 400: not a leap year. 2000 is.
    CHECK(date::try_parse("1900-02-29").has_error());
    CHECK(date::try_parse("2000-02-29").has_value());
    CHECK(date::try_parse("2024-04-31").error().message == "\"2024-04-31\" is not a date: that month has 30 days");
    CHECK(date::try_parse("2024-13-01").error().message == "\"2024-13-01\" is not a date: months run from 01 to 12");
    CHECK(date::try_parse("2024-00-10").error().code == errc::invalid_date);
    CHECK(date::try_parse("2024-01-00").error().code == errc::invalid_date);
    CHECK(date::try_parse("0000-01-01").error().code == errc::invalid_date);
  }
  SUBCASE("constructors check too") {
    CHECK_THROWS_AS(date(2023, 2, 29), error);
    CHECK_THROWS_AS(date(10'000, 1, 1), error);
    CHECK_THROWS_AS(date(0, 12, 31), error);
    CHECK_THROWS_WITH_AS((void)date::parse("2023-02-29"), "\"2023-02-29\" is not a date: that month has 28 days",
                         error);
  }
}

TEST_CASE("age in full years counts birthdays reached") {
  // The figures: born 2008-01-01 is 16 on 2024-01-01 (the 16th birthday is that day);
  // born 2008-01-02 is still 15.
  CHECK(age_in_full_years(date(2008, 1, 1), date(2024, 1, 1)) == 16);
  CHECK(age_in_full_years(date(2008, 1, 2), date(2024, 1, 1)) == 15);
  CHECK(age_in_full_years(date(2008, 1, 2), date(2024, 1, 2)) == 16);
  CHECK(age_in_full_years(date(1959, 6, 15), date(2024, 6, 14)) == 64);
  CHECK(age_in_full_years(date(1959, 6, 15), date(2024, 6, 15)) == 65);
  CHECK(age_in_full_years(date(2024, 5, 5), date(2024, 5, 5)) == 0);
  CHECK_THROWS_AS((void)age_in_full_years(date(2024, 5, 6), date(2024, 5, 5)), error);
}

TEST_CASE("a person born on 29 February has birthdays on 1 March in common years") {
  const date leapling(2008, 2, 29);
  // 2024 is a leap year: the birthday falls on 29 February itself.
  CHECK(age_in_full_years(leapling, date(2024, 2, 28)) == 15);
  CHECK(age_in_full_years(leapling, date(2024, 2, 29)) == 16);
  // 2023 is a common year: still 14 on 28 February, 15 from 1 March.
  CHECK(age_in_full_years(leapling, date(2023, 2, 28)) == 14);
  CHECK(age_in_full_years(leapling, date(2023, 3, 1)) == 15);
  // Turning 17 in 2025 (common year) happens on 1 March 2025.
  CHECK(age_in_full_years(leapling, date(2025, 2, 28)) == 16);
  CHECK(age_in_full_years(leapling, date(2025, 3, 1)) == 17);
}

TEST_CASE("full months between two dates count month anniversaries") {
  CHECK(full_months_between(date(2024, 1, 15), date(2024, 3, 14)) == 1);
  CHECK(full_months_between(date(2024, 1, 15), date(2024, 3, 15)) == 2);
  CHECK(full_months_between(date(2023, 11, 1), date(2024, 11, 1)) == 12);
  // The 31 January anniversary in February 2024 (29 days) is reached on 1 March.
  CHECK(full_months_between(date(2024, 1, 31), date(2024, 2, 29)) == 0);
  CHECK(full_months_between(date(2024, 1, 31), date(2024, 3, 1)) == 1);
  CHECK(full_months_between(date(2024, 5, 5), date(2024, 5, 5)) == 0);
  CHECK_THROWS_AS((void)full_months_between(date(2024, 5, 6), date(2024, 5, 5)), error);
}

TEST_CASE("the non-throwing forms floor for dates in the wrong order") {
  // A birth date one day after the evaluation date: -1 years (floored), -1 months.
  CHECK(detail::full_years_between(date(2024, 5, 6), date(2024, 5, 5)) == -1);
  CHECK(detail::full_months_between(date(2024, 5, 6), date(2024, 5, 5)) == -1);
  // Exactly one year back is -1; a year and a day back is still -1 (floor of -1.003), two years
  // and a day back is -2.
  CHECK(detail::full_years_between(date(2024, 5, 5), date(2023, 5, 5)) == -1);
  CHECK(detail::full_years_between(date(2024, 5, 5), date(2023, 5, 4)) == -2);
  CHECK(detail::full_months_between(date(2024, 5, 5), date(2024, 3, 5)) == -2);
  CHECK(detail::full_months_between(date(2024, 5, 5), date(2024, 3, 4)) == -3);
}

TEST_CASE("dates convert to and from std::chrono") {
  using namespace std::chrono;
  const date day(2024, 3, 1);
  CHECK(day.days() - date(2024, 2, 1).days() == days(29)); // leap February
  CHECK(date(day.days() + days(1)) == date(2024, 3, 2));
  CHECK(date(year(2020) / November / 19) == date(2020, 11, 19));
}
