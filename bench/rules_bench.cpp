// The OKU Timur vulnerable-worker rule (valid 16-digit NIK, in the regency, age 15..65 at a date,
// not a civil servant, not yet enrolled, and any of: Quran teacher or mosque caretaker, extreme
// poor, or informal with income at most Rp2,000,000) over one million generated persons held in
// memory: as the application's described struct, and as records read from JSON with the policy
// file's own schema. Reports the cost per decision and the heap allocations per decision.
#include <entitle/entitle.hpp>

#include "oku_roster.hpp"
#include "oku_timur.hpp"

#include <benchmark/benchmark.h>

#include "allocation_counter.hpp"

#include <vector>

namespace {

using namespace entitle;

constexpr std::size_t roster_size = 1'000'000;
const date as_of(2024, 9, 1);

const std::vector<oku_timur::person>& people() {
  static const std::vector<oku_timur::person> all = oku_timur::roster_generator(20'240'901).take(roster_size);
  return all;
}

const compiled_policy& static_policy() {
  static const compiled_policy compiled(oku_timur::rentan_policy());
  return compiled;
}

// The same rules with facts declared in the policy, as a policy file would declare them.
const compiled_policy& dynamic_policy() {
  static const compiled_policy compiled(read_policy(write_policy(oku_timur::rentan_policy())));
  return compiled;
}

const std::vector<record>& records() {
  static const std::vector<record> all = [] {
    std::vector<record> out;
    out.reserve(roster_size);
    for (const auto& p : people())
      out.push_back(record_from_json(dynamic_policy().facts(), oku_timur::to_json(p)));
    return out;
  }();
  return all;
}

template <class Decide>
void run(benchmark::State& state, std::size_t count, Decide decide) {
  std::size_t eligible = 0;
  const std::size_t before = allocation_counter::count();
  for (auto _ : state) {
    for (std::size_t i = 0; i < count; ++i)
      eligible += decide(i).outcome == status::eligible;
    benchmark::DoNotOptimize(eligible);
  }
  const double decisions = static_cast<double>(state.iterations()) * static_cast<double>(count);
  state.counters["per_decision"] =
      benchmark::Counter(decisions, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["allocs_per_decision"] = static_cast<double>(allocation_counter::count() - before) / decisions;
  state.counters["eligible_share"] = static_cast<double>(eligible) / decisions;
}

void decide_described_struct(benchmark::State& state) {
  const auto& all = people();
  const compiled_policy& policy = static_policy();
  const rule_handle rule = policy.rule("rentan_oku_timur_2024");
  run(state, all.size(), [&](std::size_t i) { return policy.decide(rule, all[i], as_of); });
}
BENCHMARK(decide_described_struct)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void decide_dynamic_record(benchmark::State& state) {
  const auto& all = records();
  const compiled_policy& policy = dynamic_policy();
  const rule_handle rule = policy.rule("rentan_oku_timur_2024");
  run(state, all.size(), [&](std::size_t i) { return policy.decide(rule, all[i], as_of); });
}
BENCHMARK(decide_dynamic_record)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// The same rules with the vulnerable-worker test two-valued where facts are missing
// (`if_missing`: a missing income or occupation counts as not vulnerable), as a subsidy's
// selection would write it: the cost of the one composite node it adds.
const compiled_policy& two_valued_policy() {
  static const compiled_policy compiled = [] {
    policy p = oku_timur::rentan_policy();
    for (rule& r : p.rules)
      if (r.id == "pekerja_rentan") r.when = if_missing(*r.when, false);
    return compiled_policy(std::move(p));
  }();
  return compiled;
}

void decide_if_missing(benchmark::State& state) {
  const auto& all = people();
  const compiled_policy& policy = two_valued_policy();
  const rule_handle rule = policy.rule("rentan_oku_timur_2024");
  run(state, all.size(), [&](std::size_t i) { return policy.decide(rule, all[i], as_of); });
}
BENCHMARK(decide_if_missing)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// The same rules with the age and the income named once as derived values, and every test of
// them reading the derived value: the cost of a test on a derived
// value (worked out where it is tested) over the same test written inline (decide_described_struct).
void use_derived(condition& c) {
  if (c.about.fact == "birth_date" && c.about.derive == derivation::age_in_years) c.about = fact("age");
  if (c.about.fact == "monthly_income" && c.about.derive == derivation::value) c.about = fact("income");
  for (condition& child : c.children)
    use_derived(child);
}

const compiled_policy& derived_policy() {
  static const compiled_policy compiled = [] {
    policy p = oku_timur::rentan_policy();
    p.derived = {{field("age", fact_type::integer), "age", "bench", age_at_evaluation("birth_date")},
                 {field("income", fact_type::money), "income", "bench", value_of("monthly_income")}};
    for (rule& r : p.rules)
      if (r.when) use_derived(*r.when);
    return compiled_policy(std::move(p));
  }();
  return compiled;
}

void decide_derived_values(benchmark::State& state) {
  const auto& all = people();
  const compiled_policy& policy = derived_policy();
  const rule_handle rule = policy.rule("rentan_oku_timur_2024");
  run(state, all.size(), [&](std::size_t i) { return policy.decide(rule, all[i], as_of); });
}
BENCHMARK(decide_derived_values)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void explain_described_struct(benchmark::State& state) {
  const auto& all = people();
  const compiled_policy& policy = static_policy();
  const rule_handle rule = policy.rule("rentan_oku_timur_2024");
  // The trace costs more; 100,000 persons are enough to measure it.
  run(state, 100'000, [&](std::size_t i) { return policy.explain(rule, all[i], as_of).outcome; });
}
BENCHMARK(explain_described_struct)->Unit(benchmark::kMillisecond)->MinTime(2.0);

} // namespace

// A 20-row unique decision table as a rule's whole condition: five occupation groups by four age
// bands (the age a derived value, the person's own), output "covered". Every person differs in
// age; the occupations cycle through all eight values.
decision_table coverage_table() {
  decision_table t;
  t.id = "covered";
  t.label = "covered by occupation and age";
  t.citation = "bench";
  t.inputs = {{"occupation", ""}, {"age", ""}};
  t.outputs = {{"covered", fact_type::boolean, {}}};
  const std::vector<std::vector<literal>> groups = {{std::string("guru_mengaji"), std::string("marbot")},
                                                    {std::string("petani"), std::string("nelayan")},
                                                    {std::string("pedagang")},
                                                    {std::string("buruh_harian"), std::string("ojek")},
                                                    {std::string("lainnya")}};
  const std::int64_t bands[][2] = {{-200, 14}, {15, 40}, {41, 65}, {66, 300}};
  for (std::size_t g = 0; g < groups.size(); ++g)
    for (std::size_t b = 0; b < 4; ++b)
      t.rows.push_back({{{table_cell::kind::in, comparison::eq, groups[g], std::nullopt},
                         {table_cell::kind::between, comparison::eq, {bands[b][0], bands[b][1]}, std::nullopt}},
                        {g < 4 && (b == 1 || b == 2)},
                        "",
                        ""});
  return t;
}

const compiled_policy& table_policy() {
  static const compiled_policy compiled = [] {
    policy p = oku_timur::rentan_policy();
    p.tables = {coverage_table()};
    p.derived = {{field("age", fact_type::integer), "age", "bench", age_at_evaluation("birth_date")},
                 {field("covered", fact_type::boolean), "covered", "bench", table_value("covered")}};
    p.rules.push_back(
        define("covered").label("covered").reason("NOT_COVERED").citation("bench").when(fact("covered").is(true)));
    return compiled_policy(std::move(p));
  }();
  return compiled;
}

void decide_table_condition(benchmark::State& state) {
  const auto& all = people();
  const compiled_policy& policy = table_policy();
  const rule_handle rule = policy.rule("covered");
  run(state, all.size(), [&](std::size_t i) { return policy.decide(rule, all[i], as_of); });
}
BENCHMARK(decide_table_condition)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// The floor under decide_table_condition: one test on one fact of the same person, so that the
// difference is what the table costs.
const compiled_policy& one_condition_policy() {
  static const compiled_policy compiled = [] {
    policy p = oku_timur::rentan_policy();
    p.rules.push_back(
        define("one").label("one").reason("NOT_ONE").citation("bench").when(fact("occupation").is_not("lainnya")));
    return compiled_policy(std::move(p));
  }();
  return compiled;
}

void decide_one_condition(benchmark::State& state) {
  const auto& all = people();
  const compiled_policy& policy = one_condition_policy();
  const rule_handle rule = policy.rule("one");
  run(state, all.size(), [&](std::size_t i) { return policy.decide(rule, all[i], as_of); });
}
BENCHMARK(decide_one_condition)->Unit(benchmark::kMillisecond)->MinTime(2.0);
