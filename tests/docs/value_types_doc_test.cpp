// The snippets of docs/value-types.md, compiled and checked, so the page cannot drift from the
// library. Each TEST_CASE is one section of the page.
#include <entitle/entitle.hpp>

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

using namespace entitle;
using namespace entitle::literals;

TEST_CASE("docs: money") {
  // [money]
  const money jkk = (1'000'000_rp).times(1_pct, rounding::half_up, units::whole_rupiah); // Rp10.000
  const money per_person = jkk + 6'800_rp;                                               // Rp16.800
  const money regency = per_person * 12 * 4'650;                                         // Rp937.440.000
  const money wage = money::parse("Rp3.456.789");
  const money jkk_class_iii = wage.times(0.89_pct, rounding::half_up, units::whole_rupiah); // Rp30.765
  // [money]
  CHECK(jkk == 10'000_rp);
  CHECK(per_person == 16'800_rp);
  CHECK(to_rupiah_string(regency) == "Rp937.440.000");
  CHECK(to_string(jkk_class_iii) == "30765");
}

TEST_CASE("docs: rate") {
  // [rate]
  const rate jht = rate::parse("5.7%");
  const rate employer = rate::parse_share("3.7%");
  const rate worker = jht - employer;                  // 2%
  const auto too_much = rate::try_parse_share("120%"); // errc::out_of_range
  // [rate]
  CHECK(to_string(worker) == "2%");
  CHECK(too_much.error().code == errc::out_of_range);
}

TEST_CASE("docs: date and month") {
  // [date]
  const date birth = date::parse("2008-02-29");
  const int age = age_in_full_years(birth, date(2023, 3, 1));           // 15
  const month_range window = month_range::starting(month(2020, 11), 3); // 2020-11..2021-01
  const int months = months_between(month(2024, 1), month(2024, 12));   // 11
  // [date]
  CHECK(age == 15);
  CHECK(to_string(window) == "2020-11..2021-01");
  CHECK(months == 11);
}

TEST_CASE("docs: dated") {
  // [dated]
  const dated<money> jp_ceiling({{date(2019, 3, 1), 8'512'400_rp, "PP 45/2015 Art. 29(3)"},
                                 {date(2020, 3, 1), 8'939'700_rp, "PP 45/2015 Art. 29(3)"}});
  const money in_2020 = jp_ceiling.at(date(2020, 6, 1));     // Rp8.939.700
  const bool before = jp_ceiling.in_force(date(2019, 1, 1)); // false: not in force yet
  // [dated]
  CHECK(in_2020 == 8'939'700_rp);
  CHECK_FALSE(before);
}

TEST_CASE("docs: verdict") {
  // [verdict]
  const verdict has_nik = verdict::yes;
  const verdict is_poor = verdict::unknown;        // the fact is missing
  const verdict eligible = has_nik && is_poor;     // unknown
  const verdict rejected = verdict::no && is_poor; // no: unknown cannot save it
  // [verdict]
  CHECK(eligible == verdict::unknown);
  CHECK(rejected == verdict::no);
}

TEST_CASE("docs: JSON") {
  // [json]
  namespace json = boost::json;
  const auto ceiling = json::value_to<dated<money>>(json::parse(R"j({
      "history": [{"from": "2024-03-01", "value": 10042300, "citation": "PP 45/2015 Art. 29(3)"}]})j"));
  const std::string text = json::serialize(json::value_from(0.24_pct)); // "\"0.24%\""
  // [json]
  CHECK(ceiling.at(date(2024, 3, 1)) == 10'042'300_rp);
  CHECK(text == "\"0.24%\"");
}
