#pragma once
// The batch fixtures of tests/data/batch (how their expected outputs were worked out:
// tests/data/batch/README.md), loaded with the shipped policies they extend.
#include <entitle/entitle.hpp>

#include <filesystem>
#include <string>

namespace entitle::test {

inline const std::filesystem::path batch_fixtures = std::filesystem::path(ENTITLE_TEST_DATA) / "batch";

/// The fixture policy `name` (as `tests/data/batch/<name>.json`), compiled.
inline compiled_policy batch_fixture_policy(const std::string& name) {
  policy_library library;
  library.add_directory(ENTITLE_POLICIES_DIR);
  const std::string id = library.add_file(batch_fixtures / (name + ".json"));
  return compiled_policy(library.get(id));
}

/// The columns of the OKU Timur fixture rosters.
inline const std::string oku_roster_header =
    "id,nik,domicile_code,birth_date,employment,occupation,extreme_poor,monthly_income,enrolled_bpjs_tk\n";

} // namespace entitle::test
