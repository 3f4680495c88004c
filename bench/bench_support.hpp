#pragma once
// What the benchmarks share: the shipped policies, generated rosters removed when the benchmark
// ends, and the peak resident memory.
#include <entitle/entitle.hpp>

#include <sys/resource.h>

#include <filesystem>
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

} // namespace entitle::bench
