// A regency's roster end to end: a generated 1,000,000-row CSV (about 100 bytes a row) run through
// the OKU Timur 2024 vulnerable-worker policy, with its quota of 4,650 and budget, for January to
// December 2024: read once (decide, cost month by month, find duplicate ids), rank, hand the rows
// out, write a decisions CSV. Reports rows/s, MB/s of roster and the peak resident memory.
#include <entitle/entitle.hpp>
#include <entitle/io/batch.hpp>

#include "bench_support.hpp"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace {

using namespace entitle;
using bench::peak_rss_kib;
using bench::remove_at_exit;

constexpr std::size_t roster_rows = 1'000'000;

// Writes the roster once, a row at a time (so generating it does not weigh on the memory figure):
// people of OKU Timur, most of them eligible, in the proportions of the bundled demo roster.
const std::filesystem::path& roster_path() {
  static const std::filesystem::path path = [] {
    const auto file = std::filesystem::temp_directory_path() / "entitle-bench-roster.csv";
    std::ofstream out(file, std::ios::binary);
    out << "id,nik,domicile_code,birth_date,employment,occupation,extreme_poor,monthly_income,enrolled_bpjs_tk\n";
    std::mt19937_64 random(20240901);
    const char* occupations[] = {"guru_mengaji", "marbot",       "petani", "nelayan",
                                 "pedagang",     "buruh_harian", "ojek",   "lainnya"};
    char row[256];
    for (std::size_t i = 0; i < roster_rows; ++i) {
      const auto r = random();
      const bool other_regency = r % 100 < 3;
      const bool enrolled = r / 100 % 100 < 2;
      const int length = std::snprintf(
          row, sizeof row, "OKUT-%07zu,1608%02u%06u%04zu,16.%s.%02u.%04u,%u-%02u-%02u,%s,%s,%s,%u,%s\n", i,
          static_cast<unsigned>(r % 20 + 1), static_cast<unsigned>(r / 7 % 900000 + 100000), i % 10000,
          other_regency ? "07" : "08", static_cast<unsigned>(r / 11 % 20 + 1),
          static_cast<unsigned>(2001 + r / 13 % 30), static_cast<unsigned>(1962 + r / 17 % 45),
          static_cast<unsigned>(r / 19 % 12 + 1), static_cast<unsigned>(r / 23 % 28 + 1),
          r / 29 % 50 == 0 ? "asn" : "informal", occupations[r / 31 % 8], r / 37 % 7 == 0 ? "true" : "false",
          static_cast<unsigned>(500000 + r / 41 % 7 * 250000), enrolled ? "true" : "false");
      out.write(row, length);
    }
    return file;
  }();
  static const remove_at_exit cleanup{path};
  return path;
}

const compiled_policy& oku() {
  static const compiled_policy compiled = bench::shipped_policy("oku-timur/pekerja-rentan-2024-iuran");
  return compiled;
}

