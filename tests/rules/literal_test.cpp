#include <entitle/rules/literal.hpp>

#include <doctest/doctest.h>

using namespace entitle;
using namespace entitle::literals;

namespace {
const field money_fact{"income", fact_type::money, {}, false};
const field date_fact{"born", fact_type::date, {}, false};
const field kind_fact = enum_field("kind", {"informal", "asn"});
} // namespace

TEST_CASE("literals are read by the type of their fact") {
  CHECK(coerce(money_fact, 1'500'000_rp)->number == 150'000'000);
  CHECK(coerce(money_fact, std::int64_t{1'500'000})->number == 150'000'000); // whole rupiah
  CHECK(coerce(money_fact, std::string("Rp1.500.000"))->number == 150'000'000);
  CHECK(coerce(date_fact, std::string("1970-01-11"))->number == 1'008'683); // 1970 x 512 + 1 x 32 + 11
  CHECK(coerce(kind_fact, std::string("asn"))->number == 1);
  CHECK(coerce({"n", fact_type::integer, {}, false}, std::string("-42"))->number == -42);
  CHECK(coerce({"b", fact_type::boolean, {}, false}, std::string("true"))->number == 1);
  CHECK(coerce({"r", fact_type::rate, {}, false}, std::string("1%"))->number == 10'000'000);
  CHECK(coerce({"s", fact_type::string, {}, false}, std::string("16.08"))->text == "16.08");
}

TEST_CASE("literal errors say what the fact expects") {
  CHECK(coerce(money_fact, true).error().message ==
        "expected an amount such as 1000000 or \"Rp1.000.000\" for the money fact \"income\", found true");
  CHECK(coerce(money_fact, std::int64_t{93'000'000'000'000'000}).error().code == errc::overflow);
  CHECK(coerce(date_fact, 1'000_rp).error().message ==
        "expected a date such as \"2024-01-31\" for the date fact \"born\", found Rp1.000");
  CHECK(coerce(kind_fact, std::string("pns")).error().message ==
        "\"pns\" is not a value of the enum fact \"kind\"; expected one of \"informal\", \"asn\"");
  CHECK(coerce({"s", fact_type::string, {}, false}, std::int64_t{5}).error().message ==
        "expected a string for the string fact \"s\", found 5");
}

TEST_CASE("literals render and convert back") {
  CHECK(describe(literal(1'000_rp)) == "Rp1.000");
  CHECK(describe(literal(std::string("x"))) == "\"x\"");
  CHECK(render(kind_fact, fact_value::of_number(1)) == "asn");
  CHECK(render(date_fact, fact_value::of_number(1'008'683)) == "1970-01-11");
  CHECK_THROWS_AS((void)render(date_fact, fact_value::of_number(10)), error); // no date is number 10
  CHECK(render(money_fact, fact_value::missing()) == "missing");
  CHECK(to_literal(money_fact, fact_value::of_number(150'000'000)) == literal(1'500'000_rp));
}

TEST_CASE("a value outside its fact's range is refused, naming the range") {
  const field risk("risk_class", fact_type::integer, {}, false,
                   {.min = {}, .max = {}, .allowed = {1, 2, 3, 4, 5}, .citation = {}});
  CHECK_FALSE(outside_range(risk, fact_value::of_number(5)).has_value());
  CHECK(outside_range(risk, fact_value::of_number(6))->message ==
        "the integer fact \"risk_class\" is one of 1, 2, 3, 4, 5; found 6");
  CHECK(outside_range(risk, fact_value::of_number(6))->code == errc::out_of_range);
  CHECK_FALSE(outside_range(risk, fact_value::missing()).has_value()); // missing is not out of range
  // Money is at least Rp0 by default: -Rp1 (-100 sen) is refused, Rp0 is not.
  CHECK(outside_range(money_fact, fact_value::of_number(-100))->message ==
        "the money fact \"income\" is at least Rp0; found -Rp1");
  CHECK_FALSE(outside_range(money_fact, fact_value::of_number(0)).has_value());
  const field share("share", fact_type::rate, {}, false,
                    {.min = {}, .max = 1'000'000'000, .allowed = {}, .citation = {}});
  CHECK(outside_range(share, fact_value::of_number(1'000'000'001))->message ==
        "the rate fact \"share\" is at most 100%; found 100.0000001%");
}
