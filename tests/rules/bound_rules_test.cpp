#include <entitle/rules/bound_rules.hpp>

#include <entitle/io/policy_json.hpp>

#include "rule_check.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace entitle;
using namespace entitle::literals;

namespace {

// The sample facts as policy JSON, followed by `rules`.
std::string policy_with(std::string_view rules) {
  return R"j({"format": "entitle-policy/1", "id": "t", "facts": {
      "flag": {"type": "bool"}, "count": {"type": "integer"}, "income": {"type": "money"},
      "share": {"type": "rate"}, "born": {"type": "date"}, "nik": {"type": "string"},
      "kind": {"type": "enum", "values": ["informal", "formal", "asn"]}},
    "rules": )j" +
         std::string(rules) + "}";
}

// One rule "r" whose condition is `when`.
std::string policy_when(std::string_view when) {
  return policy_with(R"j([{"id": "r", "label": "r", "reason": "R", "citation": "c", "when": )j" + std::string(when) +
                     "}]");
}

// The failure of reading `text` as "location: message".
std::string failure_of(const std::string& text) {
  const auto read = try_read_policy(text);
  return read ? "no error" : read.error().describe();
}

} // namespace

TEST_CASE("binding resolves facts to slots and constants to compiled values") {
  const bound_rules bound = bind_rules(rule_check::sample_facts(),
                                       {define("r").label("r").reason("R").citation("c").when(
                                           all({fact("income").at_most("Rp2.000.000"), fact("kind").is("asn")}))});
  REQUIRE(bound.rules.size() == 1);
  REQUIRE(bound.nodes.size() == 3);
  // Children are bound before their parent: income (slot 2) <= 200,000,000 sen; kind (slot 9) = 2.
  CHECK(bound.nodes[0].slot == 2);
  CHECK(bound.nodes[0].low == 200'000'000);
  CHECK(bound.nodes[1].slot == 9);
  CHECK(bound.nodes[1].low == 2);
  CHECK(bound.nodes[2].what == condition::kind::all);
  CHECK(bound.rules[0].root == 2u);
}

