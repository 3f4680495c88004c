// The ranges of a policy's figures are the binder's to check: a policy built in C++ and the same
// policy read from JSON are refused with the same message at the same JSON pointer.
#include <entitle/eval/figure_ranges.hpp>

#include <entitle/eval/compiled_policy.hpp>
#include <entitle/io/policy_json.hpp>

#include "failure_of.hpp"
#include <boost/json/serialize.hpp>

#include <doctest/doctest.h>

#include <functional>
#include <optional>

using namespace entitle;
using namespace entitle::literals;

namespace {

// A regency paying all of JKK for workers who declare an income: 1% of the declared income.
policy regency_policy() {
  policy p;
  p.id = "test/figures";
  p.facts.add({"declared_income", fact_type::money, {}, false});
  p.rules.push_back(
      define("everyone").label("everyone").reason("R").citation("test").when(fact("declared_income").present()));
  formula bpu;
  bpu.category = "BPU";
  bpu.base.fact = "declared_income";
  bpu.parts.push_back({"worker", "", dated<rate>({{date(2015, 7, 1), 1_pct, "PP 44/2015 Lampiran II"}}), {}, {}, {}});
  p.programs.push_back({"JKK", "Jaminan Kecelakaan Kerja", "PP 44/2015", {bpu}, {}});
  p.enrolments.push_back({"bpu", "", "everyone", "BPU", {"JKK"}, {}, {}, {}});
  subsidy s;
  s.id = "apbd";
  s.payer = "PEMKAB";
  s.who = "everyone";
  s.programs = {"JKK"};
  s.window = month_range(month(2024, 1), month(2024, 12));
  p.subsidies.push_back(s);
  return p;
}

const auto& binding_failure = test::failure_of;

// Binds `p` as built, and as written to JSON and read back; both must fail alike.
failure refused_alike(const policy& p) {
  const auto built = binding_failure([&] { const compiled_policy c(p); });
  const auto read = binding_failure([&] { const compiled_policy c(read_policy(boost::json::serialize(to_json(p)))); });
  REQUIRE(built.has_value());
  REQUIRE(read.has_value());
  CHECK(built->message == read->message);
  CHECK(built->location == read->location);
  CHECK(built->code == read->code);
  return *built;
}

} // namespace

TEST_CASE("figure ranges: the policy as built binds, so each refusal below is the figure's") {
  CHECK_NOTHROW(compiled_policy{regency_policy()});
}

TEST_CASE("figure ranges: a negative quota, a share over 100% or a budget below zero is refused at binding") {
  SUBCASE("a quota of -1 people") {
    policy p = regency_policy();
    p.subsidies[0].quota = -1;
    const failure f = refused_alike(p);
    CHECK(f.message == "a quota cannot be negative");
    CHECK(f.location == "/subsidies/0/quota");
  }
  SUBCASE("a budget of -Rp1") {
    policy p = regency_policy();
    p.subsidies[0].budget = -1_rp;
    const failure f = refused_alike(p);
    CHECK(f.message == "a budget cannot be negative");
    CHECK(f.location == "/subsidies/0/budget");
  }
  SUBCASE("a subsidy share of 120%") {
    policy p = regency_policy();
    p.subsidies[0].share.percent = 120_pct;
    const failure f = refused_alike(p);
    CHECK(f.message == "a share is between 0% and 100%, found 120%");
    CHECK(f.location == "/subsidies/0/share/percent");
  }
  SUBCASE("a contribution share of 100.5% in its second entry") {
    policy p = regency_policy();
    p.programs[0].formulas[0].parts[0].share =
        dated<rate>({{date(2015, 7, 1), 1_pct, "PP 44/2015"}, {date(2020, 1, 1), rate::parse("100.5%"), "test"}});
    const failure f = refused_alike(p);
    CHECK(f.message == "a share is between 0% and 100%, found 100.5%");
    CHECK(f.location == "/programs/0/formulas/0/parts/0/share/history/1/value");
  }
  SUBCASE("an enrolment base of -Rp1.000.000") {
    policy p = regency_policy();
    p.enrolments[0].base = -1'000'000_rp;
    const failure f = refused_alike(p);
    CHECK(f.message == "a base cannot be negative");
    CHECK(f.location == "/enrolments/0/base");
  }
  SUBCASE("a base that is both a fact and a fixed amount") {
    policy p = regency_policy();
    p.programs[0].formulas[0].base.fixed = dated<money>({{date(2015, 7, 1), 1'000'000_rp, "test"}});
    const failure f = refused_alike(p);
    CHECK(f.message == "a base is a \"fact\" or a \"fixed\" amount, not both");
    CHECK(f.location == "/programs/0/formulas/0/base");
  }
  SUBCASE("a floor above the ceiling") {
    policy p = regency_policy();
    p.programs[0].formulas[0].base.floor = dated<money>({{date(2015, 7, 1), 2'000'000_rp, "test"}});
    p.programs[0].formulas[0].base.ceiling = dated<money>({{date(2016, 1, 1), 1'500'000_rp, "test"}});
    const failure f = refused_alike(p);
    CHECK(f.message == "the floor Rp2.000.000 is above the ceiling Rp1.500.000 in force on 2016-01-01");
    CHECK(f.location == "/programs/0/formulas/0/base/floor");
  }
}
