#include <entitle/core/month.hpp>

#include <doctest/doctest.h>

#include <sstream>
#include <vector>

using namespace entitle;

namespace {
static_assert(months_between(month(2024, 1), month(2024, 12)) == 11);
static_assert(month_range(month(2024, 1), month(2024, 12)).size() == 12);
static_assert(std::forward_iterator<month_range::iterator>);
} // namespace

TEST_CASE("months parse, print and step") {
  CHECK(month::parse("2024-03") == month(2024, 3));
  CHECK(to_string(month(2020, 11)) == "2020-11");
  CHECK(month(2020, 12).next() == month(2021, 1));
  CHECK(month(2021, 1).plus(std::chrono::months(-2)) == month(2020, 11));
  CHECK(month::of(date(2025, 2, 7)) == month(2025, 2));
  CHECK(month(2024, 2).first_day() == date(2024, 2, 1));
  CHECK(month(2024, 2).last_day() == date(2024, 2, 29));
  CHECK(month(2023, 2).last_day() == date(2023, 2, 28));
  CHECK(month(2025, 2).contains(date(2025, 2, 7)));
  CHECK_FALSE(month(2025, 2).contains(date(2025, 3, 1)));
  CHECK(month(2024, 1) < month(2024, 2));
  CHECK_THROWS_AS((void)month(9999, 12).next(), error);
  std::ostringstream out;
  out << month(2024, 9);
  CHECK(out.str() == "2024-09");
}

TEST_CASE("month errors") {
  CHECK(month::try_parse("2024-3").error().message ==
        "expected a month as YYYY-MM, such as \"2024-03\", found \"2024-3\"");
  CHECK(month::try_parse("2024-13").error().message == "\"2024-13\" is not a month: months run from 01 to 12");
  CHECK(month::try_parse("2024-13").error().code == errc::invalid_date);
  CHECK(month::try_parse("2024-03-01").error().code == errc::invalid_syntax);
  CHECK(month::try_parse("").error().code == errc::invalid_syntax);
  CHECK_THROWS_AS(month(2024, 0), error);
}

TEST_CASE("months between two months") {
  CHECK(months_between(month(2020, 11), month(2021, 1)) == 2);
  CHECK(months_between(month(2021, 1), month(2020, 11)) == -2);
  CHECK(months_between(month(2024, 5), month(2024, 5)) == 0);
  // PP 49/2020 relief: contribution months August 2020 to January 2021 are 6 months, 5 steps apart.
  CHECK(months_between(month(2020, 8), month(2021, 1)) == 5);
}

TEST_CASE("N months starting from M") {
  // Muara Enim (seed 003): JKK + JKM for 3 months from November 2020.
  const month_range muara_enim = month_range::starting(month(2020, 11), 3);
  CHECK(muara_enim.first() == month(2020, 11));
  CHECK(muara_enim.last() == month(2021, 1));
  CHECK(muara_enim.size() == 3);
  std::vector<month> months(muara_enim.begin(), muara_enim.end());
  CHECK(months == std::vector<month>{month(2020, 11), month(2020, 12), month(2021, 1)});
  CHECK_THROWS_AS((void)month_range::starting(month(2020, 11), 0), error);
  CHECK(month_range::starting(month(9999, 12), 1).size() == 1);
}

TEST_CASE("month ranges") {
  const month_range year_2024 = month_range::calendar_year(2024);
  CHECK(year_2024 == month_range(month(2024, 1), month(2024, 12)));
  CHECK(year_2024.size() == 12);
  CHECK(year_2024.contains(month(2024, 7)));
  CHECK_FALSE(year_2024.contains(month(2025, 1)));
  CHECK(year_2024.contains(date(2024, 12, 31)));
  int count = 0;
  for (month m : year_2024) {
    CHECK(m.year() == 2024);
    ++count;
  }
  CHECK(count == 12);
  CHECK_THROWS_AS(month_range(month(2024, 2), month(2024, 1)), error);
  // The last month of the calendar can be iterated: the end iterator never becomes a `month`.
  const month_range last_months(month(9999, 11), month(9999, 12));
  CHECK(std::vector<month>(last_months.begin(), last_months.end()).size() == 2);
}

TEST_CASE("month ranges intersect") {
  // A coverage window of 3 months from November 2020 within the evaluation year 2020 keeps 2.
  const auto in_2020 = intersection(month_range::starting(month(2020, 11), 3), month_range::calendar_year(2020));
  REQUIRE(in_2020.has_value());
  CHECK(*in_2020 == month_range(month(2020, 11), month(2020, 12)));
  CHECK_FALSE(intersection(month_range::calendar_year(2020), month_range::calendar_year(2021)).has_value());
}

TEST_CASE("month ranges parse and print") {
  CHECK(month_range::parse("2024-01..2024-12") == month_range::calendar_year(2024));
  CHECK(month_range::parse("2024-03") == month_range(month(2024, 3), month(2024, 3)));
  CHECK(to_string(month_range::calendar_year(2024)) == "2024-01..2024-12");
  CHECK(month_range::try_parse("2024-12..2024-01").error().message ==
        "the month range \"2024-12..2024-01\" ends before it starts");
  CHECK(month_range::try_parse("2024-01..").error().code == errc::invalid_syntax);
  CHECK(month_range::try_parse("2024-01...2024-02").error().code == errc::invalid_syntax);
}
