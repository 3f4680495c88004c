// Derived values: named, typed, cited expressions over facts, tested by name as facts are
// (docs/policy-format.md, "Derived values"). The expected figures are worked by hand.
#include <entitle/entitle.hpp>

#include "failure_of.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace entitle;
using namespace entitle::literals;

namespace {
schema facts() {
  schema s;
  s.add(field("monthly_income", fact_type::money));
  s.add(field("birth_date", fact_type::date));
  s.add(enum_field("occupation", {"guru_mengaji", "marbot", "petani"}));
  return s;
}

derived_value named(std::string id, fact_type type, expression value) {
  return {field(std::move(id), type), "label", "test", std::move(value)};
}

// The BPU contribution base: the declared income, but never below Rp1.000.000 (PP 44/2015 annex
// II: the lowest income bracket is Rp1.000.000).
const derived_value income_base =
    named("contribution_base", fact_type::money, greatest_of({value_of("monthly_income"), constant_of(1'000'000_rp)}));
const derived_value age = named("age", fact_type::integer, age_at_evaluation("birth_date"));

policy with(std::vector<derived_value> derived, condition when) {
  policy p;
  p.id = "derived";
  p.facts = facts();
  p.derived = std::move(derived);
  p.rules = {define("r").label("r").reason("R").citation("test").when(std::move(when))};
  return p;
}

record person(const compiled_policy& c, std::optional<money> income, date born = date(1990, 6, 15)) {
  record r(c.facts().size());
  if (income) r.set(c.facts(), "monthly_income", *income);
  r.set(c.facts(), "birth_date", born);
  r.set(c.facts(), "occupation", "petani");
  return r;
}

std::string bind_failure(const policy& p) {
  const auto f = test::failure_of([&] { (void)bind_policy(p); });
  return f ? f->describe() : "no error";
}
} // namespace

