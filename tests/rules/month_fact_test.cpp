// The month fact type: `YYYY-MM`, ordered, evaluated as its first day (docs/policy-format.md,
// "Facts").
#include <entitle/entitle.hpp>
#include <entitle/io/policy_json.hpp>

#include <boost/describe/class.hpp>
#include <doctest/doctest.h>

#include <array>
#include <optional>
#include <string>

using namespace entitle;

namespace {
struct staff {
  std::string nip;
  month start_month;
  std::optional<month> end_month;
};
BOOST_DESCRIBE_STRUCT(staff, (), (nip, start_month, end_month))

const field start{"start_month", fact_type::month};

verdict check(condition c, std::optional<month> start_month, date as_of) {
  policy p;
  p.id = "months";
  p.facts.add(start);
  p.rules = {define("r").label("r").reason("R").citation("test").when(std::move(c))};
  const compiled_policy compiled(std::move(p));
  record r(1);
  if (start_month) r.set(compiled.facts(), "start_month", *start_month);
  return compiled.decide(compiled.rule("r"), r, as_of).result;
}
} // namespace

TEST_CASE("a month fact reads YYYY-MM and nothing else") {
  CHECK(type_name(fact_type::month) == "month");
  CHECK(is_ordered(fact_type::month));
  const auto march = coerce_text(start, "2024-03");
  REQUIRE(march.has_value());
  CHECK(march->number == date_number(date(2024, 3, 1))); // its first day
  CHECK(coerce(start, month(2024, 3))->number == march->number);
  CHECK(to_literal(start, *march) == literal(month(2024, 3)));
  CHECK(render(start, *march) == "2024-03");
  CHECK(describe(literal(month(2024, 3))) == "2024-03");
  CHECK(coerce_text(start, "2024-03-01").error().message ==
        "the month fact \"start_month\": expected a month as YYYY-MM, such as \"2024-03\", found \"2024-03-01\"");
  CHECK(coerce_text(start, "2024-13").error().message ==
        "the month fact \"start_month\": \"2024-13\" is not a month: months run from 01 to 12");
  CHECK(coerce(start, date(2024, 3, 1)).error().message ==
        "expected a month such as \"2024-03\" for the month fact \"start_month\", found 2024-03-01");
}

TEST_CASE("a month compares with months and counts like its first day") {
  // Months since the start month, on 2024-06-15: March to June is 3 full months.
  CHECK(check(months_since("start_month").is(3), month(2024, 3), date(2024, 6, 15)) == verdict::yes);
  // On the first day of the start month, 0 months have passed; the day before, -1.
  CHECK(check(months_since("start_month").at_least(0), month(2024, 3), date(2024, 3, 1)) == verdict::yes);
  CHECK(check(months_since("start_month").at_least(0), month(2024, 3), date(2024, 2, 29)) == verdict::no);
  // Against a month constant, written as text or as a month.
  CHECK(check(fact("start_month").at_most("2024-06"), month(2024, 6), date(2024, 1, 1)) == verdict::yes);
  CHECK(check(fact("start_month").less_than(month(2024, 6)), month(2024, 6), date(2024, 1, 1)) == verdict::no);
  CHECK(check(fact("start_month").between("2024-01", "2024-12"), month(2025, 1), date(2024, 1, 1)) == verdict::no);
  // Born in March 2000, taken as 1 March 2000: 24 on 2024-03-01, 23 the day before.
  CHECK(check(age_of("start_month").is(24), month(2000, 3), date(2024, 3, 1)) == verdict::yes);
  CHECK(check(age_of("start_month").is(23), month(2000, 3), date(2024, 2, 29)) == verdict::yes);
  CHECK(check(months_since("start_month").at_least(0), std::nullopt, date(2024, 3, 1)) == verdict::unknown);
}

TEST_CASE("a month is a fact of a described struct and of policy JSON") {
  const schema s = schema_of<staff>();
  CHECK(s.at(1) == field{"start_month", fact_type::month, {}, true});
  CHECK(s.at(2) == field{"end_month", fact_type::month, {}, false});
  std::array<fact_value, 3> facts{};
  read_facts(staff{"1987", month(2024, 3), std::nullopt}, facts);
  CHECK(facts[1].number == date_number(date(2024, 3, 1)));
  CHECK_FALSE(facts[2].present);

  const policy read = read_policy(R"({"format": "entitle-policy/1", "id": "m", "facts": {
      "start_month": {"type": "month", "min": "2020-01", "max": "2030-12", "citation": "test"}},
    "rules": [{"id": "r", "label": "r", "reason": "R", "citation": "test",
               "when": {"fact": "start_month", ">=": "2024-01"}}]})");
  const field& f = read.facts.at(0);
  CHECK(f.type == fact_type::month);
  CHECK(f.range.min == date_number(date(2020, 1, 1)));
  CHECK(outside_range(f, fact_value::of_month(month(2031, 1)))->message ==
        "the month fact \"start_month\" is from 2020-01 to 2030-12; found 2031-01");
  CHECK(read_policy(write_policy(read)) == read);
  // A month fact and a date fact do not compare.
  const auto mixed = try_read_policy(R"({"format": "entitle-policy/1", "id": "m", "facts": {
      "start_month": {"type": "month"}, "hired_on": {"type": "date"}},
    "rules": [{"id": "r", "label": "r", "reason": "R", "citation": "test",
               "when": {"fact": "start_month", "<=": {"fact": "hired_on"}}}]})");
  REQUIRE_FALSE(mixed.has_value());
  CHECK(mixed.error().describe() == "/rules/0/when/<=: \"start_month\" is month but \"hired_on\" is date: only facts "
                                    "of the same type compare");
}
