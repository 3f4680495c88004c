#pragma once
// What the benchmarks share: the shipped policies, generated rosters removed when the benchmark
// ends, and the peak resident memory.
#include <entitle/entitle.hpp>

#include <sys/resource.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

namespace entitle::bench {

/// Removes a generated roster when the benchmark ends.
struct remove_at_exit {
  std::filesystem::path path;
  ~remove_at_exit() {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
};

/// The peak resident memory of the process so far, in KiB.
inline long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

/// The shipped policy `id` (policies/), with what it extends, compiled.
inline compiled_policy shipped_policy(const std::string& id) {
  policy_library library;
  library.add_directory(ENTITLE_POLICIES_DIR);
  return compiled_policy(library.get(id));
}

/// Writes rows `from` to `to` (exclusive, every `step`) of a roster in the temporary directory,
/// `row(i, buffer)` making row i in a buffer of 256 bytes.
template <class Row>
std::filesystem::path write_roster(const std::string& name, const char* header, std::size_t from, std::size_t to,
                                   std::size_t step, Row row) {
  const auto file = std::filesystem::temp_directory_path() / name;
  std::ofstream out(file, std::ios::binary);
  out << header;
  char buffer[256];
  for (std::size_t i = from; i < to; i += step)
    out.write(buffer, row(i, buffer));
  return file;
}

/// The columns of `oku_row`.
inline const char* oku_header =
    "nik,domicile_code,birth_date,employment,occupation,extreme_poor,monthly_income,enrolled_bpjs_tk\n";

/// Person i of OKU Timur: every NIK, income and birth date different.
inline int oku_row(std::size_t i, char* buffer) {
  static const char* occupations[] = {"guru_mengaji", "marbot",       "petani", "nelayan",
                                      "pedagang",     "buruh_harian", "ojek",   "lainnya"};
  return std::snprintf(buffer, 256, "16080%011zu,16.08.%02zu.2001,%zu-%02zu-%02zu,informal,%s,%s,%zu,false\n", i,
                       i % 20 + 1, 1962 + i % 44, i % 12 + 1, i % 28 + 1, occupations[i % 8],
                       i % 7 == 0 ? "true" : "false", 500'000 + i % 1'750'000);
}

} // namespace entitle::bench
