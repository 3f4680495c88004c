// The values a derived value can take, worked out from its expression (value_field), as the
// coverage of a decision table reads them: each case's values are read off its expression by hand.
#include <entitle/entitle.hpp>
#include <entitle/io/policy_json.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

using namespace entitle;

namespace {

// A policy whose facts are risk_class (1 to 5), wage (money, at least Rp1), birth_date and
// occupation (an enum), with `derived` and `tables` as given.
compiled_policy with(const std::string& derived, const std::string& tables = "[]") {
  return compiled_policy(read_policy(R"({"format": "entitle-policy/1", "id": "test/domains",
    "facts": {"risk_class": {"type": "integer", "values": [1, 2, 3, 4, 5]},
              "wage": {"type": "money", "min": "Rp1", "max": "Rp100.000.000"},
              "birth_date": {"type": "date"},
              "occupation": {"type": "enum", "values": ["petani", "marbot"]}},
    "derived": )" + derived + R"(, "tables": )" +
                                     tables + "}"));
}

field domain(const compiled_policy& p, std::string_view name) {
  return value_field(p.rules(), *p.rules().find_value(name));
}

std::vector<std::int64_t> listed(const field& f) { return f.range.allowed; }

const std::string risk_table = R"([{"id": "rate", "label": "rate", "citation": "test", "inputs": ["kelas"],
  "outputs": [{"id": "rate", "type": "rate"}],
  "rows": [{"when": [1], "then": "0.24%"}, {"when": [2], "then": "0.54%"}, {"when": [3], "then": "0.89%"},
           {"when": [4], "then": "1.27%"}, {"when": [5], "then": "1.74%"}]}])";

} // namespace

TEST_CASE("value domain: a fact's field is its declaration") {
  const compiled_policy p = with("[]");
  CHECK(value_field(p.rules(), *p.rules().find_value("risk_class")) == p.facts().at(0));
}

TEST_CASE("value domain: a missing class taken as 1 takes the values 1 to 5") {
  const compiled_policy p = with(R"([{"id": "kelas", "type": "integer", "label": "k", "citation": "t",
    "value": {"if": {"fact": "risk_class", "is": "missing"}, "then": 1, "else": {"fact": "risk_class"}}}])",
                                 risk_table);
  // The union of {1} and 1..5: one interval, so given as its least and greatest.
  const field f = domain(p, "kelas");
  CHECK(f.name == "kelas");
  CHECK(f.range.min == 1);
  CHECK(f.range.max == 5);
  // The table has a row for each: covered.
  const table_coverage c = uncovered_input(p.rules().tables[0], std::vector<field>{f});
  CHECK_FALSE(c.uncovered);
  CHECK(c.exhaustive);
  // Without the inferred values an integer could be anything, and the table would be reported.
  CHECK(uncovered_input(p.rules().tables[0], std::vector<field>{p.rules().field_at(*p.rules().find_value("kelas"))})
            .uncovered);
}

TEST_CASE("value domain: a gap among the values is reported by the table's coverage") {
  // then 7 else risk_class: {1..5, 7}; the table has no row for 7.
  const compiled_policy p = with(R"([{"id": "kelas", "type": "integer", "label": "k", "citation": "t",
    "value": {"if": {"fact": "occupation", "=": "marbot"}, "then": 7, "else": {"fact": "risk_class"}}}])",
                                 risk_table);
  const field f = domain(p, "kelas");
  CHECK(listed(f) == std::vector<std::int64_t>{1, 2, 3, 4, 5, 7}); // not one interval: listed, 6 left out
  const table_coverage c = uncovered_input(p.rules().tables[0], std::vector<field>{f});
  REQUIRE(c.uncovered);
  CHECK(*c.uncovered == "kelas = 7");
}

TEST_CASE("value domain: single values are listed") {
  // bracket results 10, 30 and above 50: not one interval, so listed.
  const compiled_policy p = with(R"([{"id": "band", "type": "integer", "label": "b", "citation": "t",
    "value": {"bracket": {"fact": "wage"}, "steps": [{"up_to": "Rp1.000.000", "value": 10},
              {"up_to": "Rp2.000.000", "value": 30}], "above": 50}}])");
  CHECK(listed(domain(p, "band")) == std::vector<std::int64_t>{10, 30, 50});
}

TEST_CASE("value domain: min, max and clamp take the values of what they choose among") {
  // max(wage, Rp1.000.000): wage is Rp1 to Rp100.000.000 (sen 100 to 10^10), the constant one
  // value inside it: the wage's range.
  const compiled_policy p = with(R"([{"id": "base", "type": "money", "label": "b", "citation": "t",
    "value": {"max": [{"fact": "wage"}, "Rp1.000.000"]}},
    {"id": "held", "type": "integer", "label": "h", "citation": "t",
     "value": {"clamp": [{"fact": "risk_class"}, 2, 4]}}])");
  const field base = domain(p, "base");
  CHECK(base.range.min == money::parse("Rp1").minor_units());
  CHECK(base.range.max == money::parse("Rp100.000.000").minor_units());
  const field held = domain(p, "held");
  CHECK(held.range.min == 1); // clamp's result is within 2..4, but 1..5 is a superset: allowed
  CHECK(held.range.max == 5);
}

TEST_CASE("value domain: a table's output takes its rows' values, an age is not bounded") {
  const compiled_policy p = with(R"([{"id": "tier", "type": "integer", "label": "t", "citation": "t",
    "value": {"table": "tier"}},
    {"id": "age", "type": "integer", "label": "a", "citation": "t", "value": {"age_of": "birth_date"}}])",
                                 R"([{"id": "tier", "label": "tier", "citation": "test", "hit_policy": "first",
    "inputs": ["occupation"], "outputs": [{"id": "tier", "type": "integer"}],
    "rows": [{"when": ["marbot"], "then": 2}, {"when": ["-"], "then": 9}]}])");
  CHECK(listed(domain(p, "tier")) == std::vector<std::int64_t>{2, 9});
  const field age = domain(p, "age");
  CHECK(age.range.empty());
}
