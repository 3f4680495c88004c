// Run-time parameters: a subsidy's quota, budget, window or share set for one run, read as the
// policy JSON reads the field and checked by the binder as a value read from the file. The
// policy is the shipped oku-timur/pekerja-rentan-2024-iuran, whose one subsidy,
// apbd_oku_timur_2024, has a quota of 4650, a budget of Rp937.440.000, the window 2024-01 for 12
// months and a share of 100% (policies/oku-timur/pekerja-rentan-2024-iuran.json).
#include <entitle/policy/setting.hpp>

#include <entitle/eval/bound_policy.hpp>
#include <entitle/eval/compiled_policy.hpp>
#include <entitle/io/policy_json.hpp>

#include "failure_of.hpp"
#include "shipped_policies.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

using namespace entitle;

namespace {

const std::string oku = "oku-timur/pekerja-rentan-2024-iuran";
const std::string apbd = "apbd_oku_timur_2024";

policy oku_policy() {
  policy p = test::shipped().get(oku);
  REQUIRE(p.subsidies.size() == 1);
  REQUIRE(p.subsidies[0].id == apbd);
  return p;
}

// The one subsidy of the policy with `settings` applied, and what was applied.
struct applied {
  subsidy after;
  std::vector<applied_setting> record;
};
applied apply(std::vector<setting> settings) {
  policy p = oku_policy();
  auto record = apply_settings(p, settings);
  return {p.subsidies[0], std::move(record)};
}

// The failure applying `settings` throws.
std::optional<failure> apply_failure(std::vector<setting> settings) {
  return test::failure_of([&] {
    policy p = oku_policy();
    (void)apply_settings(p, settings);
  });
}

// The failure binding the policy with `settings` throws.
std::optional<failure> bind_failure(std::vector<setting> settings) {
  return test::failure_of([&] { (void)bind_policy(oku_policy(), settings); });
}

failure at(std::string location, errc code, std::string message) {
  return failure(code, std::move(message), std::move(location));
}

} // namespace

TEST_CASE("a quota is set as a whole number of people, and the record says what the policy had") {
  const applied a = apply({{apbd + ".quota", "1000"}});
  CHECK(a.after.quota == std::optional<std::int64_t>(1000));
  REQUIRE(a.record.size() == 1);
  CHECK(a.record[0] == applied_setting{apbd + ".quota", "1000", "4650"});
  // Nothing else of the subsidy changes.
  subsidy expected = oku_policy().subsidies[0];
  expected.quota = 1000;
  CHECK(a.after == expected);
}

