// Ranking keys of a capped subsidy: facts, enum tiers and rules, bound once and read as words
// that order people (docs/policy-format.md, "Ranking").
#include <entitle/entitle.hpp>
#include <entitle/io/policy_json.hpp>

#include "failure_of.hpp"

#include <doctest/doctest.h>

#include <array>
#include <optional>
#include <string>

using namespace entitle;
using namespace entitle::literals;

namespace {
const schema& facts() {
  static const schema s = [] {
    schema out;
    out.add(enum_field("occupation", {"guru_mengaji", "marbot", "petani", "pedagang"}));
    out.add(field("extreme_poor", fact_type::boolean));
    out.add(field("monthly_income", fact_type::money));
    out.add(field("nik", fact_type::string));
    return out;
  }();
  return s;
}

const bound_rules& rules() {
  static const bound_rules r = bind_rules(facts(), {define("religious")
                                                        .label("religious")
                                                        .reason("NO")
                                                        .citation("test")
                                                        .when(fact("occupation").in({"guru_mengaji", "marbot"}))});
  return r;
}

std::array<fact_value, 4> person(std::optional<std::int64_t> occupation, std::optional<bool> poor = std::nullopt) {
  return {occupation ? fact_value::of_number(*occupation) : fact_value::missing(),
          poor ? fact_value::of_number(*poor ? 1 : 0) : fact_value::missing(), fact_value::missing(),
          fact_value::missing()};
}

std::optional<std::uint64_t> word(const rank_key& key, const std::array<fact_value, 4>& who) {
  return rank_word(bind_rank_key(key, rules(), "/subsidies/0/rank_by/0"), rules(), who, date(2024, 1, 1));
}

std::string bind_failure(const rank_key& key) {
  const auto f = test::failure_of([&] { (void)bind_rank_key(key, rules(), "/subsidies/0/rank_by/0"); });
  return f ? f->describe() : "no error";
}

// A policy extending the shipped OKU Timur one whose subsidy ranks by `rank_by` (JSON text).
std::string policy_failure(const std::string& rank_by) {
  policy_library library;
  library.add_directory(ENTITLE_POLICIES_DIR);
  try {
    const std::string id = library.add(R"({"format": "entitle-policy/1", "id": "test/ranking",
      "extends": "oku-timur/pekerja-rentan-2024-iuran", "overrides": {"subsidies": [{
        "id": "apbd_oku_timur_2024", "payer": "PEMKAB_OKU_TIMUR", "who": "rentan_oku_timur_2024",
        "programs": ["JKK", "JKM"], "share": {"percent": "100%"}, "window": {"from": "2024-01", "months": 12},
        "quota": 3, "rank_by": )" + rank_by +
                                           "}]}}",
                                       "ranking.json");
    (void)library.compile(id);
  } catch (const error& e) {
    return e.details().describe();
  }
  return "no error";
}
} // namespace

TEST_CASE("an enum ranks in declaration order, or by the tiers a key declares") {
  const rank_key plain = rank_key::by_fact("occupation");
  // Declared guru_mengaji 0, marbot 1, petani 2, pedagang 3.
  CHECK(*word(plain, person(0)) < *word(plain, person(1)));
  CHECK(*word(plain, person(2)) < *word(plain, person(3)));
  CHECK_FALSE(word(plain, person(std::nullopt)));
  rank_key tiers = plain;
  tiers.tiers = {{"pedagang"}, {"guru_mengaji", "marbot"}};
  // pedagang first; guru_mengaji and marbot equal; petani, not listed, after every tier.
  CHECK(*word(tiers, person(3)) < *word(tiers, person(0)));
  CHECK(*word(tiers, person(0)) == *word(tiers, person(1)));
  CHECK(*word(tiers, person(1)) < *word(tiers, person(2)));
  tiers.descending = true;
  CHECK(*word(tiers, person(2)) < *word(tiers, person(3)));
}

TEST_CASE("a rule ranks the people it holds for first, unless no_first") {
  rank_key by_rule = rank_key::by_rule("religious");
  CHECK(*word(by_rule, person(1)) < *word(by_rule, person(2))); // marbot before petani
  CHECK_FALSE(word(by_rule, person(std::nullopt)));             // unknown: after everyone
  by_rule.descending = true;
  CHECK(*word(by_rule, person(2)) < *word(by_rule, person(1)));
  // A bool, ascending: false before true.
  const rank_key poor = rank_key::by_fact("extreme_poor");
  CHECK(*word(poor, person(0, false)) < *word(poor, person(0, true)));
}

TEST_CASE("the binder checks every ranking key, at its place") {
  CHECK(bind_failure(rank_key{}) == "/subsidies/0/rank_by/0: a ranking key names a \"fact\" or a \"rule\"");
  rank_key both = rank_key::by_rule("religious");
  both.fact = "occupation";
  CHECK(bind_failure(both) == "/subsidies/0/rank_by/0: a ranking key names a \"fact\" or a \"rule\", not both");
  CHECK(bind_failure(rank_key::by_fact("ocupation")) == "/subsidies/0/rank_by/0/fact: no fact is called \"ocupation\"");
  CHECK(bind_failure(rank_key::by_rule("religous")) ==
        "/subsidies/0/rank_by/0/rule: no rule is called \"religous\"; the rules are \"religious\"");
  CHECK(bind_failure(rank_key::by_fact("nik")) ==
        "/subsidies/0/rank_by/0/fact: the fact \"nik\" is a string; rank by a number, amount, rate, date, month, "
        "bool or enum, or a rule");
  rank_key bad = rank_key::by_fact("occupation");
  bad.tiers = {{"guru_mengaji"}, {"marbott"}};
  CHECK(bind_failure(bad) ==
        "/subsidies/0/rank_by/0/tiers/1/0: \"marbott\" is not a value of the enum fact \"occupation\"; expected one "
        "of \"guru_mengaji\", \"marbot\", \"petani\", \"pedagang\"");
  bad.tiers = {{"guru_mengaji", "marbot"}, {"marbot"}};
  CHECK(bind_failure(bad) == "/subsidies/0/rank_by/0/tiers/1/0: \"marbot\" is in two tiers");
  bad.tiers = {{}};
  CHECK(bind_failure(bad) == "/subsidies/0/rank_by/0/tiers/0: a tier lists at least one value");
  rank_key money_tiers = rank_key::by_fact("monthly_income");
  money_tiers.tiers = {{"low"}};
  CHECK(bind_failure(money_tiers) ==
        "/subsidies/0/rank_by/0/tiers: \"tiers\" orders the values of an enum fact; \"monthly_income\" is money");
  rank_key rule_tiers = rank_key::by_rule("religious");
  rule_tiers.tiers = {{"marbot"}};
  CHECK(bind_failure(rule_tiers) == "/subsidies/0/rank_by/0/tiers: \"tiers\" orders an enum fact, not a rule");
}

TEST_CASE("ranking keys in policy JSON: read, located, written back") {
  CHECK(
      policy_failure(
          R"([{"fact": "occupation", "tiers": [["guru_mengaji", "marbot"]]}, {"rule": "nik_valid", "order": "no_first"}])") ==
      "no error");
  CHECK(policy_failure(R"([{"fact": "occupation", "tiers": ["guru_mengaji"]}])") ==
        "/overrides/subsidies/0/rank_by/0/tiers/0: ranking.json: a tier is an array of values: write "
        "[\"guru_mengaji\"], or list the values of equal rank together: [\"guru_mengaji\", \"marbot\"]");
  CHECK(policy_failure(R"([{"rule": "nik_valid", "order": "descending"}])") ==
        "/overrides/subsidies/0/rank_by/0/order: ranking.json: expected \"yes_first\" or \"no_first\" for a rule, "
        "found \"descending\"");
  CHECK(policy_failure(R"([{"order": "ascending"}])") ==
        "/overrides/subsidies/0/rank_by/0: ranking.json: a ranking key names a \"fact\" or a \"rule\": {\"fact\": "
        "\"monthly_income\"}, {\"rule\": \"extreme_poor\"}");
  CHECK(policy_failure(R"([{"fact": "occupation", "tiers": [["marbott"]]}])") ==
        "/subsidies/0/rank_by/0/tiers/0/0: ranking.json: in \"test/ranking\" merged with what it extends: "
        "\"marbott\" is not a value of the enum fact \"occupation\"; "
        "expected one of \"guru_mengaji\", \"marbot\", \"petani\", \"nelayan\", \"pedagang\", \"buruh_harian\", "
        "\"ojek\", \"lainnya\"");

  subsidy s;
  s.rank_by = {rank_key::by_fact("monthly_income", "ASUMSI"), rank_key::by_rule("nik_valid")};
  s.rank_by[0].tiers = {};
  s.rank_by[1].descending = true;
  CHECK(to_string(s.rank_by[1]) == "rule nik_valid (no first)");
  rank_key tiered = rank_key::by_fact("occupation");
  tiered.tiers = {{"guru_mengaji", "marbot"}, {"petani"}};
  CHECK(to_string(tiered) == "occupation (tiers guru_mengaji|marbot, petani)");
}