TEST_CASE("binding errors name the JSON pointer and say what was expected") {
  SUBCASE("an unknown fact") {
    CHECK(failure_of(policy_when(R"j({"fact": "nikk", "digits": 16})j")) ==
          "/rules/0/when/fact: no fact is called \"nikk\"; the facts are \"flag\", \"count\", \"income\", \"share\", "
          "\"born\", \"nik\", \"kind\"");
  }
  SUBCASE("a date compared with money") {
    CHECK(failure_of(policy_when(R"j({"fact": "born", ">=": "Rp1.000.000"})j")) ==
          "/rules/0/when/>=: the date fact \"born\": expected a date as YYYY-MM-DD, such as \"2024-01-31\", found "
          "\"Rp1.000.000\"");
    CHECK(failure_of(policy_when(R"j({"fact": "born", ">=": {"fact": "income"}})j")) ==
          "/rules/0/when/>=: \"born\" is date but \"income\" is money: only facts of the same type compare");
  }
  SUBCASE("an order on a fact without one") {
    CHECK(failure_of(policy_when(R"j({"fact": "kind", "<": "asn"})j")) ==
          "/rules/0/when: \"<\" needs an ordered fact (integer, money, rate, date or month); \"kind\" is enum");
    CHECK(failure_of(policy_when(R"j({"fact": "nik", "between": ["a", "b"]})j")) ==
          "/rules/0/when: \"between\" needs an ordered fact (integer, money, rate, date or month); \"nik\" is string");
  }
  SUBCASE("bad constants") {
    CHECK(failure_of(policy_when(R"j({"fact": "born", "<": "2023-02-29"})j")) ==
          "/rules/0/when/<: the date fact \"born\": \"2023-02-29\" is not a date: that month has 28 days");
    CHECK(failure_of(policy_when(R"j({"fact": "kind", "in": ["informal", "pns"]})j")) ==
          "/rules/0/when/in/1: \"pns\" is not a value of the enum fact \"kind\"; expected one of \"informal\", "
          "\"formal\", \"asn\"");
    CHECK(failure_of(policy_when(R"j({"fact": "count", "=": "many"})j")) ==
          "/rules/0/when/=: the integer fact \"count\": expected a whole number, found \"many\"");
    CHECK(failure_of(policy_when(R"j({"fact": "flag", "=": 1})j")) ==
          "/rules/0/when/=: expected true or false for the bool fact \"flag\", found 1");
    // A number that is not a whole one, quoted as written and refused in the fact's own terms.
    CHECK(failure_of(policy_when(R"j({"fact": "income", "<=": 1.5})j")) ==
          "/rules/0/when/<=: the money fact \"income\": expected whole rupiah such as 1 or a string such as "
          "\"Rp1,50\", found 1.5");
    CHECK(failure_of(policy_when(R"j({"fact": "income", "<=": 1e3})j")) ==
          "/rules/0/when/<=: the money fact \"income\": expected whole rupiah such as 1000000 or a string such as "
          "\"Rp1.000.000,50\", found 1e3");
    CHECK(failure_of(policy_when(R"j({"fact": "income", "<=": 99999999999999999999})j")) ==
          "/rules/0/when/<=: the money fact \"income\": 99999999999999999999 rupiah is too large; amounts go up to "
          "Rp92.233.720.368.547.758,07");
    CHECK(failure_of(policy_when(R"j({"fact": "count", "in": [1, 2.5]})j")) ==
          "/rules/0/when/in/1: the integer fact \"count\": expected a whole number, found 2.5");
    CHECK(failure_of(policy_when(R"j({"age_of": "born", ">=": 17.5})j")) ==
          "/rules/0/when/>=: the integer fact \"age_of(born)\": expected a whole number, found 17.5");
    CHECK(failure_of(policy_when(R"j({"fact": "share", "<=": 0.01})j")) ==
          "/rules/0/when/<=: the rate fact \"share\": expected a rate as a string such as \"0.24%\" or \"0.0024\", "
          "found the number 0.01 (write rates as strings, so they stay exact)");
    CHECK(failure_of(policy_when(R"j({"fact": "born", "=": -0.5})j")) ==
          "/rules/0/when/=: expected a date such as \"2024-01-31\" for the date fact \"born\", found -0.5");
    CHECK(failure_of(policy_when(R"j({"fact": "unknown", "=": 2.5})j")) ==
          "/rules/0/when/=: the fact \"unknown\": expected a whole number or a string, found the number 2.5 (write "
          "amounts as whole rupiah or \"Rp\" strings and rates as strings such as \"0.24%\")");
    CHECK(failure_of(policy_with(R"j([], "id": "again")j")) ==
          "/id: the key \"id\" appears twice in the policy; keep one");
    CHECK(failure_of(policy_when(R"j({"fact": "count", "=": 1, "=": 2})j")) ==
          "/rules/0/when/=: the key \"=\" appears twice in the same object; keep one");
    CHECK(failure_of(policy_when(R"j({"all": [{"fact": "count", "=": 1}, {"fact": "flag", "fact": "nik"}]})j")) ==
          "/rules/0/when/all/1/fact: the key \"fact\" appears twice in the same object; keep one");
    CHECK(failure_of(policy_when(R"j({"fact": "count", "between": [65, 15]})j")) ==
          "/rules/0/when/between: \"between\" runs from 65 to 15: the low end is higher");
    CHECK(failure_of(policy_when(R"j({"fact": "nik", "digits": 0})j")) ==
          "/rules/0/when/digits: \"digits\" takes a positive whole number of characters, found 0");
    CHECK(failure_of(policy_when(R"j({"fact": "count", "digits": 16})j")) ==
          "/rules/0/when: \"digits\" needs a string fact; \"count\" is integer");
    CHECK(failure_of(policy_when(R"j({"age_of": "nik", ">=": 15})j")) ==
          "/rules/0/when/age_of: age_of needs a date or month fact; \"nik\" is string");
  }
  SUBCASE("nested conditions report their full path") {
    CHECK(failure_of(policy_when(R"j({"any": [{"fact": "flag", "=": true}, {"not": {"fact": "kount", "=": 1}}]})j")) ==
          "/rules/0/when/any/1/not/fact: no fact is called \"kount\"; the facts are \"flag\", \"count\", \"income\", "
          "\"share\", \"born\", \"nik\", \"kind\"");
  }
  SUBCASE("unknown rule references") {
    CHECK(failure_of(policy_when(R"j({"rule": "missing_rule"})j")) ==
          "/rules/0/when/rule: no rule is called \"missing_rule\"; the rules are \"r\"");
    CHECK(failure_of(policy_with(R"j([{"id": "list", "label": "l", "reason": "L", "citation": "c",
                                      "requirements": ["r2"]}])j")) ==
          "/rules/0/requirements/0: no rule is called \"r2\"; the rules are \"list\"");
  }
  SUBCASE("cyclic rule references") {
    CHECK(failure_of(policy_with(R"j([
        {"id": "a", "label": "a", "reason": "A", "citation": "c", "when": {"rule": "b"}},
        {"id": "b", "label": "b", "reason": "B", "citation": "c", "when": {"all": [{"fact": "flag", "=": true}, {"rule": "a"}]}}])j")) ==
          "/rules/1/when/all/1/rule: the rules refer to each other in a loop: \"a\" -> \"b\" -> \"a\"");
    CHECK(failure_of(policy_with(R"j([{"id": "self", "label": "s", "reason": "S", "citation": "c",
                                      "requirements": ["self"]}])j")) ==
          "/rules/0/requirements/0: the rules refer to each other in a loop: \"self\" -> \"self\"");
  }
  SUBCASE("rules need their parts") {
    CHECK(failure_of(
              policy_with(R"j([{"id": "r", "label": "r", "reason": "R", "when": {"fact": "flag", "=": true}}])j")) ==
          "/rules/0: the rule \"r\" needs a \"citation\": the regulation and article");
    CHECK(failure_of(
              policy_with(R"j([{"id": "r", "label": "r", "citation": "c", "when": {"fact": "flag", "=": true}}])j")) ==
          "/rules/0: the rule \"r\" needs a \"reason\" code, reported when it fails");
    CHECK(failure_of(policy_with(R"j([{"id": "r", "label": "r", "reason": "R", "citation": "c"}])j")) ==
          "/rules/0: the rule \"r\" needs \"when\" or \"requirements\"");
    CHECK(failure_of(policy_with(R"j([{"id": "r", "label": "r", "reason": "R", "citation": "c",
                                      "when": {"fact": "flag", "=": true}},
                                     {"id": "r", "label": "r", "reason": "R", "citation": "c",
                                      "when": {"fact": "flag", "=": true}}])j")) ==
          "/rules/1/id: the rule id \"r\" is used twice");
  }
  SUBCASE("conditions that are not conditions") {
    CHECK(failure_of(policy_when(R"j({"fact": "count", "equals": 1})j")) ==
          "/rules/0/when/equals: unknown test \"equals\"; expected one of \"=\", \"!=\", \"<\", \"<=\", \">\", "
          "\">=\", \"in\", \"between\", \"is\", \"digits\", \"length\", \"starts_with\"");
    CHECK(failure_of(policy_when(R"j({"fact": "count"})j")) ==
          "/rules/0/when: the test on \"count\" is missing: add \"=\", \"<=\", \"in\", \"between\", ...");
    CHECK(failure_of(policy_when(R"j({"fact": "count", "=": 1, ">": 0})j")) ==
          "/rules/0/when/>: a condition has one test; found a second, \">\"");
    CHECK(failure_of(policy_when(R"j({"all": []})j")) == "/rules/0/when/all: \"all\" needs at least one condition");
    CHECK(failure_of(policy_when(R"j({"all": [{"fact": "flag", "=": true}], "fact": "flag"})j")) ==
          "/rules/0/when/fact: \"all\" stands alone in its condition; found also \"fact\"");
    CHECK(failure_of(policy_when(R"j({"fact": "nik", "is": "there"})j")) ==
          "/rules/0/when/is: expected \"present\" or \"missing\", found \"there\"");
  }
}