void batch_end_to_end(benchmark::State& state) {
  const auto threads = static_cast<unsigned>(state.range(0));
  const auto& roster_file_path = roster_path();
  const auto bytes = std::filesystem::file_size(roster_file_path);
  const auto out_path = std::filesystem::temp_directory_path() / "entitle-bench-decisions.csv";
  const batch b(oku(), {.rules = {},
                        .as_of = date(2024, 1, 1),
                        .period = month_range::calendar_year(2024),
                        .threads = threads,
                        .strict = false});
  batch_summary summary;
  for (auto _ : state) {
    roster_file roster(roster_file_path, oku().facts(), roster_format::csv);
    atomic_file out(out_path);
    std::string buffer = output_header(b, output_format::csv);
    summary = b.run(roster, [&](const batch_row& row) {
      append_row(buffer, b, row, output_format::csv);
      if (buffer.size() >= (1U << 20)) {
        out.write(buffer);
        buffer.clear();
      }
    });
    out.write(buffer);
    out.commit();
  }
  const auto iterations = static_cast<double>(state.iterations());
  state.counters["rows_per_s"] =
      benchmark::Counter(static_cast<double>(roster_rows) * iterations, benchmark::Counter::kIsRate);
  state.counters["MB_per_s"] =
      benchmark::Counter(static_cast<double>(bytes) * iterations / 1e6, benchmark::Counter::kIsRate);
  state.counters["ns_per_row"] = benchmark::Counter(static_cast<double>(roster_rows) * iterations,
                                                    benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["roster_MB"] = static_cast<double>(bytes) / 1e6;
  state.counters["peak_RSS_MB"] = static_cast<double>(peak_rss_kib()) / 1024.0;
  state.counters["funded"] = static_cast<double>(summary.quotas.at(0).funded);
  std::filesystem::remove(out_path);
}
BENCHMARK(batch_end_to_end)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

// OKU Timur's non-ASN staff (policies/oku-timur/non-asn-2022.json): five programs (JKK by risk
// class, JKM, JHT, JP with its ceiling, JKP recomposed from JKK and JKM), 1,000,000 people,
// January to December 2022. The unfavourable case: every wage differs (Rp2,000,000 plus the
// row number), so no two people cost the same; beside it the same roster with every wage
// Rp3,000,000.
const std::filesystem::path& staff_path(bool distinct_wages) {
  auto write = [](bool distinct) {
    const auto file = std::filesystem::temp_directory_path() /
                      (distinct ? "entitle-bench-staff-distinct.csv" : "entitle-bench-staff-same.csv");
    std::ofstream out(file, std::ios::binary);
    out << "id,nik,employment,agency,enrolled_bpjs_tk,wage,risk_class\n";
    char row[256];
    for (std::size_t i = 0; i < roster_rows; ++i) {
      const std::size_t wage = distinct ? 2'000'000 + i : 3'000'000;
      const int length = std::snprintf(row, sizeof row, "S-%07zu,1608%012zu,non_asn,DINAS-%02zu,false,%zu,%zu\n", i, i,
                                       i % 40, wage, i % 5 + 1);
      out.write(row, length);
    }
    return file;
  };
  static const std::filesystem::path distinct = write(true);
  static const std::filesystem::path same = write(false);
  static const remove_at_exit cleanup_distinct{distinct};
  static const remove_at_exit cleanup_same{same};
  return distinct_wages ? distinct : same;
}

const compiled_policy& non_asn() {
  static const compiled_policy compiled = bench::shipped_policy("oku-timur/non-asn-2022");
  return compiled;
}

// range(0): threads; range(1): 1 when every wage differs.
void batch_staff_five_programs(benchmark::State& state) {
  const auto threads = static_cast<unsigned>(state.range(0));
  const auto& path = staff_path(state.range(1) == 1);
  const auto out_path = std::filesystem::temp_directory_path() / "entitle-bench-staff-decisions.csv";
  const batch b(non_asn(), {.rules = {},
                            .as_of = date(2022, 1, 1),
                            .period = month_range::calendar_year(2022),
                            .threads = threads,
                            .strict = false});
  batch_summary summary;
  for (auto _ : state) {
    roster_file roster(path, non_asn().facts(), roster_format::csv);
    atomic_file out(out_path);
    std::string buffer = output_header(b, output_format::csv);
    summary = b.run(roster, [&](const batch_row& row) {
      append_row(buffer, b, row, output_format::csv);
      if (buffer.size() >= (1U << 20)) {
        out.write(buffer);
        buffer.clear();
      }
    });
    out.write(buffer);
    out.commit();
  }
  const auto iterations = static_cast<double>(state.iterations());
  state.counters["ns_per_row"] = benchmark::Counter(static_cast<double>(roster_rows) * iterations,
                                                    benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["peak_RSS_MB"] = static_cast<double>(peak_rss_kib()) / 1024.0;
  state.counters["eligible"] = static_cast<double>(summary.eligible);
  std::filesystem::remove(out_path);
}
BENCHMARK(batch_staff_five_programs)
    ->ArgNames({"threads", "distinct_wages"})
    ->Args({1, 1})
    ->Args({1, 0})
    ->Args({2, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(2);

} // namespace