TEST_CASE("a budget is set as an amount, written as policy JSON writes one") {
  const money five_billion = money::from_rupiah(5'000'000'000);
  const applied indonesian = apply({{apbd + ".budget", "Rp5.000.000.000"}});
  CHECK(indonesian.after.budget == std::optional<money>(five_billion));
  CHECK(indonesian.record[0] == applied_setting{apbd + ".budget", "Rp5.000.000.000", "Rp937.440.000"});
  CHECK(apply({{apbd + ".budget", "5000000000"}}).after.budget == std::optional<money>(five_billion));
}

TEST_CASE("a window is set as its months, both included") {
  const applied a = apply({{apbd + ".window", "2024-01..2024-06"}});
  CHECK(a.after.window == month_range(month(2024, 1), month(2024, 6)));
  CHECK(a.record[0] == applied_setting{apbd + ".window", "2024-01..2024-06", "2024-01..2024-12"});
  CHECK(apply({{apbd + ".window", "2024-03"}}).after.window == month_range(month(2024, 3), month(2024, 3)));
}

TEST_CASE("a share is set as a percent, a flat amount or the contribution on a base") {
  const applied percent = apply({{apbd + ".share", "50%"}});
  CHECK(percent.after.share == subsidy_share{subsidy_share::kind::percent, rate::parse("50%"), money()});
  CHECK(percent.record[0] == applied_setting{apbd + ".share", "50%", "100%"});
  CHECK(apply({{apbd + ".share", "percent:12.5%"}}).after.share.percent == rate::parse("12.5%"));
  const applied amount = apply({{apbd + ".share", "amount:Rp5.000"}});
  CHECK(amount.after.share == subsidy_share{subsidy_share::kind::amount, rate::whole(), money::from_rupiah(5'000)});
  const applied base = apply({{apbd + ".share", "base:Rp1.000.000"}});
  CHECK(base.after.share == subsidy_share{subsidy_share::kind::on_base, rate::whole(), money::from_rupiah(1'000'000)});
  // What was there is written as a setting would write it.
  policy p = oku_policy();
  (void)apply_settings(p, std::vector<setting>{{apbd + ".share", "amount:Rp5.000"}});
  CHECK(apply_settings(p, std::vector<setting>{{apbd + ".share", "10%"}})[0].was == "amount:Rp5.000");
}

TEST_CASE("a field the policy left out was none, and several fields of one subsidy are set in one go") {
  policy p = oku_policy();
  p.subsidies[0].quota.reset();
  p.subsidies[0].budget.reset();
  const auto record = apply_settings(p, std::vector<setting>{{apbd + ".quota", "10"}, {apbd + ".budget", "Rp1"}});
  CHECK(record ==
        std::vector<applied_setting>{{apbd + ".quota", "10", std::nullopt}, {apbd + ".budget", "Rp1", std::nullopt}});
  CHECK(p.subsidies[0].quota == std::optional<std::int64_t>(10));
  CHECK(p.subsidies[0].budget == std::optional<money>(money::from_rupiah(1)));
}

TEST_CASE("a setting naming no subsidy, or no field that can be set, is an error naming the setting") {
  CHECK(apply_failure({{"apbd.quota", "1"}}) ==
        at("apbd.quota=1", errc::invalid_syntax,
           "the policy \"oku-timur/pekerja-rentan-2024-iuran\" has no subsidy called \"apbd\"; its subsidies are "
           "\"apbd_oku_timur_2024\""));
  CHECK(apply_failure({{apbd + ".priority", "2"}}) ==
        at(apbd + ".priority=2", errc::invalid_syntax,
           "a subsidy has no field \"priority\" to set; the fields are \"quota\", \"budget\", \"window\", \"share\""));
  CHECK(apply_failure({{"quota", "1"}}) ==
        at("quota=1", errc::invalid_syntax,
           "a setting names a parameter of the policy or SUBSIDY.FIELD, such as \"apbd_oku_timur_2024.quota\"; the "
           "policy \"oku-timur/pekerja-rentan-2024-iuran\" has no parameter called \"quota\""));
  CHECK(apply_failure({{apbd + ".", "1"}})->location == apbd + ".=1");
  policy none = oku_policy();
  none.subsidies.clear();
  CHECK(test::failure_of([&] {
          (void)apply_settings(none, std::vector<setting>{{apbd + ".quota", "1"}});
        })->message == "the policy \"oku-timur/pekerja-rentan-2024-iuran\" has no subsidy called "
                       "\"apbd_oku_timur_2024\"; it has no subsidies");
}

TEST_CASE("a field set twice is an error naming the second setting and both values") {
  CHECK(apply_failure({{apbd + ".quota", "1000"}, {apbd + ".budget", "Rp1"}, {apbd + ".quota", "2000"}}) ==
        at(apbd + ".quota=2000", errc::invalid_syntax,
           "\"apbd_oku_timur_2024.quota\" is set twice: to \"1000\" and to \"2000\"; set it once"));
}

TEST_CASE("a value that does not read as the field's is an error naming the setting") {
  CHECK(apply_failure({{apbd + ".quota", "12.5"}}) ==
        at(apbd + ".quota=12.5", errc::invalid_syntax, "expected a whole number of people, 0 or more, found \"12.5\""));
  CHECK(apply_failure({{apbd + ".quota", "99999999999999999999"}})->code == errc::overflow);
  CHECK(apply_failure({{apbd + ".budget", "lots"}}) ==
        at(apbd + ".budget=lots", errc::invalid_syntax,
           "expected an amount such as \"1234567\" or \"Rp1.234.567\", found \"lots\""));
  CHECK(apply_failure({{apbd + ".window", "2024-06..2024-01"}}) ==
        at(apbd + ".window=2024-06..2024-01", errc::out_of_range,
           "the month range \"2024-06..2024-01\" ends before it starts"));
  CHECK(apply_failure({{apbd + ".window", "June"}})->location == apbd + ".window=June");
  // As in policy JSON, a share is written with "%": "50" would be the fraction 50, 5000%.
  CHECK(apply_failure({{apbd + ".share", "50"}}) ==
        at(apbd + ".share=50", errc::invalid_syntax, "a share is written with \"%\": write \"50%\", not \"50\""));
  CHECK(apply_failure({{apbd + ".share", "half"}}) ==
        at(apbd + ".share=half", errc::invalid_syntax,
           "expected a share as \"50%\", \"amount:Rp5.000\" or \"base:Rp1.000.000\", found \"half\""));
  CHECK(apply_failure({{apbd + ".share", "amount:five"}})->message ==
        "expected an amount such as \"1234567\" or \"Rp1.234.567\", found \"five\"");
}

TEST_CASE("the binder checks a value set as it checks one read from JSON, and names the setting") {
  CHECK(bind_failure({{apbd + ".quota", "-1"}}) ==
        at(apbd + ".quota=-1", errc::invalid_syntax, "a quota cannot be negative"));
  CHECK(bind_failure({{apbd + ".budget", "-Rp1"}}) ==
        at(apbd + ".budget=-Rp1", errc::invalid_syntax, "a budget cannot be negative"));
  CHECK(bind_failure({{apbd + ".quota", "10"}, {apbd + ".share", "150%"}}) ==
        at(apbd + ".share=150%", errc::invalid_syntax, "a share is between 0% and 100%, found 150%"));
  CHECK(bind_failure({{apbd + ".share", "amount:-Rp5.000"}}) ==
        at(apbd + ".share=amount:-Rp5.000", errc::invalid_syntax, "a subsidy's amount cannot be negative"));
  // A window outside the policy's dates (2024-01-01 to 2024-12-31) would pay under a policy not
  // in force.
  CHECK(bind_failure({{apbd + ".window", "2024-07..2025-06"}}) ==
        at(apbd + ".window=2024-07..2025-06", errc::invalid_syntax,
           "the window 2024-07..2025-06 ends after the policy is in force: the policy \"" + oku +
               "\" is in force from 2024-01-01 to 2024-12-31"));
  CHECK(bind_failure({{apbd + ".window", "2023-12..2024-06"}})
            ->message.starts_with("the window 2023-12..2024-06 starts before the policy is in force"));
  CHECK_FALSE(bind_failure({{apbd + ".window", "2024-03..2024-12"}}).has_value());
  // The same values in the policy value are reported at their JSON pointers.
  policy p = oku_policy();
  p.subsidies[0].quota = -1;
  CHECK(test::failure_of([&] { (void)bind_policy(p); }) ==
        at("/subsidies/0/quota", errc::invalid_syntax, "a quota cannot be negative"));
  CHECK(setting_pointer(oku_policy(), {apbd + ".quota", "-1"}) == "/subsidies/0/quota");
  // A problem with a field no setting set keeps its JSON pointer.
  policy broken = oku_policy();
  broken.subsidies[0].who = "no_such_rule";
  const auto keeps = test::failure_of([&] {
    (void)bind_policy(broken, std::vector<setting>{{apbd + ".quota", "10"}});
  });
  REQUIRE(keeps);
  CHECK(keeps->location == "/subsidies/0/who");
}

TEST_CASE("a policy compiled with settings holds the values set and records them, bound once") {
  const std::vector<setting> settings{{apbd + ".quota", "2"}, {apbd + ".window", "2024-01..2024-06"}};
  const std::uint64_t before = detail::rule_bindings.load();
  const compiled_policy compiled = test::shipped().compile(oku, settings);
  CHECK(detail::rule_bindings.load() - before == 1);
  CHECK(compiled.source().subsidies[0].quota == std::optional<std::int64_t>(2));
  CHECK(compiled.source().subsidies[0].window == month_range(month(2024, 1), month(2024, 6)));
  CHECK(compiled.settings() ==
        std::vector<applied_setting>{{apbd + ".quota", "2", "4650"},
                                     {apbd + ".window", "2024-01..2024-06", "2024-01..2024-12"}});
  CHECK(test::shipped().compile(oku).settings().empty());
  // A copy keeps the record.
  const compiled_policy copy(compiled); // NOLINT(performance-unnecessary-copy-initialization)
  CHECK(copy.settings() == compiled.settings());
}

TEST_CASE("a library's error about a setting names the setting, not the file") {
  const auto f = test::failure_of([&] {
    (void)test::shipped().compile(oku, std::vector<setting>{{apbd + ".quota", "-1"}});
  });
  CHECK(f == at(apbd + ".quota=-1", errc::invalid_syntax, "a quota cannot be negative"));
  const auto unknown = test::failure_of([&] {
    (void)test::shipped().compile(oku, std::vector<setting>{{"apbd.quota", "1"}});
  });
  REQUIRE(unknown);
  CHECK(unknown->location == "apbd.quota=1");
  CHECK(unknown->message.starts_with("the policy \"oku-timur/pekerja-rentan-2024-iuran\" has no subsidy"));
}
