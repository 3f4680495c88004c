// Regression tests for defects found in review: each case failed before its fix.
#include <entitle/entitle.hpp>

#include "oku_timur.hpp"
#include "rule_check.hpp"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

using namespace entitle;
namespace json = boost::json;

namespace {
std::string failure_of_policy(std::string_view text) {
  const auto read = try_read_policy(text);
  return read ? "no error" : read.error().describe();
}
} // namespace

TEST_CASE("years, months and days out of range are refused, not truncated by std::chrono") {
  // std::chrono::year keeps 16 bits: 67,560 would have become 2024.
  CHECK_THROWS_AS(date(67'560, 1, 1), error);
  CHECK_THROWS_AS(date(-63'512, 1, 1), error);
  CHECK_THROWS_AS(date(2024, 257, 1), error); // 257 would have become January
  CHECK_THROWS_AS(date(2024, 1, 257), error);
  CHECK_THROWS_AS(month(67'560, 3), error);
  CHECK_THROWS_AS(month(2024, 257), error);
  // 65,536 years of months would have wrapped back to 2024-01.
  CHECK_THROWS_AS((void)month(2024, 1).plus(std::chrono::months(65'536 * 12)), error);
  CHECK_THROWS_AS((void)month(2024, 1).plus(std::chrono::months(12LL * (INT_MAX - 100))), error);
  CHECK_THROWS_AS((void)month_range::starting(month(2024, 1), 786'433), error);
  CHECK(month(2024, 1).plus(std::chrono::months(-2)) == month(2023, 11));
  CHECK(month(9999, 11).plus(std::chrono::months(1)) == month(9999, 12));
  CHECK(month(1, 2).plus(std::chrono::months(-1)) == month(1, 1));
}

TEST_CASE("grouped Indonesian amounts do not start with zero") {
  CHECK(money::try_parse("Rp0.001").has_error());
  CHECK(money::try_parse("Rp000.123").has_error());
  CHECK(money::parse("Rp0") == money());
  CHECK(money::parse("Rp0,50") == money::from_minor_units(50));
  CHECK(money::parse("Rp1.000") == money::from_rupiah(1'000));
}

TEST_CASE("a described schema that was extended is no longer the struct's") {
  schema extended = schema_of<oku_timur::person>();
  extended.add({"extra", fact_type::integer, {}, false});
  CHECK_FALSE(describes<oku_timur::person>(extended));
  policy p = oku_timur::rentan_policy(extended);
  p.rules.push_back(define("extra_rule").label("x").reason("X").citation("c").when(fact("extra").at_least(5)));
  const compiled_policy compiled(p);
  const oku_timur::person someone{};
  // Before the fix this read past the struct's eight facts.
  CHECK_THROWS_AS((void)compiled.decide(compiled.rule("extra_rule"), someone, date(2024, 9, 1)), error);
}

TEST_CASE("a record reports a wrong schema or slot as an entitle error") {
  schema one;
  one.add({"nik", fact_type::string, {}, false});
  record empty;
  CHECK_THROWS_WITH_AS(empty.set(one, "nik", std::string("123")), "the record has 0 facts; the schema has 1", error);
  CHECK(empty.try_set(0, one.at(0), std::string("123"))->code == errc::out_of_range);
}

TEST_CASE("dated values of other types report conversion errors at their pointer") {
  try {
    (void)json::value_to<dated<std::int64_t>>(
        json::parse(R"j({"history": [{"from": "2024-01-01", "value": "x", "citation": "c"}]})j"));
    FAIL("expected an error");
  } catch (const error& e) {
    CHECK(e.details().location == "/history/0/value");
    CHECK(e.code() == errc::invalid_syntax);
  }
}

TEST_CASE("JSON pointers escape '/' and '~' in keys") {
  CHECK(failure_of_policy(R"j({"format": "entitle-policy/1", "id": "x", "facts": {"a/b": {"type": "nope"}},
                              "rules": []})j")
            .starts_with("/facts/a~1b/type: "));
  schema s;
  s.add({"a/b~c", fact_type::integer, {}, false});
  try {
    (void)read_record(s, R"j({"a/b~c": "x"})j");
    FAIL("expected an error");
  } catch (const error& e) {
    CHECK(e.details().location == "/a~1b~0c");
  }
}

TEST_CASE("enum names are compared whole") {
  CHECK_THROWS_AS((void)json::value_to<verdict>(json::value(std::string_view("yes\0garbage", 11))), error);
  CHECK_THROWS_AS((void)json::value_to<rounding>(json::value(std::string_view("up\0 and away", 12))), error);
  CHECK(json::value_to<verdict>(json::value("yes")) == verdict::yes);
}

TEST_CASE("integers that do not fit in 64 bits are overflow, not bad syntax") {
  const field count{"count", fact_type::integer, {}, false};
  CHECK(coerce(count, std::string("9223372036854775808")).error().code == errc::overflow);
  CHECK(coerce(count, std::string("9223372036854775807"))->number == INT64_MAX);
  schema s;
  s.add(count);
  try {
    (void)read_record(s, R"j({"count": -9223372036854775809})j");
    FAIL("expected an error");
  } catch (const error& e) {
    CHECK(e.code() == errc::overflow);
    CHECK(e.details().location == "/count");
  }
}
