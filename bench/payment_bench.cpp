// One person's contributions through the payment engine: OKU Timur's non-ASN staff
// (policies/oku-timur/non-asn-2022.json), five programs (JKK by risk class, JKM, JHT, JP with its
// ceiling changing in March, JKP recomposed), January to December 2022, for 100,000 people held
// in memory as records, every wage different (the unfavourable case: nothing repeats) and, beside
// it, every wage Rp3,000,000. Reports the cost per person and the heap allocations per person.
#include <entitle/entitle.hpp>

#include "bench_support.hpp"

#include <benchmark/benchmark.h>

#include "allocation_counter.hpp"

#include <boost/json/object.hpp>

#include <cstdio>
#include <vector>

namespace {

using namespace entitle;

constexpr std::size_t people_count = 100'000;

const compiled_policy& non_asn() {
  static const compiled_policy compiled = bench::shipped_policy("oku-timur/non-asn-2022");
  return compiled;
}

std::vector<record> staff(bool distinct_wages) {
  std::vector<record> out;
  out.reserve(people_count);
  char nik[32];
  for (std::size_t i = 0; i < people_count; ++i) {
    std::snprintf(nik, sizeof nik, "1608%012zu", i);
    boost::json::object o{{"nik", nik},
                          {"employment", "non_asn"},
                          {"agency", "DINKES"},
                          {"enrolled_bpjs_tk", false},
                          {"wage", static_cast<std::int64_t>(distinct_wages ? 2'000'000 + i * 37 : 3'000'000)},
                          {"risk_class", static_cast<std::int64_t>(i % 5 + 1)}};
    out.push_back(record_from_json(non_asn().facts(), o));
  }
  return out;
}

// range(0): 1 when every wage differs.
void engine_twelve_months_five_programs(benchmark::State& state) {
  static const std::vector<record> distinct = staff(true);
  static const std::vector<record> same = staff(false);
  const auto& people = state.range(0) == 1 ? distinct : same;
  const payment_engine& engine = non_asn().engine();
  const auto schedule = engine.schedule_for(month_range::calendar_year(2022));
  payment_engine::workspace w(engine);
  payment_amounts amounts;
  std::size_t next = 0;
  money total;
  const std::size_t before = allocation_counter::count();
  for (auto _ : state) {
    engine.evaluate(people[next].facts(), schedule, {}, w, amounts);
    total += amounts.total;
    next = next + 1 == people.size() ? 0 : next + 1;
  }
  const std::size_t allocations = allocation_counter::count() - before;
  benchmark::DoNotOptimize(total);
  state.counters["allocations_per_person"] = static_cast<double>(allocations) / static_cast<double>(state.iterations());
}
BENCHMARK(engine_twelve_months_five_programs)->ArgName("distinct_wages")->Arg(1)->Arg(0);

} // namespace
