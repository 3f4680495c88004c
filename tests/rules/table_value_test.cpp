// Decision tables inside a policy: a derived value reads a table's output, and rules, ranks and
// outputs read the derived value (docs/policy-format.md, "Decision tables"). The rates are those of
// PP 44/2015 Lampiran I (JKK by the five risk classes); the other figures are worked by hand.
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
  field risk("risk_class", fact_type::integer);
  risk.range.allowed = {1, 2, 3, 4, 5};
  s.add(risk);
  s.add(field("monthly_income", fact_type::money));
  s.add(field("birth_date", fact_type::date));
  return s;
}

table_cell eq(literal v) { return {table_cell::kind::compare, comparison::eq, {std::move(v)}, std::nullopt}; }
table_cell any_value() { return {}; }
table_cell at_most(literal v) { return {table_cell::kind::compare, comparison::le, {std::move(v)}, std::nullopt}; }
table_cell above(literal v) { return {table_cell::kind::compare, comparison::gt, {std::move(v)}, std::nullopt}; }

// PP 44/2015 Lampiran I: class I 0.24%, II 0.54%, III 0.89%, IV 1.27%, V 1.74%.
decision_table jkk_rate() {
  decision_table t;
  t.id = "jkk_rate";
  t.label = "JKK rate by risk class";
  t.citation = "PP 44/2015 Lampiran I";
  t.inputs = {{"risk_class", ""}};
  t.outputs = {{"rate", fact_type::rate, {}}};
  const char* rates[] = {"0.24%", "0.54%", "0.89%", "1.27%", "1.74%"};
  const char* ids[] = {"I", "II", "III", "IV", "V"};
  for (std::int64_t c = 1; c <= 5; ++c)
    t.rows.push_back(
        {{eq(c)}, {std::string(rates[c - 1])}, ids[c - 1], "PP 44/2015 Lampiran I angka " + std::to_string(c)});
  return t;
}

derived_value named(std::string id, fact_type type, expression value) {
  return {field(std::move(id), type), "label", "test", std::move(value)};
}

policy with(std::vector<decision_table> tables, std::vector<derived_value> derived, condition when) {
  policy p;
  p.id = "tables";
  p.facts = facts();
  p.tables = std::move(tables);
  p.derived = std::move(derived);
  p.rules = {define("r").label("r").reason("R").citation("test").when(std::move(when))};
  return p;
}

record person(const compiled_policy& c, std::optional<std::int64_t> risk, std::optional<money> income = {}) {
  record r(c.facts().size());
  if (risk) r.set(c.facts(), "risk_class", *risk);
  if (income) r.set(c.facts(), "monthly_income", *income);
  r.set(c.facts(), "birth_date", date(1990, 6, 15));
  return r;
}

std::string bind_failure(const policy& p) {
  const auto f = test::failure_of([&] { (void)bind_policy(p); });
  return f ? f->describe() : "no error";
}

const date as_of(2024, 1, 1);
} // namespace

TEST_CASE("a derived value reads a decision table's output, and a rule tests it") {
  const compiled_policy c(with({jkk_rate()}, {named("rate", fact_type::rate, table_value("jkk_rate"))},
                               fact("rate").at_least(rate::parse("1.27%"))));
  // Classes IV and V pay 1.27% or more; class III pays 0.89%.
  CHECK(c.decide(c.rule("r"), person(c, 3), as_of).outcome == status::ineligible);
  CHECK(c.decide(c.rule("r"), person(c, 4), as_of).outcome == status::eligible);
  CHECK(c.decide(c.rule("r"), person(c, 5), as_of).outcome == status::eligible);
  // No risk class: the table is open, and the risk class is the fact to ask for.
  const decision d = c.decide(c.rule("r"), person(c, std::nullopt), as_of);
  CHECK(d.outcome == status::undetermined);
  CHECK(d.missing.test(*c.facts().find("risk_class")));
  CHECK(d.missing.count() == 1);
}

TEST_CASE("an explanation names the table row that matched, with its citation") {
  const compiled_policy c(with({jkk_rate()}, {named("rate", fact_type::rate, table_value("jkk_rate"))},
                               fact("rate").at_least(rate::parse("1.27%"))));
  const std::string text = to_text(c.explain(c.rule("r"), person(c, 4), as_of));
  CHECK(text.find("rate is derived: label [test]; table jkk_rate (JKK rate by risk class), row 3 \"IV\" "
                  "[PP 44/2015 Lampiran I angka 4]") != std::string::npos);
  const std::string open = to_text(c.explain(c.rule("r"), person(c, std::nullopt), as_of));
  CHECK(open.find("table jkk_rate (JKK rate by risk class): missing inputs leave it open") != std::string::npos);
}