TEST_CASE("binding errors from C++ carry the same pointers") {
  const auto bound =
      try_bind_rules(rule_check::sample_facts(), {define("r").label("r").reason("R").citation("c").when(
                                                     any({fact("flag").is(true), age_of("born").between(65, 15)}))});
  REQUIRE(bound.has_error());
  CHECK(bound.error().location == "/rules/0/when/any/1/between");
  CHECK(bound.error().message == "\"between\" runs from 65 to 15: the low end is higher");
}

TEST_CASE("nesting is limited") {
  condition deep = fact("flag").is(true);
  for (std::size_t i = 0; i < max_condition_depth; ++i)
    deep = not_(deep);
  const auto bound =
      try_bind_rules(rule_check::sample_facts(), {define("r").label("r").reason("R").citation("c").when(deep)});
  REQUIRE(bound.has_error());
  CHECK(bound.error().code == errc::out_of_range);
  CHECK(bound.error().message == "conditions nest deeper than 32 levels");
}

namespace {
// "r" and the number, appended rather than "r" + ..., which trips GCC 12's -Wrestrict false positive.
std::string rule_name(std::size_t i) {
  std::string name = "r";
  name += std::to_string(i);
  return name;
}

// Rules r0 .. r{n-1}: each refers to the next `times` times (as an all); the last tests a fact.
std::vector<rule> chain(std::size_t n, std::size_t times) {
  std::vector<rule> rules;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<condition> refs;
    for (std::size_t t = 0; t < times; ++t)
      refs.push_back(satisfies(rule_name(i + 1)));
    rules.push_back(
        define(rule_name(i)).label("r").reason("R").citation("c").when(i + 1 < n ? all(refs) : fact("count").is(1)));
  }
  return rules;
}
} // namespace

