// Double subsidy across rosters (docs/overlap.md). Two cases:
// - overlap_ten_million_niks: 10,000,000 distinct NIKs in two roster files of 5,000,000 rows
//   (every NIK different: the unfavourable case for the id counter, which then keeps them all),
//   the second roster repeating 10,000 NIKs of the first, under a policy whose one rule is "NIK of
//   16 digits", so that what is timed is the overlap check and not a program's evaluation; on 1
//   and 2 threads (the batch's).
// - overlap_oku_timur: OKU Timur 2024 (quota 4,650) over a 1,000,000-row roster with distinct
//   NIKs, incomes and birth dates, and a second roster of 10,000 of its people; beside it the same
//   batch's `run` over both rosters, which the check cannot be faster than.
// Reports ns per row read and the peak resident memory.
#include <entitle/entitle.hpp>
#include <entitle/io/batch.hpp>
#include <entitle/io/overlap.hpp>

#include "bench_support.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

using namespace entitle;
using bench::oku_header;
using bench::oku_row;
using bench::peak_rss_kib;
using bench::remove_at_exit;
using bench::write_roster;

const compiled_policy& nik_only() {
  static const compiled_policy compiled = [] {
    policy_library library;
    library.add(R"json({"format": "entitle-policy/1", "id": "bench/nik-only", "title": "NIK of 16 digits",
      "facts": {"nik": {"type": "string"}},
      "rules": [{"id": "nik_valid", "label": "NIK 16 digit", "reason": "NIK_TIDAK_VALID",
                 "citation": "Inpres 2/2021, NIK-based membership data", "when": {"fact": "nik", "digits": 16}}]})json");
    return compiled_policy(library.get("bench/nik-only"));
  }();
  return compiled;
}

int nik_row(std::size_t i, char* buffer) { return std::snprintf(buffer, 256, "1608%012zu\n", i); }

void overlap_ten_million_niks(benchmark::State& state) {
  constexpr std::size_t half = 5'000'000;
  static const auto first = write_roster("entitle-bench-niks-a.csv", "nik\n", 0, half, 1, nik_row);
  // The second half, and 10,000 NIKs of the first again (every 500th).
  static const auto second = [] {
    const auto file = write_roster("entitle-bench-niks-b.csv", "nik\n", half, 2 * half, 1, nik_row);
    std::ofstream out(file, std::ios::binary | std::ios::app);
    char buffer[256];
    for (std::size_t i = 0; i < half; i += 500)
      out.write(buffer, nik_row(i, buffer));
    return file;
  }();
  static const remove_at_exit cleanup_first{first};
  static const remove_at_exit cleanup_second{second};
  const batch b(nik_only(), {.rules = {},
                             .as_of = date(2024, 1, 1),
                             .period = month_range::calendar_year(2024),
                             .threads = static_cast<unsigned>(state.range(0))});
  roster_options by_nik;
  by_nik.id_column = "nik";
  overlap_report report;
  for (auto _ : state) {
    roster_file a(first, nik_only().facts(), roster_format::csv, by_nik);
    roster_file c(second, nik_only().facts(), roster_format::csv, by_nik);
    const std::vector<overlap_roster> rosters{{"a.csv", &a}, {"b.csv", &c}};
    report = find_overlaps(b, rosters);
  }
  const auto rows = static_cast<double>(report.rows_read) * static_cast<double>(state.iterations());
  state.counters["ns_per_row"] = benchmark::Counter(rows, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["distinct_ids"] = static_cast<double>(report.ids);
  state.counters["repeated_ids"] = static_cast<double>(report.repeated_ids);
  state.counters["peak_RSS_MB"] = static_cast<double>(peak_rss_kib()) / 1024.0;
}
BENCHMARK(overlap_ten_million_niks)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

const compiled_policy& oku() {
  static const compiled_policy compiled = bench::shipped_policy("oku-timur/pekerja-rentan-2024-iuran");
  return compiled;
}

// state.range(0): 1 for find_overlaps, 0 for the batch's run over the same two rosters.
void overlap_oku_timur(benchmark::State& state) {
  static const auto first = write_roster("entitle-bench-overlap-a.csv", oku_header, 0, 1'000'000, 1, oku_row);
  static const auto second = write_roster("entitle-bench-overlap-b.csv", oku_header, 0, 1'000'000, 100, oku_row);
  static const remove_at_exit cleanup_first{first};
  static const remove_at_exit cleanup_second{second};
  const batch b(oku(), {.rules = {}, .as_of = date(2024, 1, 1), .period = month_range::calendar_year(2024)});
  roster_options by_nik;
  by_nik.id_column = "nik";
  std::uint64_t rows = 0;
  for (auto _ : state) {
    roster_file a(first, oku().facts(), roster_format::csv, by_nik);
    roster_file c(second, oku().facts(), roster_format::csv, by_nik);
    if (state.range(0) == 1) {
      const std::vector<overlap_roster> rosters{{"a.csv", &a}, {"b.csv", &c}};
      const overlap_report report = find_overlaps(b, rosters);
      rows = report.rows_read;
      state.counters["double_funded_ids"] = static_cast<double>(report.double_funded_ids);
    } else {
      rows = b.run(a, [](const batch_row&) {}).rows_read + b.run(c, [](const batch_row&) {}).rows_read;
    }
  }
  state.counters["ns_per_row"] = benchmark::Counter(static_cast<double>(rows) * static_cast<double>(state.iterations()),
                                                    benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["peak_RSS_MB"] = static_cast<double>(peak_rss_kib()) / 1024.0;
}
BENCHMARK(overlap_oku_timur)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

} // namespace