TEST_CASE("a table's input may be a derived value, and a string output is tested as a string") {
  // The BPU base: max(income, Rp1.000.000); bands up to Rp2.000.000 "low", above it "high".
  decision_table band;
  band.id = "band";
  band.label = "income band";
  band.citation = "test";
  band.inputs = {{"base", ""}};
  band.outputs = {{"band", fact_type::string, {}}};
  band.rows = {{{at_most(std::string("Rp2.000.000"))}, {std::string("low")}, "", ""},
               {{above(std::string("Rp2.000.000"))}, {std::string("high")}, "", ""}};
  const compiled_policy c(
      with({band},
           {named("base", fact_type::money, greatest_of({value_of("monthly_income"), constant_of(1'000'000_rp)})),
            named("band", fact_type::string, table_value("band", "band"))},
           fact("band").is(std::string("low"))));
  CHECK(c.decide(c.rule("r"), person(c, 1, 500'000_rp), as_of).outcome == status::eligible);   // base Rp1.000.000
  CHECK(c.decide(c.rule("r"), person(c, 1, 2'000'000_rp), as_of).outcome == status::eligible); // at the top
  CHECK(c.decide(c.rule("r"), person(c, 1, 2'000'001_rp), as_of).outcome == status::ineligible);
}

TEST_CASE("collect with sum adds the matching rows' money exactly") {
  // Two supplements: Rp150.000 for risk class 4 or 5, Rp25.000,50 for everyone with an income
  // above Rp0: a class-5 earner gets Rp175.000,50.
  decision_table t;
  t.id = "supplement";
  t.label = "supplements";
  t.citation = "test";
  t.policy = hit_policy::collect;
  t.aggregate = aggregation::sum;
  t.inputs = {{"risk_class", ""}, {"monthly_income", ""}};
  t.outputs = {{"amount", fact_type::money, {}}};
  t.rows = {{{{table_cell::kind::in, comparison::eq, {std::int64_t{4}, std::int64_t{5}}, std::nullopt}, any_value()},
             {std::string("Rp150.000")},
             "",
             ""},
            {{any_value(), above(std::string("Rp0"))}, {std::string("Rp25.000,50")}, "", ""}};
  const compiled_policy c(with({t}, {named("supplement", fact_type::money, table_value("supplement"))},
                               fact("supplement").at_least(175'000_rp)));
  CHECK(c.decide(c.rule("r"), person(c, 5, 1_rp), as_of).outcome == status::eligible);
  CHECK(c.decide(c.rule("r"), person(c, 3, 1_rp), as_of).outcome == status::ineligible); // Rp25.000,50
  CHECK(c.decide(c.rule("r"), person(c, 5), as_of).outcome == status::undetermined);     // income unknown
}

TEST_CASE("binding a table in a policy names what is wrong, where") {
  SUBCASE("a derived value names a table that is not there") {
    CHECK(bind_failure(
              with({jkk_rate()}, {named("rate", fact_type::rate, table_value("jkk"))}, fact("rate").present())) ==
          "/derived/0/value/table: no decision table is called \"jkk\"; the tables are \"jkk_rate\"");
  }
  SUBCASE("an input that is neither a fact nor a derived value") {
    decision_table t = jkk_rate();
    t.inputs[0].name = "risk";
    CHECK(bind_failure(with({t}, {}, fact("risk_class").present())) ==
          "/tables/0/inputs/0: no fact is called \"risk\"; the facts are \"risk_class\", \"monthly_income\", "
          "\"birth_date\"");
  }
  SUBCASE("a table read as one value whose hit policy gives every row") {
    decision_table t = jkk_rate();
    t.policy = hit_policy::rule_order;
    CHECK(bind_failure(with({t}, {named("rate", fact_type::rate, table_value("jkk_rate"))}, fact("rate").present()))
              .starts_with("/derived/0/value/table: the table \"jkk_rate\" gives every matching row"));
  }
  SUBCASE("a derived value declared another type than the output") {
    CHECK(bind_failure(
              with({jkk_rate()}, {named("rate", fact_type::money, table_value("jkk_rate"))}, fact("rate").present())) ==
          "/derived/0/value: the derived value \"rate\" is declared money but its value is rate");
  }
  SUBCASE("a table that reads itself through a derived value") {
    decision_table t = jkk_rate();
    t.inputs[0].name = "rate";
    CHECK(bind_failure(with({t}, {named("rate", fact_type::rate, table_value("jkk_rate"))}, fact("rate").present())) ==
          "/tables/0/inputs/0: the table \"jkk_rate\" reads \"rate\", which reads the table: a loop");
  }
  SUBCASE("a cell's constant of the wrong type, at its place") {
    decision_table t = jkk_rate();
    t.rows[2].when[0] = eq(std::string("three"));
    CHECK(bind_failure(with({t}, {}, fact("risk_class").present())) ==
          "/tables/0/rows/2/when/0: the integer fact \"risk_class\": expected a whole number, found \"three\"");
  }
  SUBCASE("two tables with one id") {
    CHECK(bind_failure(with({jkk_rate(), jkk_rate()}, {}, fact("risk_class").present())) ==
          "/tables/1/id: the table id \"jkk_rate\" is used twice");
  }
}
