#include <entitle/core/dated.hpp>

#include <entitle/core/money.hpp>

#include <doctest/doctest.h>

using namespace entitle;
using namespace entitle::literals;

namespace {
// The JP wage ceiling (PP 45/2015 Art. 29; domain reference 1.4), taken as changing on 1 March.
dated<money> jp_wage_ceiling() {
  return dated<money>({{date(2015, 7, 1), 7'000'000_rp, "PP 45/2015 Art. 29(2)"},
                       {date(2019, 3, 1), 8'512'400_rp, "PP 45/2015 Art. 29(3); BPJS TK 2019"},
                       {date(2020, 3, 1), 8'939'700_rp, "PP 45/2015 Art. 29(3); BPJS TK 2020"},
                       {date(2021, 2, 1), 8'754'600_rp, "PP 45/2015 Art. 29(3); SE BPJS TK B/0246/022021"}});
}
} // namespace

TEST_CASE("a dated value is read at a date") {
  const dated<money> ceiling = jp_wage_ceiling();
  CHECK(ceiling.at(date(2015, 7, 1)) == 7'000'000_rp);
  CHECK(ceiling.at(date(2019, 2, 28)) == 7'000'000_rp);
  CHECK(ceiling.at(date(2019, 3, 1)) == 8'512'400_rp);
  CHECK(ceiling.at(date(2020, 2, 29)) == 8'512'400_rp);
  CHECK(ceiling.at(date(2020, 3, 1)) == 8'939'700_rp);
  CHECK(ceiling.at(date(2030, 1, 1)) == 8'754'600_rp); // no end: the last entry stays in force
  const auto* entry = ceiling.find(date(2021, 6, 1));
  REQUIRE(entry != nullptr);
  CHECK(entry->from == date(2021, 2, 1));
  CHECK(entry->citation == "PP 45/2015 Art. 29(3); SE BPJS TK B/0246/022021");
}

TEST_CASE("before the first entry a dated value is not in force") {
  const dated<money> ceiling = jp_wage_ceiling();
  CHECK_FALSE(ceiling.in_force(date(2015, 6, 30)));
  CHECK(ceiling.find(date(2015, 6, 30)) == nullptr);
  try {
    (void)ceiling.at(date(2015, 6, 30));
    FAIL("expected not_in_force");
  } catch (const error& e) {
    CHECK(e.code() == errc::not_in_force);
    CHECK(std::string(e.what()) == "not in force on 2015-06-30: in force from 2015-07-01");
  }
}

TEST_CASE("a dated value can end") {
  // PP 49/2020: BPU JKM Rp68 instead of Rp6,800 for contributions August 2020 to January 2021.
  const dated<money> relief({{date(2020, 8, 1), 68_rp, "PP 49/2020"}}, date(2021, 1, 31));
  CHECK(relief.at(date(2020, 8, 1)) == 68_rp);
  CHECK(relief.at(date(2021, 1, 31)) == 68_rp);
  CHECK_FALSE(relief.in_force(date(2021, 2, 1)));
  CHECK_FALSE(relief.in_force(date(2020, 7, 31)));
  CHECK_THROWS_WITH_AS((void)relief.at(date(2021, 2, 1)),
                       "not in force on 2021-02-01: in force from 2020-08-01 until 2021-01-31", error);
  CHECK(relief.until() == date(2021, 1, 31));
}

TEST_CASE("a history is checked when it is made") {
  SUBCASE("empty") {
    const auto made = dated<int>::try_make({});
    REQUIRE(made.has_error());
    CHECK(made.error().code == errc::empty_history);
  }
  SUBCASE("duplicate dates") {
    const auto made = dated<int>::try_make({{date(2020, 3, 1), 1, "a"}, {date(2020, 3, 1), 2, "b"}});
    REQUIRE(made.has_error());
    CHECK(made.error().code == errc::duplicate_date);
    CHECK(made.error().location == "/history/1/from");
    CHECK(made.error().message == "entry 1 (2020-03-01) takes effect on the same date as entry 0");
  }
  SUBCASE("unordered dates") {
    try {
      dated<int>({{date(2019, 3, 1), 1, "a"}, {date(2021, 2, 1), 2, "b"}, {date(2020, 3, 1), 3, "c"}});
      FAIL("expected unordered_dates");
    } catch (const error& e) {
      CHECK(e.code() == errc::unordered_dates);
      CHECK(std::string(e.what()) ==
            "/history/2/from: entry 2 (2020-03-01) takes effect before entry 1 (2021-02-01): dates must increase");
    }
  }
  SUBCASE("ending before the last entry takes effect") {
    const auto made = dated<int>::try_make({{date(2019, 3, 1), 1, "a"}, {date(2020, 3, 1), 2, "b"}}, date(2020, 2, 1));
    REQUIRE(made.has_error());
    CHECK(made.error().code == errc::out_of_range);
    CHECK(made.error().location == "/until");
  }
  SUBCASE("ending on the day the last entry takes effect is allowed") {
    CHECK(dated<int>::try_make({{date(2019, 3, 1), 1, "a"}}, date(2019, 3, 1)).has_value());
  }
}

TEST_CASE("dated values compare by history and end") {
  CHECK(jp_wage_ceiling() == jp_wage_ceiling());
  const dated<int> a({{date(2020, 1, 1), 1, "x"}});
  const dated<int> b({{date(2020, 1, 1), 1, "x"}}, date(2020, 12, 31));
  CHECK(a != b);
}
