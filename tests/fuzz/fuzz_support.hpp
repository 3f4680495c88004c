// Shared by the libFuzzer targets of tests/fuzz (README.md there): reading fixtures once at
// start-up, and stopping on a broken invariant.
//
// The targets catch `entitle::error` only: the library reports bad input that way, so it is
// expected. Any other exception escapes to libFuzzer (a finding, reported as a crash with the
// exception's type), as does every sanitizer report. A broken invariant prints what was expected
// and aborts, which libFuzzer also reports as a crash and saves the input for.
#pragma once

#include <entitle/core/error.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace entitle_fuzz {

/// Prints "invariant broken: <what>" (and `detail` when there is one) and aborts.
[[noreturn]] inline void broken(std::string_view what, std::string_view detail = {}) {
  std::fprintf(stderr, "\n==== entitle fuzz: invariant broken: %.*s\n", static_cast<int>(what.size()), what.data());
  if (!detail.empty()) std::fprintf(stderr, "%.*s\n", static_cast<int>(detail.size()), detail.data());
  std::fflush(stderr);
  std::abort();
}

/// As `broken`, naming the condition that failed.
[[noreturn]] inline void check_failed(const char* condition, std::string_view what, std::string_view detail = {}) {
  std::string text = std::string("check: ") + condition;
  if (!detail.empty()) text += "\n" + std::string(detail);
  broken(what, text);
}

/// ENTITLE_FUZZ_CHECK(condition, "what must hold"[, detail]): `detail` (a string, built only
/// when the check fails) says what was found.
#define ENTITLE_FUZZ_CHECK(condition, what, ...)                                                                       \
  do {                                                                                                                 \
    if (!(condition)) ::entitle_fuzz::check_failed(#condition, what __VA_OPT__(, ) __VA_ARGS__);                       \
  } while (false)

/// The whole file, as bytes; a missing fixture stops the target at start-up (the build put the
/// source tree's path in it).
inline std::string file_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "entitle fuzz: cannot read the fixture %s\n", path.string().c_str());
    std::exit(2);
  }
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// Every `.json` file under `directory`, recursively, in path order, as (path, text).
inline std::vector<std::pair<std::string, std::string>> json_files(const std::filesystem::path& directory) {
  std::vector<std::filesystem::path> paths;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(directory))
    if (entry.is_regular_file() && entry.path().extension() == ".json") paths.push_back(entry.path());
  std::sort(paths.begin(), paths.end());
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& path : paths)
    out.emplace_back(path.string(), file_text(path));
  if (out.empty()) {
    std::fprintf(stderr, "entitle fuzz: no policy files under %s\n", directory.string().c_str());
    std::exit(2);
  }
  return out;
}

/// Runs `f`, reporting a thrown `entitle::error` as false (expected: the input is refused).
template <class F>
bool refused(F&& f) {
  try {
    std::forward<F>(f)();
    return false;
  } catch (const entitle::error&) {
    return true;
  }
}

} // namespace entitle_fuzz
