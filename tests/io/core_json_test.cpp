#include <entitle/io/core_json.hpp>

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

using namespace entitle;
using namespace entitle::literals;
namespace json = boost::json;

namespace {
template <class T>
T from_json(std::string_view text) {
  return json::value_to<T>(json::parse(text));
}

template <class T>
std::string to_json(const T& value) {
  return json::serialize(json::value_from(value));
}

// The failure `value_to<T>` reports for `text`, as "location: message".
template <class T>
std::string failure_of(std::string_view text) {
  try {
    (void)from_json<T>(text);
  } catch (const error& e) {
    return e.what();
  }
  return "no error";
}
} // namespace

TEST_CASE("money in JSON: whole rupiah as integers, sen as strings") {
  CHECK(to_json(16'800_rp) == "16800");
  CHECK(to_json(money::from_minor_units(1'680'050)) == "\"16800.50\"");
  CHECK(from_json<money>("16800") == 16'800_rp);
  CHECK(from_json<money>("-6800") == -(6'800_rp));
  CHECK(from_json<money>("\"Rp1.234.567\"") == 1'234'567_rp);
  CHECK(from_json<money>("\"16800.50\"") == money::from_minor_units(1'680'050));
  CHECK(failure_of<money>("16800.5") ==
        "expected an amount: a whole number of rupiah such as 16800, or a string such as \"Rp16.800\" or \"16800.50\", "
        "found the number 16800.5 (amounts are never floating-point)");
  CHECK(failure_of<money>("true") ==
        "expected an amount: a whole number of rupiah such as 16800, or a string such as \"Rp16.800\" or \"16800.50\", "
        "found true");
  CHECK(failure_of<money>("\"1,5\"") == "expected an amount such as \"1234567\" or \"Rp1.234.567\", found \"1,5\"");
  // 9.3e16 rupiah does not fit in 64 bits of sen.
  CHECK(failure_of<money>("93000000000000000") ==
        "93000000000000000 rupiah is too large; amounts go up to Rp92.233.720.368.547.758,07");
  CHECK(failure_of<money>("-93000000000000000") ==
        "-93000000000000000 rupiah is too far below zero; amounts go down to -Rp92.233.720.368.547.758,08");
  CHECK(failure_of<money>("18446744073709551615") ==
        "18446744073709551615 rupiah is too large; amounts go up to Rp92.233.720.368.547.758,07");
}

TEST_CASE("rates, dates, months, ranges, verdicts and roundings in JSON") {
  CHECK(to_json(0.24_pct) == "\"0.24%\"");
  CHECK(from_json<rate>("\"0.0024\"") == 0.24_pct);
  CHECK(failure_of<rate>("0.0024") == "expected a rate as a string such as \"0.24%\" or \"0.0024\", found the "
                                      "number 0.0024 (write rates as strings, so they stay exact)");
  CHECK(failure_of<rate>("null") == "expected a rate as a string such as \"0.24%\" or \"0.0024\", found null");

  CHECK(to_json(date(2024, 1, 31)) == "\"2024-01-31\"");
  CHECK(from_json<date>("\"2024-02-29\"") == date(2024, 2, 29));
  CHECK(failure_of<date>("\"2023-02-29\"") == "\"2023-02-29\" is not a date: that month has 28 days");
  CHECK(failure_of<date>("20240131") == "expected a date as a string \"YYYY-MM-DD\", found the number 20240131");

  CHECK(to_json(month(2024, 3)) == "\"2024-03\"");
  CHECK(from_json<month>("\"2020-11\"") == month(2020, 11));
  CHECK(failure_of<month>("[]") == "expected a month as a string \"YYYY-MM\", found an array");

  CHECK(to_json(month_range::calendar_year(2024)) == "\"2024-01..2024-12\"");
  CHECK(from_json<month_range>("\"2020-11..2021-01\"") == month_range::starting(month(2020, 11), 3));

  CHECK(to_json(verdict::unknown) == "\"unknown\"");
  CHECK(from_json<verdict>("\"yes\"") == verdict::yes);
  CHECK(failure_of<verdict>("\"maybe\"") == "expected a verdict: \"yes\", \"no\" or \"unknown\", found the string "
                                            "\"maybe\"");

  CHECK(to_json(rounding::half_even) == "\"half_even\"");
  CHECK(from_json<rounding>("\"toward_zero\"") == rounding::toward_zero);
  CHECK(failure_of<rounding>("\"half-up\"") ==
        "expected a rounding: \"half_up\", \"half_even\", \"toward_zero\" or \"up\", found the string \"half-up\"");
}

TEST_CASE("dated values in JSON") {
  constexpr std::string_view ceiling = R"j({"history": [
      {"from": "2019-03-01", "value": 8512400, "citation": "PP 45/2015 Art. 29(3)"},
      {"from": "2020-03-01", "value": "Rp8.939.700", "citation": "PP 45/2015 Art. 29(3)"}]})j";
  const auto read = from_json<dated<money>>(ceiling);
  CHECK(read.at(date(2020, 2, 29)) == 8'512'400_rp);
  CHECK(read.at(date(2020, 3, 1)) == 8'939'700_rp);
  CHECK(read.history()[1].citation == "PP 45/2015 Art. 29(3)");
  CHECK_FALSE(read.until().has_value());

  SUBCASE("round trip") {
    const dated<rate> relief({{date(2020, 8, 1), 1_pct, "PP 49/2020 Art. 11"}}, date(2021, 1, 31));
    const std::string text = to_json(relief);
    CHECK(text == R"j({"history":[{"from":"2020-08-01","value":"1%","citation":"PP 49/2020 Art. 11"}],)j"
                  R"j("until":"2021-01-31"})j");
    CHECK(from_json<dated<rate>>(text) == relief);
    CHECK(from_json<dated<money>>(to_json(read)) == read);
  }
  SUBCASE("errors name the JSON pointer") {
    CHECK(failure_of<dated<money>>(R"j({"history": [{"from": "2019-03-01", "value": 1, "citation": "x"},
        {"from": "2023-02-29", "value": 2, "citation": "y"}]})j") ==
          "/history/1/from: \"2023-02-29\" is not a date: that month has 28 days");
    CHECK(failure_of<dated<money>>(R"j({"history": [{"from": "2019-03-01", "value": 1.5, "citation": "x"}]})j")
              .starts_with("/history/0/value: expected an amount"));
    CHECK(failure_of<dated<money>>(R"j({"history": [{"from": "2019-03-01", "value": 1}]})j") ==
          "/history/0: a dated entry needs the key \"citation\"");
    CHECK(failure_of<dated<money>>(R"j({"history": [{"from": "2019-03-01", "value": 1, "citation": ""}]})j") ==
          "/history/0/citation: expected the regulation that sets this value as a non-empty string, found the string "
          "\"\"");
    CHECK(failure_of<dated<money>>(R"j({"history": [{"form": "2019-03-01", "value": 1, "citation": "x"}]})j") ==
          "/history/0/form: unknown key \"form\" in a dated entry; expected \"from\", \"value\", \"citation\"");
    CHECK(failure_of<dated<money>>(R"j({"history": [], "until": "2020-01-01"})j") ==
          "a dated value needs at least one entry");
    CHECK(failure_of<dated<money>>(R"j({"history": {}})j") ==
          "/history: expected an array of {\"from\", \"value\", \"citation\"} entries, found an object");
    CHECK(failure_of<dated<money>>(R"j([1, 2])j") == "expected a dated value (an object), found an array");
    CHECK(failure_of<dated<money>>(R"j({"history": [{"from": "2020-03-01", "value": 1, "citation": "a"},
        {"from": "2019-03-01", "value": 2, "citation": "b"}]})j") ==
          "/history/1/from: entry 1 (2019-03-01) takes effect before entry 0 (2020-03-01): dates must increase");
    CHECK(failure_of<dated<money>>(R"j({"history": [{"from": "2020-03-01", "value": 1, "citation": "a"}],
        "until": "2020-02-01"})j") ==
          "/until: the value ends on 2020-02-01, before its last entry (2020-03-01) takes effect");
    CHECK(failure_of<dated<money>>(R"j({"history": [{"from": "2020-03-01", "value": 1, "citation": "a"}],
        "until": "2020-02-30"})j") == "/until: \"2020-02-30\" is not a date: that month has 29 days");
    CHECK(failure_of<dated<money>>(R"j({"history": [{"from": "2020-03-01", "value": 1, "citation": "a"}],
        "a/b~": 1})j") == "/a~1b~0: unknown key \"a/b~\" in a dated value; expected \"history\", \"until\"");
  }
}
