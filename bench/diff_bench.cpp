// A reform on a regency's roster (docs/diff.md): OKU Timur 2024 against the same policy with its
// quota raised to 5,000 and its budget to Rp1.008.000.000, over 1,000,000 people whose NIKs,
// incomes and birth dates all differ, January to December 2024, the changes written as CSV;
// beside it one `run` of the baseline over the same roster, which the comparison is measured
// against (the target: at most twice its time). Reports ns per row and the peak resident memory.
#include <entitle/entitle.hpp>
#include <entitle/io/batch.hpp>
#include <entitle/io/diff.hpp>

#include "bench_support.hpp"

#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>
#include <vector>

namespace {

using namespace entitle;

constexpr std::size_t roster_rows = 1'000'000;

const std::filesystem::path& roster() {
  static const auto path =
      bench::write_roster("entitle-bench-diff.csv", bench::oku_header, 0, roster_rows, 1, bench::oku_row);
  static const bench::remove_at_exit cleanup{path};
  return path;
}

batch_options year_2024() {
  return {.rules = {}, .as_of = date(2024, 1, 1), .period = month_range::calendar_year(2024)};
}

roster_options by_nik() {
  roster_options options;
  options.id_column = "nik";
  return options;
}

// state.range(0): 1 for the comparison, 0 for one run of the baseline.
void diff_oku_timur(benchmark::State& state) {
  static const compiled_policy base = bench::shipped_policy("oku-timur/pekerja-rentan-2024-iuran");
  static const compiled_policy reform = [] {
    policy_library library;
    library.add_directory(ENTITLE_POLICIES_DIR);
    return library.compile(
        "oku-timur/pekerja-rentan-2024-iuran",
        std::vector<setting>{{"apbd_oku_timur_2024.quota", "5000"}, {"apbd_oku_timur_2024.budget", "1008000000"}});
  }();
  const batch before(base, year_2024());
  const batch after(reform, year_2024());
  const reform_diff d(before, after);
  std::uint64_t changed = 0;
  for (auto _ : state) {
    roster_file rows(roster(), base.facts(), roster_format::csv, by_nik());
    std::string out;
    if (state.range(0) == 1) {
      const auto reform_rows = rows.under(reform.facts(), roster_format::csv, by_nik());
      out = diff_header(d, output_format::csv);
      changed = d.run(rows, *reform_rows, [&](const diff_row& row) {
                   append_diff_row(out, d, row, output_format::csv);
                 }).changed;
    } else {
      out = output_header(before, output_format::csv);
      (void)before.run(rows, [&](const batch_row& row) { append_row(out, before, row, output_format::csv); });
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["ns_per_row"] = benchmark::Counter(static_cast<double>(roster_rows * state.iterations()),
                                                    benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["changed"] = static_cast<double>(changed);
  state.counters["peak_RSS_MB"] = static_cast<double>(bench::peak_rss_kib()) / 1024.0;
}
BENCHMARK(diff_oku_timur)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

} // namespace
