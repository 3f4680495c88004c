// Declared parameters: named figures the rules compare with, bound as constants and settable for
// one run (docs/policy-format.md, "Parameters").
#include <entitle/entitle.hpp>
#include <entitle/io/policy_json.hpp>

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

policy with(std::vector<parameter> parameters, condition when) {
  policy p;
  p.id = "parameters";
  p.facts = facts();
  p.parameters = std::move(parameters);
  p.rules = {define("r").label("r").reason("R").citation("test").when(std::move(when))};
  return p;
}

const parameter income_limit{"income_limit", "Batas penghasilan", fact_type::money, "Rp2.000.000", "PKS 2024"};

std::string bind_failure(const policy& p, std::span<const setting> settings = {}) {
  const auto f = test::failure_of([&] { (void)bind_policy(p, settings); });
  return f ? f->describe() : "no error";
}

status decided(const compiled_policy& c, money income) {
  record r(c.facts().size());
  r.set(c.facts(), "monthly_income", income);
  r.set(c.facts(), "birth_date", date(1984, 1, 1));
  r.set(c.facts(), "occupation", "petani");
  return c.decide(c.rule("r"), r, date(2024, 1, 1)).outcome;
}
} // namespace

TEST_CASE("a parameter stands where a constant does, and binds to the same rules") {
  const policy p = with({income_limit}, fact("monthly_income").at_most(parameter_value("income_limit")));
  const policy inline_constant = with({income_limit}, fact("monthly_income").at_most(2'000'000_rp));
  CHECK(bind_rules(p.facts, p.rules, "/rules", p.parameters) ==
        bind_rules(inline_constant.facts, inline_constant.rules));
  const compiled_policy c(p);
  CHECK(decided(c, 2'000'000_rp) == status::eligible);
  CHECK(decided(c, 2'000'001_rp) == status::ineligible);
  // In `in` and `between`, and for an enum fact as a string naming one of its values.
  const policy enums = with({{"first_tier", "", fact_type::string, "guru_mengaji", "test"},
                             {"oldest", "", fact_type::integer, std::int64_t{65}, "test"}},
                            all({fact("occupation").in({parameter_value("first_tier"), "marbot"}),
                                 age_of("birth_date").between(15, parameter_value("oldest"))}));
  CHECK_NOTHROW((void)bind_policy(enums));
}

TEST_CASE("a parameter set for one run changes the decision and is recorded") {
  const policy p = with({income_limit}, fact("monthly_income").at_most(parameter_value("income_limit")));
  const std::vector<setting> raised{{"income_limit", "Rp2.500.000"}};
  const compiled_policy c(bind_policy(p, raised));
  // Rp2.200.000 is over the declared Rp2.000.000 and within the Rp2.500.000 set.
  CHECK(decided(compiled_policy(p), 2'200'000_rp) == status::ineligible);
  CHECK(decided(c, 2'200'000_rp) == status::eligible);
  REQUIRE(c.settings().size() == 1);
  CHECK(c.settings()[0] == applied_setting{"income_limit", "Rp2.500.000", "Rp2.000.000"});
  // A value that is not of the parameter's type is the setting's fault.
  const std::vector<setting> bad{{"income_limit", "lots"}};
  CHECK(bind_failure(p, bad).starts_with("income_limit=lots: the parameter \"income_limit\": expected an amount"));
  const std::vector<setting> unknown{{"income_limt", "Rp1"}};
  CHECK(bind_failure(p, unknown) ==
        "income_limt=Rp1: a setting names a parameter of the policy or SUBSIDY.FIELD, such as "
        "\"apbd_oku_timur_2024.quota\"; the policy \"parameters\" has no parameter called \"income_limt\"; its "
        "parameters are \"income_limit\"");
}

TEST_CASE("the binder checks parameters and each use of one") {
  CHECK(bind_failure(with({}, fact("monthly_income").at_most(parameter_value("income_limit")))) ==
        "/rules/0/when/<=/parameter: no parameter is called \"income_limit\"; the policy declares no \"parameters\"");
  CHECK(bind_failure(with({income_limit}, fact("monthly_income").at_most(parameter_value("income_limt")))) ==
        "/rules/0/when/<=/parameter: no parameter is called \"income_limt\"; the parameters are \"income_limit\"");
  CHECK(bind_failure(with({income_limit}, age_of("birth_date").at_most(parameter_value("income_limit")))) ==
        "/rules/0/when/<=/parameter: the parameter \"income_limit\" is money but \"age_of(birth_date)\" is integer");
  CHECK(bind_failure(with({income_limit}, fact("occupation").is(parameter_value("income_limit")))) ==
        "/rules/0/when/=/parameter: the parameter \"income_limit\" is money but \"occupation\" is enum (an enum fact "
        "compares with a string parameter)");
  CHECK(bind_failure(with({income_limit, income_limit}, fact("monthly_income").present())) ==
        "/parameters/1/id: the parameter id \"income_limit\" is used twice");
  CHECK(bind_failure(with({{"p", "", fact_type::money, "lots", "test"}}, fact("monthly_income").present()))
            .starts_with("/parameters/0/value: the parameter \"p\": expected an amount"));
  CHECK(bind_failure(with({{"p", "", fact_type::enumeration, "a", "test"}}, fact("monthly_income").present())) ==
        "/parameters/0/type: a parameter is bool, integer, money, rate, date, month or string; one an enum fact "
        "compares with is a string naming one of its values");
}

TEST_CASE("parameters in policy JSON: read, written back, and located") {
  const std::string text = R"({"format": "entitle-policy/1", "id": "x", "facts": {"monthly_income": {"type": "money"}},
    "parameters": [{"id": "income_limit", "type": "money", "value": "Rp2.000.000", "citation": "PKS 2024"}],
    "rules": [{"id": "r", "label": "r", "reason": "R", "citation": "test",
               "when": {"fact": "monthly_income", "in": [{"parameter": "income_limit"}, 0]}}]})";
  const policy read = read_policy(text);
  REQUIRE(read.parameters.size() == 1);
  CHECK(read.parameters[0].value == literal(std::string("Rp2.000.000")));
  CHECK(read.rules[0].when == fact("monthly_income").in({parameter_value("income_limit"), std::int64_t{0}}));
  CHECK(read_policy(write_policy(read)) == read);
  const auto wrong = try_read_policy(R"({"format": "entitle-policy/1", "id": "x", "facts": {"n": {"type": "integer"}},
    "parameters": [{"id": "p", "type": "integer", "value": 1.5}], "rules": []})");
  REQUIRE_FALSE(wrong.has_value());
  CHECK(wrong.error().describe() == "/parameters/0/value: the integer fact \"p\": expected a whole number, found 1.5");
}
