#pragma once
// What a roster or output file holds, by its name: one rule for the files read and written.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>

namespace entitle::detail {

enum class row_file_kind : unsigned char { csv, ndjson, unknown };

/// `.csv` is CSV; `.ndjson` and `.jsonl` are NDJSON; letter case does not matter.
inline row_file_kind row_file_kind_of(const std::filesystem::path& file) {
  std::string extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".csv") return row_file_kind::csv;
  if (extension == ".ndjson" || extension == ".jsonl") return row_file_kind::ndjson;
  return row_file_kind::unknown;
}

} // namespace entitle::detail
