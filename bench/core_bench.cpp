// Per-item costs of the core value types on the paths a batch run takes for every person and
// month: a contribution (money x rate, rounded), a dated lookup, an age, and the text parsers a
// roster reader calls for every cell.
#include <entitle/entitle.hpp>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

using namespace entitle;
using namespace entitle::literals;

namespace {

// Wages spread over a realistic range, so the rounding branches are not all the same.
std::vector<money> wages(std::size_t count) {
  std::vector<money> out;
  out.reserve(count);
  std::uint64_t state = 42;
  for (std::size_t i = 0; i < count; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    out.push_back(money::from_rupiah(1'000'000 + static_cast<std::int64_t>(state >> 40) % 20'000'000));
  }
  return out;
}

void contribution_of_wage(benchmark::State& state) {
  const auto all = wages(4096);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(all[i++ & 4095].times(0.89_pct, rounding::half_up, units::whole_rupiah));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(contribution_of_wage);

void dated_lookup(benchmark::State& state) {
  // The JP wage ceiling history, 2015 to 2026: 12 entries.
  std::vector<dated<money>::entry> history;
  for (int year = 2015; year <= 2026; ++year)
    history.push_back({date(year, 3, 1), money::from_rupiah(7'000'000 + (year - 2015) * 350'000), "PP 45/2015"});
  const dated<money> ceiling(std::move(history));
  std::vector<date> days;
  for (int year = 2016; year <= 2026; ++year)
    for (unsigned m = 1; m <= 12; ++m)
      days.push_back(date(year, m, 15));
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(ceiling.find(days[i++ % days.size()]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(dated_lookup);

void age_at_date(benchmark::State& state) {
  const date at(2024, 9, 1);
  std::vector<date> births;
  for (int year = 1959; year <= 2009; ++year)
    for (unsigned m = 1; m <= 12; ++m)
      births.push_back(date(year, m, 28));
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(age_in_full_years(births[i++ % births.size()], at));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(age_at_date);

void parse_money_plain(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(money::try_parse("3456789"));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(parse_money_plain);

void parse_money_indonesian(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(money::try_parse("Rp3.456.789"));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(parse_money_indonesian);

void parse_date(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(date::try_parse("1984-07-31"));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(parse_date);

void parse_rate(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(rate::try_parse("0.89%"));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(parse_rate);

} // namespace