TEST_CASE("rule references that multiply are refused at binding, not evaluated for ever") {
  // Each rule refers to the next twice. Worked by hand: the last rule takes 2 tests (itself and
  // its fact test); each rule before takes 2 + 2 x the next, so r(16 - m) takes 2^(m+2) - 2.
  // Rules are checked after the rules they refer to, so r1 (2^17 - 2 = 131,070 tests) is the
  // first past the 100,000 limit. A 3 KB policy of 28 such rules would take seconds per decision.
  const auto bound = try_bind_rules(rule_check::sample_facts(), chain(17, 2));
  REQUIRE(bound.has_error());
  CHECK(bound.error().code == errc::out_of_range);
  CHECK(bound.error().message ==
        "the rule \"r1\" takes more than 100000 tests to decide once its rule references are followed; refer to the "
        "same rules fewer times");
  CHECK(bound.error().location == "/rules/1");
  // Twelve rules: r0 takes 2^13 - 2 = 8,190 tests, within the limit.
  CHECK(try_bind_rules(rule_check::sample_facts(), chain(12, 2)).has_value());
}

TEST_CASE("a long chain of rule references is refused without exhausting the stack") {
  const auto very_long = try_bind_rules(rule_check::sample_facts(), chain(30'000, 1));
  REQUIRE(very_long.has_error());
  CHECK(very_long.error().code == errc::out_of_range);
  // Rule i is followed by 29,999 - i references; r29934 is the first with more than 64.
  CHECK(very_long.error().message ==
        "the rule \"r29934\" starts a chain of 65 rule references; at most 64 are allowed");
  // 64 references in a chain are allowed: chain(65) is r0 -> ... -> r64.
  CHECK(try_bind_rules(rule_check::sample_facts(), chain(65, 1)).has_value());
  CHECK(try_bind_rules(rule_check::sample_facts(), chain(66, 1)).has_error());
}
