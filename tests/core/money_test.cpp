#include <entitle/core/money.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <sstream>

using namespace entitle;
using namespace entitle::literals;

namespace {
// What must not compile: money * money, implicit int -> money, money * floating point,
// money * rate without a named rounding.
template <class A, class B>
concept multipliable = requires(A a, B b) {
  a* b;
};
static_assert(!multipliable<money, money>);
static_assert(!multipliable<money, double>);
static_assert(!multipliable<money, rate>);
static_assert(!multipliable<money, bool>);
static_assert(multipliable<money, int> && multipliable<long, money>);
static_assert(!std::is_convertible_v<int, money>);
static_assert(!std::is_constructible_v<money, int>);
static_assert(!std::is_convertible_v<money, std::int64_t>);
static_assert(std::regular<money>);

// The literal and the constants are compile-time values.
static_assert((16'800_rp).minor_units() == 1'680'000);
static_assert(units::thousands == 1'000_rp);
static_assert(10'000_rp + 6'800_rp == 16'800_rp);
} // namespace

TEST_CASE("money holds whole rupiah and sen exactly") {
  CHECK(money::from_rupiah(16'800).minor_units() == 1'680'000);
  CHECK(money::from_minor_units(1'680'050).whole_rupiah() == 16'800);
  CHECK_FALSE(money::from_minor_units(1'680'050).is_whole_rupiah());
  CHECK(money() == 0_rp);
}

TEST_CASE("money adds, subtracts, compares and multiplies by a count") {
  // The minimum BPU package (PP 44/2015 annex): JKK Rp10,000 + JKM Rp6,800 = Rp16,800.
  CHECK(10'000_rp + 6'800_rp == 16'800_rp);
  CHECK(16'800_rp - 6'800_rp == 10'000_rp);
  CHECK(-(6'800_rp) == 0_rp - 6'800_rp);
  CHECK(6'800_rp < 10'000_rp);
  // 16,800 x 12 months = 201,600; x 4,650 people = 937,440,000 (worked by hand:
  // 201,600 x 4,000 = 806,400,000 and 201,600 x 650 = 131,040,000).
  CHECK(16'800_rp * 12 == 201'600_rp);
  CHECK(4'650 * (16'800_rp * 12) == 937'440'000_rp);
  money total;
  total += 10'000_rp;
  total += 6'800_rp;
  total -= 800_rp;
  CHECK(total == 16'000_rp);
}

TEST_CASE("overflow is reported, never wrapped") {
  const money largest = money::from_minor_units(INT64_MAX);
  CHECK_THROWS_AS(largest + money::from_minor_units(1), error);
  CHECK_THROWS_AS(money::from_minor_units(INT64_MIN) - money::from_minor_units(1), error);
  CHECK_THROWS_AS(-money::from_minor_units(INT64_MIN), error);
  // 9.3e16 rupiah is 9.3e18 sen, past INT64_MAX (about 9.22e18).
  CHECK_THROWS_AS((void)money::from_rupiah(93'000'000'000'000'000), error);
  // Rp1,000,000,000,000 (1e14 sen) x 100,000 = 1e19 sen: past 64 bits.
  const money trillion = 1'000'000'000'000_rp;
  try {
    (void)(trillion * 100'000);
    FAIL("expected an overflow");
  } catch (const error& e) {
    CHECK(e.code() == errc::overflow);
    CHECK(std::string(e.what()) == "money product does not fit in 64 bits");
  }
  CHECK(trillion * 90'000 == 90'000'000'000'000'000_rp); // 9e18 sen still fits
  CHECK_THROWS_AS(trillion * 18'446'744'073'709'551'615ull, error);
  CHECK_THROWS_AS((void)largest.rounded(rounding::up, units::thousands), error);
}

TEST_CASE("money times a rate, rounded as named") {
  // 0.89% (JKK class III, PP 44/2015) of Rp3,456,789 = 30,765.4221 -> Rp30,765.
  CHECK((3'456'789_rp).times(0.89_pct, rounding::half_up, units::whole_rupiah) == 30'765_rp);
  // 1% (JKK BPU, PP 44/2015 annex) of the lowest bracket Rp1,000,000 = Rp10,000.
  CHECK((1'000'000_rp).times(1_pct, rounding::half_up, units::whole_rupiah) == 10'000_rp);
  // 5.7% (JHT, PP 46/2015) of Rp4,000,000 = Rp228,000.
  CHECK((4'000'000_rp).times(5.7_pct, rounding::half_up, units::whole_rupiah) == 228'000_rp);
  // JP wage ceiling 2020 (domain reference 1.4): 8,512,400 x 1.0502 = 8,939,722.48,
  // rounded down to the hundred = 8,939,700.
  CHECK((8'512'400_rp).times(rate::parse("1.0502"), rounding::toward_zero, units::hundreds) == 8'939'700_rp);
  // 2021: 8,939,700 x 0.9793 (GDP 2020 -2.07%) = 8,754,648.21 -> 8,754,600.
  CHECK((8'939'700_rp).times(rate::parse("0.9793"), rounding::toward_zero, units::hundreds) == 8'754'600_rp);
  // Sen are kept when asked for: 0.89% of Rp3,456,789 = 30,765.4221 -> Rp30,765.42.
  CHECK((3'456'789_rp).times(0.89_pct, rounding::half_up, units::sen) == money::from_minor_units(3'076'542));
  // A zero or negative unit is refused.
  CHECK_THROWS_AS((void)(1_rp).times(1_pct, rounding::up, money()), error);
  CHECK_THROWS_AS((void)(1_rp).rounded(rounding::up, -(1_rp)), error);
}

TEST_CASE("products past 64 bits are still exact and rounded as named") {
  // These products exceed 2^62 in sen x billionths, so they take the 128-bit division path.
  // Rp12,345,678,901,234 x 0.89%: 12,345,678,901,234 x 89 = 1,098,765,422,209,826 (by hand:
  // x 90 = 1,111,111,101,111,060, minus the amount once), / 10,000 = 109,876,542,220.9826.
  const money large = 12'345'678'901'234_rp;
  CHECK(large.times(0.89_pct, rounding::half_up, units::whole_rupiah) == 109'876'542'221_rp);
  CHECK(large.times(0.89_pct, rounding::toward_zero, units::whole_rupiah) == 109'876'542'220_rp);
  CHECK(large.times(0.89_pct, rounding::half_up, units::sen) == money::from_minor_units(10'987'654'222'098));
  // Rp50,000,000,000,001 x 50% = 25,000,000,000,000.5: an exact half.
  const money odd = 50'000'000'000'001_rp;
  CHECK(odd.times(50_pct, rounding::half_even, units::whole_rupiah) == 25'000'000'000'000_rp);
  CHECK(odd.times(50_pct, rounding::half_up, units::whole_rupiah) == 25'000'000'000'001_rp);
  CHECK((-odd).times(50_pct, rounding::up, units::whole_rupiah) == -(25'000'000'000'001_rp));
}

TEST_CASE("each rounding mode, worked on the halfway and off-halfway cases") {
  // Rp1,250 to hundreds is exactly halfway between 1,200 and 1,300.
  SUBCASE("halfway, below an even hundred") {
    CHECK((1'250_rp).rounded(rounding::half_up, units::hundreds) == 1'300_rp);
    CHECK((1'250_rp).rounded(rounding::half_even, units::hundreds) == 1'200_rp);
    CHECK((1'250_rp).rounded(rounding::toward_zero, units::hundreds) == 1'200_rp);
    CHECK((1'250_rp).rounded(rounding::up, units::hundreds) == 1'300_rp);
  }
  SUBCASE("halfway, below an odd hundred") {
    CHECK((1'350_rp).rounded(rounding::half_even, units::hundreds) == 1'400_rp);
  }
  SUBCASE("negative amounts round symmetrically") {
    CHECK((-(1'250_rp)).rounded(rounding::half_up, units::hundreds) == -(1'300_rp));
    CHECK((-(1'250_rp)).rounded(rounding::half_even, units::hundreds) == -(1'200_rp));
    CHECK((-(1'250_rp)).rounded(rounding::toward_zero, units::hundreds) == -(1'200_rp));
    CHECK((-(1'201_rp)).rounded(rounding::up, units::hundreds) == -(1'300_rp));
  }
  SUBCASE("off halfway") {
    CHECK((1'249_rp).rounded(rounding::half_up, units::hundreds) == 1'200_rp);
    CHECK((1'251_rp).rounded(rounding::half_even, units::hundreds) == 1'300_rp);
    CHECK((1'201_rp).rounded(rounding::up, units::hundreds) == 1'300_rp);
    CHECK((1'299_rp).rounded(rounding::toward_zero, units::hundreds) == 1'200_rp);
  }
  SUBCASE("BSU 2022: a regional minimum wage rounded up to the next Rp100,000") {
    // Permenaker 10/2022 as given in the issue: UMR Rp4,789,312 -> ceiling Rp4,800,000.
    CHECK((4'789'312_rp).rounded(rounding::up, 100'000_rp) == 4'800'000_rp);
    CHECK((4'800'000_rp).rounded(rounding::up, 100'000_rp) == 4'800'000_rp);
  }
  SUBCASE("thousands") {
    CHECK((30'765_rp).rounded(rounding::half_up, units::thousands) == 31'000_rp);
    CHECK((30'499_rp).rounded(rounding::half_up, units::thousands) == 30'000_rp);
  }
}

TEST_CASE("money parses the plain and the Indonesian forms") {
  CHECK(money::parse("1234567") == 1'234'567_rp);
  CHECK(money::parse("Rp1.234.567") == 1'234'567_rp);
  CHECK(money::parse("Rp 1.234.567") == 1'234'567_rp);
  CHECK(money::parse("Rp1234567") == 1'234'567_rp);
  CHECK(money::parse("Rp16.800") == 16'800_rp);
  CHECK(money::parse("Rp999") == 999_rp);
  CHECK(money::parse("-Rp6.800") == -(6'800_rp));
  CHECK(money::parse("-6800") == -(6'800_rp));
  CHECK(money::parse("1234567.5") == money::from_minor_units(123'456'750));
  CHECK(money::parse("1234567.05") == money::from_minor_units(123'456'705));
  CHECK(money::parse("Rp1.234.567,50") == money::from_minor_units(123'456'750));
  CHECK(money::parse("0") == money());
  CHECK(money::parse("92233720368547758.07") == money::from_minor_units(INT64_MAX));
  CHECK(money::parse("-92233720368547758.08") == money::from_minor_units(INT64_MIN));
}

TEST_CASE("money parse errors say what was found and what was expected") {
  for (const char* bad : {"", "-", "Rp", "1,234,567", "1.234.567", "Rp1.23.567", "Rp12345.678", "Rp.123", "Rp1.234.",
                          "12a", " 12", "12 ", "1.", ".5", "Rp-5", "+5", "1e6", "Rp1.234.567.", "Rp1,2,3"}) {
    CAPTURE(bad);
    const auto parsed = money::try_parse(bad);
    REQUIRE(parsed.has_error());
    CHECK(parsed.error().code == errc::invalid_syntax);
  }
  CHECK(money::try_parse("1,234,567").error().message ==
        "expected an amount such as \"1234567\" or \"Rp1.234.567\", found \"1,234,567\"");
  CHECK(money::try_parse("12.345").error().message ==
        "expected an amount such as \"1234567\" or \"Rp1.234.567\", found \"12.345\" (at most 2 decimals: sen)");
  const auto too_large = money::try_parse("92233720368547758.08");
  REQUIRE(too_large.has_error());
  CHECK(too_large.error().code == errc::overflow);
  // The form is right; the message says how far amounts go, to the sen.
  CHECK(too_large.error().message ==
        "\"92233720368547758.08\" is too large; amounts go up to Rp92.233.720.368.547.758,07");
  CHECK(money::try_parse("92233720368547758.07")->minor_units() == INT64_MAX);
  CHECK(money::try_parse("-Rp92.233.720.368.547.758,08")->minor_units() == INT64_MIN);
  CHECK(money::try_parse("-Rp92.233.720.368.547.758,09").error().message ==
        "\"-Rp92.233.720.368.547.758,09\" is too far below zero; amounts go down to -Rp92.233.720.368.547.758,08");
  CHECK_THROWS_WITH_AS((void)money::parse("abc"),
                       "expected an amount such as \"1234567\" or \"Rp1.234.567\", found \"abc\"", error);
}

TEST_CASE("money prints plain and Indonesian") {
  CHECK(to_string(1'234'567_rp) == "1234567");
  CHECK(to_string(-(6'800_rp)) == "-6800");
  CHECK(to_string(money::from_minor_units(123'456'750)) == "1234567.50");
  CHECK(to_string(money::from_minor_units(-5)) == "-0.05");
  CHECK(to_rupiah_string(1'234'567_rp) == "Rp1.234.567");
  CHECK(to_rupiah_string(937'440'000_rp) == "Rp937.440.000");
  CHECK(to_rupiah_string(999_rp) == "Rp999");
  CHECK(to_rupiah_string(0_rp) == "Rp0");
  CHECK(to_rupiah_string(-(16'800_rp)) == "-Rp16.800");
  CHECK(to_rupiah_string(money::from_minor_units(123'456'705)) == "Rp1.234.567,05");
  CHECK(to_rupiah_string(money::from_minor_units(INT64_MIN)) == "-Rp92.233.720.368.547.758,08");
  std::ostringstream out;
  out << 16'800_rp;
  CHECK(out.str() == "Rp16.800");
}

TEST_CASE("printing and parsing round-trip") {
  for (std::int64_t sen : {std::int64_t{0}, std::int64_t{5}, std::int64_t{-5}, std::int64_t{100},
                           std::int64_t{123'456'789}, std::int64_t{-98'765'432'100}, INT64_MAX, INT64_MIN}) {
    CAPTURE(sen);
    const money amount = money::from_minor_units(sen);
    CHECK(money::parse(to_string(amount)) == amount);
    CHECK(money::parse(to_rupiah_string(amount)) == amount);
  }
}
