#include <entitle/core/rate.hpp>

#include <doctest/doctest.h>

#include <sstream>

using namespace entitle;
using namespace entitle::literals;

namespace {
static_assert(std::regular<rate> && std::totally_ordered<rate>);
static_assert(!std::is_convertible_v<double, rate> && !std::is_constructible_v<rate, double>);
// 0.24% is 0.0024, that is 2,400,000 billionths.
static_assert((0.24_pct).parts() == 2'400'000);
static_assert(rate::whole() == 100_pct);
} // namespace

TEST_CASE("rates parse from percentages and fractions") {
  CHECK(rate::parse("0.24%") == 0.24_pct);
  CHECK(rate::parse("0.24%").parts() == 2'400'000);
  CHECK(rate::parse("5.7%").parts() == 57'000'000);
  CHECK(rate::parse("1%").parts() == 10'000'000);
  CHECK(rate::parse("0.0024") == rate::parse("0.24%"));
  CHECK(rate::parse("1") == rate::whole());
  CHECK(rate::parse("0.445%").parts() == 4'450'000);   // PP 7/2025 JKK class III at half
  CHECK(rate::parse("-2.07%").parts() == -20'700'000); // GDP growth 2020
  CHECK(rate::parse("1.0502").parts() == 1'050'200'000);
  CHECK(rate::parse("0.0000001%").parts() == 1);
  CHECK(rate::parse("0.000000001").parts() == 1);
}

TEST_CASE("rate parse errors") {
  for (const char* bad : {"", "%", "-", "abc", "1.5.2%", ".5%", "5.%", "5 %", "0,24%", "1e-3", "+1%", "5%%"}) {
    CAPTURE(bad);
    const auto parsed = rate::try_parse(bad);
    REQUIRE(parsed.has_error());
    CHECK(parsed.error().code == errc::invalid_syntax);
  }
  CHECK(rate::try_parse("0,24%").error().message ==
        "expected a rate such as \"0.24%\", \"5.7%\" or \"0.0024\", found \"0,24%\"");
  CHECK(rate::try_parse("0.00000001%").error().message ==
        "expected a rate such as \"0.24%\", \"5.7%\" or \"0.0024\", found \"0.00000001%\" (at most 7 decimals in a "
        "percentage)");
  CHECK(rate::try_parse("0.0000000001").error().message ==
        "expected a rate such as \"0.24%\", \"5.7%\" or \"0.0024\", found \"0.0000000001\" (at most 9 decimals in a "
        "fraction)");
  CHECK(rate::try_parse("99999999999999%").error().code == errc::overflow);
  // The form is right; the rate does not fit.
  CHECK(rate::try_parse("99999999999999%").error().message == "\"99999999999999%\" is too large for a rate");
  CHECK(rate::try_parse("-99999999999999%").error().message == "\"-99999999999999%\" is too far below zero for a rate");
}

TEST_CASE("shares are between 0% and 100%") {
  CHECK(rate::parse_share("100%") == rate::whole());
  CHECK(rate::parse_share("0%") == rate());
  CHECK(rate::parse_share("3.7%") == 3.7_pct);
  const auto over = rate::try_parse_share("120%");
  REQUIRE(over.has_error());
  CHECK(over.error().code == errc::out_of_range);
  CHECK(over.error().message == "expected a share between 0% and 100%, found \"120%\"");
  CHECK(rate::try_parse_share("-1%").error().code == errc::out_of_range);
  CHECK(rate::try_parse_share("1.0000001").error().code == errc::out_of_range);
  CHECK_THROWS_WITH_AS((void)rate::parse("100.5%").as_share(), "expected a share between 0% and 100%, found 100.5%",
                       error);
  CHECK((60_pct).as_share() == 60_pct);
}

TEST_CASE("rates sum exactly and compare") {
  // JHT (PP 46/2015): employer 3.7% + worker 2.0% = 5.7%.
  CHECK(3.7_pct + 2_pct == 5.7_pct);
  // JKP (PP 37/2021): central government 0.22% + from JKK 0.14% + from JKM 0.10% = 0.46%.
  CHECK(0.22_pct + 0.14_pct + 0.10_pct == 0.46_pct);
  // JKK class I net of the JKP recomposition: 0.24% - 0.14% = 0.10%.
  CHECK(0.24_pct - 0.14_pct == 0.1_pct);
  CHECK(0.24_pct < 0.3_pct);
  CHECK(1.74_pct > 1.27_pct);
  rate running;
  running += 2_pct;
  running -= 0.5_pct;
  CHECK(running == 1.5_pct);
  CHECK_THROWS_AS(rate::from_parts(INT64_MAX) + rate::from_parts(1), error);
  CHECK_THROWS_AS(rate::from_parts(INT64_MIN) - rate::from_parts(1), error);
}

TEST_CASE("rates print as exact percentages") {
  CHECK(to_string(0.24_pct) == "0.24%");
  CHECK(to_string(5.7_pct) == "5.7%");
  CHECK(to_string(1_pct) == "1%");
  CHECK(to_string(rate::whole()) == "100%");
  CHECK(to_string(rate()) == "0%");
  CHECK(to_string(rate::parse("-2.07%")) == "-2.07%");
  CHECK(to_string(rate::parse("1.0502")) == "105.02%");
  CHECK(to_string(rate::from_parts(1)) == "0.0000001%");
  std::ostringstream out;
  out << 0.445_pct;
  CHECK(out.str() == "0.445%");
  for (const char* text : {"0.24%", "5.7%", "1%", "105.02%", "-2.07%", "0.0000001%"}) {
    CAPTURE(text);
    CHECK(to_string(rate::parse(text)) == text);
  }
}
