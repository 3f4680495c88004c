// A 20-row unique decision table over an enum (risk class, 5 values) and an integer (age, in
// 4 bands): evaluation per person, with 1024 distinct pre-built input pairs cycled through, and
// with one input pair repeated.
#include <entitle/eval/table_eval.hpp>

#include <benchmark/benchmark.h>

#include <array>
#include <vector>

namespace {

using namespace entitle;

const std::vector<field>& fields() {
  static const std::vector<field> all = {enum_field("risk_class", {"a", "b", "c", "d", "e"}),
                                         field{"age", fact_type::integer}};
  return all;
}

const bound_table& table() {
  static const bound_table bound = [] {
    decision_table t;
    t.id = "bench";
    t.label = "Bench";
    t.citation = "bench";
    t.inputs = {{"risk_class", ""}, {"age", ""}};
    t.outputs = {{"out", fact_type::integer, {}}};
    const char* classes[] = {"a", "b", "c", "d", "e"};
    const std::int64_t bands[][2] = {{0, 17}, {18, 39}, {40, 59}, {60, 200}};
    std::int64_t n = 0;
    for (const char* c : classes)
      for (const auto& band : bands)
        t.rows.push_back({{{table_cell::kind::compare, comparison::eq, {std::string(c)}, std::nullopt},
                           {table_cell::kind::between, comparison::eq, {band[0], band[1]}, std::nullopt}},
                          {n++},
                          "",
                          ""});
    return bind_table(t, fields(), "/tables/0");
  }();
  return bound;
}

void distinct_inputs(benchmark::State& state) {
  std::vector<std::array<fact_value, 2>> inputs(1024);
  for (std::size_t i = 0; i < inputs.size(); ++i)
    inputs[i] = {fact_value::of_number(static_cast<std::int64_t>((i * 7) % 5)),
                 fact_value::of_number(static_cast<std::int64_t>((i * 13) % 90))};
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(evaluate_table(table(), inputs[i]));
    i = (i + 1) & 1023;
  }
}
BENCHMARK(distinct_inputs);

void repeated_input(benchmark::State& state) {
  const std::array<fact_value, 2> input{fact_value::of_number(3), fact_value::of_number(45)};
  for (auto _ : state)
    benchmark::DoNotOptimize(evaluate_table(table(), input));
}
BENCHMARK(repeated_input);

} // namespace