TEST_CASE("a derived value is tested by name, as a fact is") {
  const compiled_policy c(with({income_base}, fact("contribution_base").at_least(1'500'000_rp)));
  const date as_of(2024, 1, 1);
  // Rp800.000 is raised to Rp1.000.000, below Rp1.500.000; Rp2.000.000 stays Rp2.000.000.
  CHECK(c.decide(c.rule("r"), person(c, 800'000_rp), as_of).outcome == status::ineligible);
  CHECK(c.decide(c.rule("r"), person(c, 2'000'000_rp), as_of).outcome == status::eligible);
  CHECK(c.decide(c.rule("r"), person(c, 1'500'000_rp), as_of).outcome == status::eligible);
  // A missing income leaves the base missing, and names the fact to ask for.
  const decision d = c.decide(c.rule("r"), person(c, std::nullopt), as_of);
  CHECK(d.outcome == status::undetermined);
  CHECK(d.missing.test(*c.facts().find("monthly_income")));
  CHECK(d.missing.count() == 1);
}

TEST_CASE("an age at the evaluation date, named once and tested twice") {
  const compiled_policy c(
      with({age}, all({fact("age").at_least(std::int64_t{18}), fact("age").less_than(std::int64_t{60})})));
  // Born 1990-06-15: 33 on 2024-06-14, 34 on 2024-06-15; 59 on 2050-06-14, 60 on 2050-06-15.
  CHECK(c.decide(c.rule("r"), person(c, 1_rp), date(2024, 6, 14)).outcome == status::eligible);
  CHECK(c.decide(c.rule("r"), person(c, 1_rp), date(2050, 6, 14)).outcome == status::eligible);
  CHECK(c.decide(c.rule("r"), person(c, 1_rp), date(2050, 6, 15)).outcome == status::ineligible);
  CHECK(c.decide(c.rule("r"), person(c, 1_rp), date(2008, 6, 14)).outcome == status::ineligible); // 17
  CHECK(c.decide(c.rule("r"), person(c, 1_rp), date(2008, 6, 15)).outcome == status::eligible);   // 18
}

TEST_CASE("derived values read derived values, clamp, look up brackets and test conditions") {
  // Held within Rp1.000.000..Rp12.000.000 (a floor and a ceiling), then a bracket: up to
  // Rp1.500.000 is tier 1, up to Rp3.000.000 tier 2, above that tier 3.
  const derived_value held =
      named("held", fact_type::money,
            clamped(value_of("monthly_income"), constant_of(1'000'000_rp), constant_of(12'000'000_rp)));
  derived_value tier = named(
      "tier", fact_type::integer,
      {expr::bracket{
          {value_of("held")}, {1'500'000_rp, 3'000'000_rp}, {std::int64_t{1}, std::int64_t{2}}, {std::int64_t{3}}}});
  const derived_value religious =
      named("religious_worker", fact_type::boolean, holds(fact("occupation").in({"guru_mengaji", "marbot"})));
  const compiled_policy c(with({tier, held, religious}, fact("tier").is(std::int64_t{2})));
  const date as_of(2024, 1, 1);
  CHECK(c.decide(c.rule("r"), person(c, 500'000_rp), as_of).outcome == status::ineligible);   // held 1M: tier 1
  CHECK(c.decide(c.rule("r"), person(c, 1'500'001_rp), as_of).outcome == status::eligible);   // tier 2
  CHECK(c.decide(c.rule("r"), person(c, 3'000'000_rp), as_of).outcome == status::eligible);   // up to, included
  CHECK(c.decide(c.rule("r"), person(c, 3'000'001_rp), as_of).outcome == status::ineligible); // tier 3
  const bound_rules& b = c.rules();
  const record r = person(c, 20'000'000_rp);
  const detail::evaluator walk(b, r.facts(), as_of);
  CHECK(walk.value(*b.find_value("held")).number == (12'000'000_rp).minor_units());
  CHECK(walk.value(*b.find_value("tier")).number == 3);
  CHECK(walk.value(*b.find_value("religious_worker")).number == 0);
}

TEST_CASE("a derived value compares with a fact, and a choice takes one branch") {
  // The base is the income for a guru mengaji and Rp1.000.000 otherwise; the rule asks for an
  // income at most the base.
  const derived_value base =
      named("base", fact_type::money,
            if_then(fact("occupation").is("guru_mengaji"), value_of("monthly_income"), constant_of(1'000'000_rp)));
  const compiled_policy c(with({base}, fact("monthly_income").at_most(fact("base"))));
  const date as_of(2024, 1, 1);
  CHECK(c.decide(c.rule("r"), person(c, 900'000_rp), as_of).outcome == status::eligible);
  CHECK(c.decide(c.rule("r"), person(c, 1'100'000_rp), as_of).outcome == status::ineligible);
}

TEST_CASE("binding a derived value names what is wrong and where") {
  CHECK(bind_failure(with({named("monthly_income", fact_type::money, value_of("birth_date"))},
                          fact("monthly_income").present())) ==
        "/derived/0/id: the derived value \"monthly_income\" has the name of a fact; give it another");
  CHECK(bind_failure(with({named("x", fact_type::money, value_of("birth_date"))}, fact("x").present())) ==
        "/derived/0/value: the derived value \"x\" is declared money but its value is date");
  CHECK(bind_failure(with({named("a", fact_type::money, value_of("b")), named("b", fact_type::money, value_of("a"))},
                          fact("a").present())) ==
        "/derived/1/value/fact: the derived values read each other in a loop: \"a\" -> \"b\" -> \"a\"");
  CHECK(
      bind_failure(with({named("m", fact_type::money, greatest_of({value_of("monthly_income"), constant_of("lots")}))},
                        fact("m").present())) ==
      "/derived/0/value/max/1: the money fact \"m\": expected an amount such as \"1234567\" or \"Rp1.234.567\", "
      "found \"lots\"");
  CHECK(bind_failure(with({}, fact("nothing").present())).starts_with("/rules/0/when/fact: no fact is called"));
}
