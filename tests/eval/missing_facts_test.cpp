// What a missing fact means, said once: `if_missing` gives a condition's value where it is
// unknown, and `reason_unknown` names what an undetermined decision waits for
// (docs/policy-format.md, "Missing facts and reason_unknown").
#include <entitle/entitle.hpp>
#include <entitle/io/policy_json.hpp>

#include "failure_of.hpp"
#include "rule_check.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace entitle;
using namespace entitle::literals;
using rule_check::check;

namespace {
constexpr verdict yes = verdict::yes, no = verdict::no, unknown = verdict::unknown;

const condition income_low = fact("income").at_most(2'000'000_rp);

std::vector<std::string> names(const std::vector<std::string_view>& views) { return {views.begin(), views.end()}; }

std::string read_failure(const std::string& when) {
  const auto read = try_read_policy(R"({"format": "entitle-policy/1", "id": "x", "facts": {"income": {"type": "money"}},
    "rules": [{"id": "r", "label": "r", "reason": "R", "citation": "test", "when": )" +
                                    when + "}]}");
  return read ? "no error" : read.error().describe();
}
} // namespace

TEST_CASE("if_missing gives a condition's value only where its facts are missing") {
  // Present facts decide as without it; a missing income is the declared value, either way.
  CHECK(check(if_missing(income_low, false), {{"income", 1'500'000_rp}}) == yes);
  CHECK(check(if_missing(income_low, false), {{"income", 2'500'000_rp}}) == no);
  CHECK(check(if_missing(income_low, false), {}) == no);
  CHECK(check(if_missing(income_low, true), {}) == yes);
  CHECK(check(if_missing(income_low, true), {{"income", 2'500'000_rp}}) == no);
  // Around composites: the whole `all` is unknown with the income missing, then taken as no.
  const condition both = all({fact("kind").is("informal"), income_low});
  CHECK(check(both, {{"kind", "informal"}}) == unknown);
  CHECK(check(if_missing(both, false), {{"kind", "informal"}}) == no);
  // Settled anyway: `all` with a no part is no whatever if_missing says.
  CHECK(check(if_missing(both, true), {{"kind", "asn"}}) == no);
  // Inside `not`: not(no) is yes.
  CHECK(check(not_(if_missing(income_low, false)), {}) == yes);
}

TEST_CASE("a condition made two-valued by if_missing reports no missing facts") {
  // Only the part still unknown asks for its fact: the income is taken as no, the kind is not.
  const decision d = rule_check::decide(any({if_missing(income_low, false), fact("kind").is("informal")}), {});
  CHECK(d.outcome == status::undetermined);
  const schema facts = rule_check::sample_facts();
  CHECK(d.missing.test(*facts.find("kind")));
  CHECK_FALSE(d.missing.test(*facts.find("income")));
  CHECK(d.missing.count() == 1);
  // Taken as no, the rule is settled: nothing is missing.
  const decision settled = rule_check::decide(all({if_missing(income_low, false), fact("kind").is("informal")}), {});
  CHECK(settled.outcome == status::ineligible);
  CHECK(settled.missing.none());
}

TEST_CASE("one three-valued rule reused two-valued through a rule reference") {
  policy p;
  p.id = "reuse";
  p.facts = rule_check::sample_facts();
  p.rules = {define("income_low").label("low income").reason("HIGH").citation("test").when(income_low),
             define("status").label("status").reason("NOT").citation("test").when(satisfies("income_low")),
             define("selects")
                 .label("selected")
                 .reason("NOT_SELECTED")
                 .citation("test")
                 .when(if_missing(satisfies("income_low"), false))};
  const compiled_policy compiled(std::move(p));
  const record nobody = rule_check::make_record(compiled.facts(), {});
  CHECK(compiled.decide(compiled.rule("status"), nobody, date(2024, 1, 1)).outcome == status::undetermined);
  CHECK(compiled.decide(compiled.rule("selects"), nobody, date(2024, 1, 1)).outcome == status::ineligible);

  SUBCASE("the explanation shows where a missing fact was taken as no") {
    const explanation e = compiled.explain(compiled.rule("selects"), nobody, date(2024, 1, 1));
    REQUIRE(e.lines.size() == 4);
    CHECK(e.lines[1].text == "where facts are missing, taken as no");
    CHECK(e.lines[1].result == no);
    CHECK(e.lines[2].is_rule);
    CHECK(e.lines[2].id == "income_low");
    CHECK(e.lines[2].result == unknown);
    CHECK(e.lines[3].actual == "missing");
    CHECK(e.missing.empty());
    CHECK(e.reasons == std::vector<std::string>{"NOT_SELECTED"});
  }
}

TEST_CASE("reason_unknown: what an undetermined decision reports") {
  policy p;
  p.id = "reasons";
  p.facts = rule_check::sample_facts();
  p.rules = {
      define("income_low")
          .label("low income")
          .reason("HIGH")
          .reason_unknown("INCOME_NOT_GIVEN")
          .citation("test")
          .when(income_low),
      define("informal").label("informal").reason("NOT_INFORMAL").citation("test").when(fact("kind").is("informal")),
      define("list")
          .label("list")
          .reason("LIST")
          .reason_unknown("DATA_INCOMPLETE")
          .citation("test")
          .requires_all({rule::ref("informal"), rule::ref("income_low")}),
      define("bare")
          .label("bare")
          .reason("BARE")
          .reason_unknown("BARE_UNKNOWN")
          .citation("test")
          .requires_all({rule::ref("informal")}),
      define("none").label("none").reason("NONE").citation("test").requires_all({rule::ref("informal")})};
  const compiled_policy compiled(std::move(p));
  const date on(2024, 1, 1);
  auto reasons = [&](std::string_view rule, rule_check::facts_list facts) {
    const decision d = compiled.decide(compiled.rule(rule), rule_check::make_record(compiled.facts(), facts), on);
    return std::pair{names(compiled.reasons(d)), std::string(compiled.first_reason(d))};
  };
  // A condition rule: its own code.
  CHECK(reasons("income_low", {}) ==
        std::pair{std::vector<std::string>{"INCOME_NOT_GIVEN"}, std::string("INCOME_NOT_GIVEN")});
  // A list: the codes of its unknown requirements that have one (informal is yes here)...
  CHECK(reasons("list", {{"kind", "informal"}}).first == std::vector<std::string>{"INCOME_NOT_GIVEN"});
  // ... and both unknown, only income_low has a code.
  CHECK(reasons("list", {}).first == std::vector<std::string>{"INCOME_NOT_GIVEN"});
  // No unknown requirement has a code: the list's own.
  CHECK(reasons("bare", {}) == std::pair{std::vector<std::string>{"BARE_UNKNOWN"}, std::string("BARE_UNKNOWN")});
  // None declared anywhere: nothing, as before.
  CHECK(reasons("none", {}) == std::pair{std::vector<std::string>{}, std::string()});
  // A failing decision reports `reason`, never `reason_unknown`, even with another part unknown.
  CHECK(reasons("list", {{"kind", "asn"}}) ==
        std::pair{std::vector<std::string>{"NOT_INFORMAL"}, std::string("NOT_INFORMAL")});
  // Eligible: nothing.
  CHECK(reasons("list", {{"kind", "informal"}, {"income", 1'000'000_rp}}).first.empty());

  SUBCASE("an explanation's rule line carries the code of a rule that is unknown") {
    const explanation e =
        compiled.explain(compiled.rule("list"), rule_check::make_record(compiled.facts(), {{"kind", "informal"}}), on);
    CHECK(e.reasons == std::vector<std::string>{"INCOME_NOT_GIVEN"});
    REQUIRE(e.lines.size() == 5);
    CHECK(e.lines[0].reason == "DATA_INCOMPLETE");
    CHECK(e.lines[3].id == "income_low");
    CHECK(e.lines[3].reason == "INCOME_NOT_GIVEN");
    CHECK(to_text(e).starts_with("list on 2024-01-01: undetermined (INCOME_NOT_GIVEN); missing facts: income\n"));
  }
}

TEST_CASE("if_missing in policy JSON: read, written back, and its errors located") {
  const std::string text = R"({"format": "entitle-policy/1", "id": "x", "facts": {"income": {"type": "money"}},
    "rules": [{"id": "r", "label": "r", "reason": "R", "reason_unknown": "R_UNKNOWN", "citation": "test",
               "when": {"fact": "income", "<=": "Rp2.000.000", "if_missing": false}}]})";
  const policy read = read_policy(text);
  CHECK(read.rules.at(0).reason_unknown == "R_UNKNOWN");
  CHECK(read.rules.at(0).when == if_missing(fact("income").at_most("Rp2.000.000"), false));
  CHECK(read_policy(write_policy(read)) == read);

  CHECK(read_failure(R"({"fact": "income", "<=": 1, "if_missing": "no"})") ==
        "/rules/0/when/if_missing: \"if_missing\" takes true or false, found \"no\"");
  CHECK(read_failure(R"({"if_missing": false})") ==
        "/rules/0/when: \"if_missing\" says what a condition is where facts are missing; add the condition beside "
        "it: {\"fact\": \"monthly_income\", \"<=\": \"Rp3.000.000\", \"if_missing\": false}");
  // The condition beside it is read as any other, at the same place.
  CHECK(read_failure(R"({"fact": "incme", "<=": 1, "if_missing": false})") ==
        "/rules/0/when/fact: no fact is called \"incme\"; the facts are \"income\"");
  CHECK(read_failure(R"({"all": [{"fact": "income", "<=": 1}], "rule": "r", "if_missing": true})") ==
        "/rules/0/when/rule: \"all\" stands alone in its condition; found also \"rule\"");
}

TEST_CASE("if_missing built in C++ is checked by the binder") {
  condition bad = if_missing(income_low, false);
  bad.values.clear();
  const schema facts = rule_check::sample_facts();
  const auto no_value = test::failure_of(
      [&] { (void)bind_rules(facts, {define("r").label("r").reason("R").citation("test").when(bad)}); });
  REQUIRE(no_value);
  CHECK(no_value->describe() == "/rules/0/when/if_missing: \"if_missing\" takes true or false");
  condition two = if_missing(income_low, false);
  two.children.push_back(income_low);
  const auto two_children = test::failure_of(
      [&] { (void)bind_rules(facts, {define("r").label("r").reason("R").citation("test").when(two)}); });
  REQUIRE(two_children);
  CHECK(two_children->describe() == "/rules/0/when: \"if_missing\" gives the value of exactly one condition");
}
